"""``python -m heg_dash fetch co2|prices|weather|eloverblik [--start YYYY-MM-DD] [--end YYYY-MM-DD]``.

Exit 0 with a summary (rows added / replaced / unchanged, the batch); 2 on bad arguments (bad dates, end
before start, no Eloverblik token); 1 when the service fails or its answer breaks a dataset rule (nothing
was changed). Without dates the fetch asks for what is missing (heg_dash.fetching).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from heg_dash import auth, cli, db, fetching, i18n
from heg_dash.i18n import t


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_fetch(args: argparse.Namespace) -> int:
    i18n.set_language(os.environ.get("HEG_DASH_LANG", "da"))
    db.ensure_database()
    try:
        result = fetching.fetch(args.source, args.start, args.end, user=auth.cli_user())
    except fetching.FetchArgumentError as exc:
        raise cli.BadInput(str(exc)) from exc
    except fetching.ConnectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return cli.EXIT_FAILURE
    except fetching.StoreRefused as exc:
        print(f"error: {t('fetch.refused')}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem.text()}", file=sys.stderr)
        return cli.EXIT_FAILURE
    for line in fetching.summary_lines(result):
        print(line)
    return cli.EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fetch", help="fetch live data (Energi Data Service, Open-Meteo, Eloverblik) into the store")
    p.add_argument("source", choices=fetching.SOURCES)
    p.add_argument("--start", type=_date, help="first local date (default: the day after the newest stored)")
    p.add_argument("--end", type=_date, help="last local date, inclusive (default: yesterday)")
    p.set_defaults(func=cmd_fetch)


cli.COMMANDS.append(register)
