"""``python -m heg_dash``: the command line for scheduled jobs and people at a terminal.

Every command reads ``HEG_DASH_DB``. Exit 0 on success, 2 on bad input or arguments (the problems
listed, nothing stored changed), 1 on other failures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from heg_dash import config, db

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Bad input or arguments: reported, exit 2, nothing stored changed."""


def cmd_init(args: argparse.Namespace) -> int:
    try:
        path = db.init_db(sample=not args.empty, force=args.force)
    except FileExistsError as exc:
        raise BadInput(str(exc)) from exc
    print(f"created {path} ({'empty' if args.empty else 'with sample data'})")
    return EXIT_OK


def cmd_kpis(args: argparse.Namespace) -> int:
    from heg_dash import kpis

    db.ensure_database()
    try:
        result = kpis.compute(args.year, args.campus)
    except kpis.UnknownCampus as exc:
        raise BadInput(f"unknown campus {exc.args[0]!r}") from exc
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    # argparse itself exits 2 on bad arguments, as the contract asks.
    parser = argparse.ArgumentParser(prog="python -m heg_dash", description="HEG Dashboard command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create the database (sample data by default)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--sample", action="store_true", help="load the shipped sample data (default)")
    mode.add_argument("--empty", action="store_true", help="create an empty database")
    p.add_argument("--force", action="store_true", help="replace a database that holds imported data")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("kpis", help="key figures for a year as JSON")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--campus")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kpis)

    # Feature modules register their subcommands in COMMANDS when imported (once).
    from heg_dash import cli_bench, cli_data, cli_fetch, cli_reports  # noqa: F401

    for register in COMMANDS:
        register(sub)
    return parser


# Later features add their subcommands: each a function that adds a parser to ``sub``.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (BadInput, config.SettingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except db.DatabaseBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
