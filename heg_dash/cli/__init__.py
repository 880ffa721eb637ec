"""``heg-dash`` (or ``python -m heg_dash``): the command line for scheduled jobs and people at a terminal.

Every command reads ``HEG_DASH_DB``. Exit 0 on success, 2 on bad input or arguments (the problems listed,
nothing stored changed), 1 on other failures. One language per run: every message, argparse's own and the
help texts included, in ``HEG_DASH_LANG`` (Danish unless ``en``). Output written to a pipe that closes early
(``heg-dash batches | head -1``) ends the command quietly.

The commands live in one module per group (:data:`GROUPS`), each with a ``register(sub)`` that adds its
parsers; the groups import :mod:`heg_dash.cli.common`, never this package.
"""

from __future__ import annotations

import argparse
import gettext
import os
import sys
from collections.abc import Sequence

from heg_dash import config, i18n
from heg_dash.cli import bench, data, engines, fetch, reports, savings, setup
from heg_dash.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, BadInput, error
from heg_dash.i18n import t
from heg_dash.store import db

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "BadInput", "build_parser", "main"]

GROUPS = (setup, data, fetch, reports, savings, bench, engines)


def language() -> str:
    """The run's language, from HEG_DASH_LANG (Danish unless "en"); argparse speaks it too."""
    lang = i18n.set_language(os.environ.get("HEG_DASH_LANG", "da"))
    if lang == "da":
        from heg_dash.i18n.catalogue.cli import ARGPARSE_DA

        argparse._ = lambda text: ARGPARSE_DA.get(text, text)
        argparse.ngettext = lambda one, many, n: ARGPARSE_DA.get(one if n == 1 else many, one if n == 1 else many)
    else:
        argparse._, argparse.ngettext = gettext.gettext, gettext.ngettext
    return lang


def build_parser() -> argparse.ArgumentParser:
    # argparse itself exits 2 on bad arguments, as the contract asks.
    parser = argparse.ArgumentParser(prog="heg-dash", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    language()
    try:
        args = build_parser().parse_args(argv)
        try:
            return args.func(args)
        except BadInput as exc:
            error(str(exc))
            return EXIT_BAD_INPUT
        except config.SettingError as exc:
            error(t(f"cli.setting.{exc.kind}", setting=f"{exc.name}={exc.raw!r}"))
            return EXIT_BAD_INPUT
        except db.DatabaseBusy as exc:
            error(str(exc))
            return EXIT_FAILURE
        except db.DatabaseUnreachable as exc:
            error(t("engines.unreachable", reason=str(exc)))
            return EXIT_FAILURE
        except db.DatabaseMissing as exc:
            error(t("engines.missing", reason=str(exc)))
            return EXIT_FAILURE
        finally:
            sys.stdout.flush()  # inside the guard: a closed pipe is noticed here at the latest
    except BrokenPipeError:
        # The reader went away (| head): no traceback, and Python's own flush at exit must not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
