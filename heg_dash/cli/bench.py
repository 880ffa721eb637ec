"""``heg-dash bench [--scale X] [--json]``: the benchmark (heg_dash.bench) and its figures."""

from __future__ import annotations

import argparse
import json
import logging

from heg_dash.cli.common import EXIT_OK, BadInput
from heg_dash.i18n import t


def cmd_bench(args: argparse.Namespace) -> int:
    from heg_dash import bench

    if args.scale <= 0:
        raise BadInput(t("cli.bench.scale"))
    # AppTest logs a warning per run about the missing browser session; the figures are the output here.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import_rows = max(1000, round(1_000_000 * min(args.scale, 1.0)))
    result = bench.run(args.scale, import_rows=import_rows, engine=args.engine)
    print(json.dumps(result.to_json()) if args.json else bench.format_table(result))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help=t("cli.help.bench"))
    p.add_argument("--scale", type=float, default=1.0, help=t("cli.help.bench_scale"))
    p.add_argument("--engine", choices=("duckdb", "postgresql"), default="duckdb", help=t("cli.help.bench_engine"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(func=cmd_bench)
