"""What every command of the command line shares: exit codes, the refusal of bad input, how problems and
errors are printed. The command modules import this, never the package that registers them."""

from __future__ import annotations

import sys

from heg_dash.i18n import t

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Bad input or arguments: reported, exit 2, nothing stored changed."""


def error(message: str) -> None:
    """A failure on stderr, prefixed in the run's language ("fejl: …")."""
    print(t("cli.error", message=message), file=sys.stderr)


def note(message: str) -> None:
    """Something the user should know that is not the command's output (stderr, so a pipe gets the output)."""
    print(message, file=sys.stderr)


def print_problems(problems: list) -> None:
    for problem in problems:
        print(f"  {problem.text()}", file=sys.stderr)


def json_value(value: object) -> object:
    """A value JSON can hold: None for missing, ISO text for timestamps, Python numbers for numpy's."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def table_lines(header: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    """A plain text table: columns as wide as their widest cell, numbers (``right``) aligned right."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)] if rows else \
        [len(h) for h in header]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(header), *(line(r) for r in rows)]
