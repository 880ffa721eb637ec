"""``init`` (create the database) and ``kpis`` (the KPI contract, as a table or ``--json``)."""

from __future__ import annotations

import argparse
import json

from heg_dash.cli.common import EXIT_OK, BadInput, note, table_lines
from heg_dash.i18n import fmt_number, t
from heg_dash.store import db, setup


def cmd_init(args: argparse.Namespace) -> int:
    path = db.db_path()
    if path.exists():
        real = setup.has_data(path)
        if real and not args.force:
            raise BadInput(t("cli.init.has_data", path=path))
        batches = setup.batch_count(path)
        note(t("cli.init.replacing_forced" if real else "cli.init.replacing", path=path, batches=batches))
    created = setup.init_db(sample=not args.empty, force=args.force)
    print(t("cli.init.created", path=created, what=t("cli.init.empty" if args.empty else "cli.init.with_sample")))
    return EXIT_OK


def _rows(result: dict) -> list[list[str]]:
    """The KPI object as (section, figure, value) rows; numbers in the run's language, null as "–"."""
    rows = []
    for section, body in result.items():
        if isinstance(body, dict):
            rows += [[section, key, _text(value)] for key, value in body.items()]
        elif isinstance(body, list):  # the SDGs: one row per goal
            rows += [[section, str(item.get("goal")), f"{item.get('status')} · {item.get('trend')}"] for item in body]
        else:
            rows.append(["", section, _text(body)])
    return rows


def _text(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return fmt_number(value)
    if isinstance(value, float):
        return fmt_number(value, 2 if abs(value) < 100 else 0)
    return str(value)


def _empty(result: dict) -> bool:
    """No figure of the year has a value (only the year, the campus and the flags)."""
    numbers = [v for body in result.values() if isinstance(body, dict) for k, v in body.items()
               if k not in ("status", "target") and isinstance(v, int | float) and not isinstance(v, bool)]
    return not numbers


def cmd_kpis(args: argparse.Namespace) -> int:
    from heg_dash import kpis

    setup.ensure_database()
    try:
        result = kpis.compute(args.year, args.campus)
    except kpis.UnknownCampus as exc:
        raise BadInput(t("cli.kpis.unknown_campus", campus=exc.args[0])) from exc
    if _empty(result):
        note(t("cli.kpis.no_data", year=args.year))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        header = [t("cli.kpis.section"), t("cli.kpis.field"), t("cli.kpis.value")]
        print("\n".join(table_lines(header, _rows(result), right={2})))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help=t("cli.help.init"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--sample", action="store_true", help=t("cli.help.sample"))
    mode.add_argument("--empty", action="store_true", help=t("cli.help.empty"))
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("kpis", help=t("cli.help.kpis"))
    p.add_argument("--year", type=int, required=True, help=t("cli.help.year"))
    p.add_argument("--campus", help=t("cli.help.campus"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_kpis)
