"""``heg-dash report sustainability|energy|strategy --year Y --format pdf|xlsx|csv --out FILE``.

Exit 2 on bad arguments — a format the report does not offer, an unknown campus, an output folder that
does not exist — with nothing written; 0 when the file is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from heg_dash.cli.common import EXIT_OK, BadInput
from heg_dash.i18n import fmt_number, get_language, t
from heg_dash.store import setup


def cmd_report(args: argparse.Namespace) -> int:
    from heg_dash import kpis, queries, reports

    if args.format not in reports.FORMATS[args.kind]:
        raise BadInput(t("cli.report.format", kind=args.kind, formats=" / ".join(reports.FORMATS[args.kind]),
                         format=args.format))
    out = Path(args.out)
    if not out.parent.is_dir():
        raise BadInput(t("cli.report.no_folder", folder=out.parent))
    setup.ensure_database()
    if args.campus is not None and args.campus not in set(queries.table("campuses")["campus_id"]):
        raise BadInput(t("cli.kpis.unknown_campus", campus=args.campus))
    try:
        body = reports.generate(args.kind, args.year, args.format, args.campus, args.lang or get_language())
    except kpis.UnknownCampus as exc:  # pragma: no cover - checked above; kept for a campus deleted meanwhile
        raise BadInput(t("cli.kpis.unknown_campus", campus=exc.args[0])) from exc
    # Write through a temporary file so a failed run never leaves half a report behind.
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(body)
    tmp.replace(out)
    print(t("cli.report.wrote", file=out, size=fmt_number(len(body))))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    from heg_dash.reports import FORMATS

    p = sub.add_parser("report", help=t("cli.help.report"))
    p.add_argument("kind", choices=list(FORMATS))
    p.add_argument("--year", type=int, required=True, help=t("cli.help.year"))
    p.add_argument("--format", required=True, choices=sorted({f for fmts in FORMATS.values() for f in fmts}))
    p.add_argument("--out", required=True, help=t("cli.help.report_out"))
    p.add_argument("--lang", choices=["da", "en"], help="da | en (standard: HEG_DASH_LANG)")
    p.add_argument("--campus", help=t("cli.help.campus"))
    p.set_defaults(func=cmd_report)
