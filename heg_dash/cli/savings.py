"""``heg-dash savings [--initiative ID] [--until DATE] [--json]``: the measured savings of the initiatives.

``--json`` prints the savings contract of DESIGN.md: a list with one object per initiative that has ``utility``,
``meter_ids`` and ``installed_from`` (``kpis.savings``); dates ISO, energy in kWh, ``null`` and a ``reason`` where
a figure cannot be computed, no rounding. Without it, a table in the run's language. Exit 2 for an unknown
initiative or a bad date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math

from heg_dash.cli.common import EXIT_OK, BadInput, note, table_lines
from heg_dash.i18n import fmt_number, t
from heg_dash.store import setup


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.savings.bad_date", value=text)) from None


def _clean(value: object) -> object:
    """The contract's values as JSON holds them: NaN never (null instead), numpy numbers as Python's."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def cmd_savings(args: argparse.Namespace) -> int:
    from heg_dash import queries
    from heg_dash.kpis import savings as ks
    from heg_dash.kpis.savings_text import verdict_text

    setup.ensure_database()
    if args.initiative is not None:
        known = set(queries.table("initiatives")["initiative_id"].astype(str))
        if args.initiative not in known:
            raise BadInput(t("cli.savings.unknown_initiative", initiative=args.initiative))
    items = [m for m in ks.measured(args.until) if args.initiative is None or m.initiative_id == args.initiative]
    if args.initiative is not None and not items:
        note(t("cli.savings.not_measured", initiative=args.initiative))
    elif not items:
        note(t("cli.savings.none"))
    if args.json:
        print(json.dumps(_clean([ks.contract_only(m.contract) for m in items]), ensure_ascii=False))
        return EXIT_OK
    header = [t("cli.savings.col.initiative"), t("cli.savings.col.avoided_kwh"), t("cli.savings.col.verdict")]
    rows = [[f"{m.initiative_id} {m.display_title}", fmt_number(m.contract["avoided_kwh"], 0), verdict_text(m)]
            for m in items]
    print("\n".join(table_lines(header, rows, right={1})))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("savings", help=t("cli.help.savings"))
    p.add_argument("--initiative", help=t("cli.help.savings_initiative"))
    p.add_argument("--until", type=_date, help=t("cli.help.savings_until"))
    p.add_argument("--json", action="store_true", help=t("cli.help.savings_json"))
    p.set_defaults(func=cmd_savings)
