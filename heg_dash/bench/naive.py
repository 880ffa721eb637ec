"""The naive baseline: a quick dashboard whose page loads every reading into pandas and groups them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NAIVE_CODE = """
import json, resource, sys, time
import duckdb
t = time.perf_counter()
con = duckdb.connect(sys.argv[1], read_only=True)
r = con.execute("SELECT r.*, m.utility, m.building_id FROM readings r JOIN meters m USING (meter_id)").df()
con.close()
local = r["start"].dt.tz_convert("Europe/Copenhagen")
r["year"], r["month"] = local.dt.year, local.dt.month
r["hour"], r["weekday"] = local.dt.hour, local.dt.day_of_week
load = time.perf_counter() - t
runs = int(sys.argv[2])
t = time.perf_counter()
for _ in range(runs):  # a page's groupings, as each run of a quick dashboard's page does them
    r.groupby(["year", "month", "utility"])["value"].sum()
    r.groupby(["year", "building_id", "utility"])["value"].sum()
    r[r["utility"] == "electricity"].groupby(["weekday", "hour"])["value"].mean()
print(json.dumps({"load_s": load, "group_s": (time.perf_counter() - t) / runs,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def naive_baseline(path: Path, runs: int = 3) -> tuple[float, float, float]:
    """(seconds to load every reading, seconds of one page's groupings, peak MB) of the naive way, in a child
    process so its memory is its own; the groupings are timed over ``runs`` runs and averaged."""
    out = subprocess.run([sys.executable, "-c", NAIVE_CODE, str(path), str(runs)], capture_output=True,
                         text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return figures["load_s"], figures["group_s"], figures["peak_rss_mb"]
