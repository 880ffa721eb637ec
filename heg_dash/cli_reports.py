"""``python -m heg_dash report sustainability|energy|strategy --year Y --format pdf|xlsx|csv --out FILE``.

Exit 2 on bad arguments — a format the report does not offer, an unknown campus, an output folder that
does not exist — with nothing written; 0 when the file is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from heg_dash import cli, db


def cmd_report(args: argparse.Namespace) -> int:
    from heg_dash import kpis, queries, reports

    if args.format not in reports.FORMATS[args.kind]:
        raise cli.BadInput(f"the {args.kind} report is made as {' or '.join(reports.FORMATS[args.kind])}, "
                           f"not {args.format}")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise cli.BadInput(f"folder {out.parent} does not exist")
    db.ensure_database()
    if args.campus is not None and args.campus not in set(queries.table("campuses")["campus_id"]):
        raise cli.BadInput(f"unknown campus {args.campus!r}")
    try:
        body = reports.generate(args.kind, args.year, args.format, args.campus, args.lang)
    except kpis.UnknownCampus as exc:  # pragma: no cover - checked above; kept for a campus deleted meanwhile
        raise cli.BadInput(f"unknown campus {exc.args[0]!r}") from exc
    # Write through a temporary file so a failed run never leaves half a report behind.
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(body)
    tmp.replace(out)
    print(f"wrote {out} ({len(body):,} bytes)")
    return cli.EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    from heg_dash.reports import FORMATS

    p = sub.add_parser("report", help="write a report: sustainability (pdf/xlsx), strategy (pdf), energy (xlsx/csv)")
    p.add_argument("kind", choices=list(FORMATS))
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", required=True, choices=sorted({f for fmts in FORMATS.values() for f in fmts}))
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--lang", choices=["da", "en"], default="da")
    p.add_argument("--campus", help="one campus_id (default: the whole school)")
    p.set_defaults(func=cmd_report)


cli.COMMANDS.append(register)
