"""``python -m heg_dash bench [--scale X] [--json]`` (registered in cli.COMMANDS)."""

from __future__ import annotations

import argparse
import json
import logging

from heg_dash import cli


def cmd_bench(args: argparse.Namespace) -> int:
    from heg_dash import bench

    if args.scale <= 0:
        raise cli.BadInput("--scale must be above 0")
    # AppTest logs a warning per run about the missing browser session; the figures are the output here.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import_rows = max(1000, round(1_000_000 * min(args.scale, 1.0)))
    result = bench.run(args.scale, import_rows=import_rows)
    print(json.dumps(result.to_json()) if args.json else bench.format_table(result))
    return cli.EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="measure page speed, chart sizes, import throughput and memory at scale")
    p.add_argument("--scale", type=float, default=1.0, help="1.0 = 60 meters × 10 years (≈ 6.8 M readings)")
    p.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    p.set_defaults(func=cmd_bench)


cli.COMMANDS.append(register)
