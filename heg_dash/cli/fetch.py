"""``heg-dash fetch co2|prices|weather|eloverblik [--start YYYY-MM-DD] [--end YYYY-MM-DD]``.

Exit 0 with a summary (rows added / replaced / unchanged, the batch); 2 on bad arguments (bad dates, end
before start, no Eloverblik token); 1 when the service fails or its answer breaks a dataset rule (nothing
was changed). Without dates the fetch asks for what is missing (heg_dash.fetching).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from heg_dash.cli.common import EXIT_FAILURE, EXIT_OK, BadInput, error, print_problems
from heg_dash.connectors import fetching
from heg_dash.i18n import t
from heg_dash.store import setup
from heg_dash.views import auth


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", text=text)) from None


def cmd_fetch(args: argparse.Namespace) -> int:
    setup.ensure_database()
    try:
        result = fetching.fetch(args.source, args.start, args.end, user=auth.cli_user())
    except fetching.FetchArgumentError as exc:
        raise BadInput(str(exc)) from exc
    except fetching.ConnectorError as exc:
        error(str(exc))
        return EXIT_FAILURE
    except fetching.StoreRefused as exc:
        error(t("fetch.refused"))
        print_problems(exc.problems)
        return EXIT_FAILURE
    for line in fetching.summary_lines(result):
        print(line)
    sys.stdout.flush()
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fetch", help=t("cli.help.fetch"))
    p.add_argument("source", choices=fetching.SOURCES)
    p.add_argument("--start", type=_date, help=t("cli.help.fetch_start"))
    p.add_argument("--end", type=_date, help=t("cli.help.fetch_end"))
    p.set_defaults(func=cmd_fetch)
