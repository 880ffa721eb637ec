"""The benchmark's database: the sample school at ten times its size (meters × 10 years of hourly readings,
15-minute electricity for the last 2), generated in a child process."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from heg_dash.config import ROOT, TIMEZONE
from heg_dash.store import db, rollup, sample, setup

YEARS = 10


QUARTER_HOUR_YEARS = 2


LAST_DAY = sample.LAST_DAY


FIRST_DAY = dt.date(LAST_DAY.year - YEARS, LAST_DAY.month, LAST_DAY.day) + dt.timedelta(days=1)


METER_MIX = {"electricity": 0.5, "district_heating": 1 / 3, "water": 1 / 6}  # of 60 meters: 30, 20, 10


def _meter_frame(n_meters: int, buildings: pd.DataFrame) -> pd.DataFrame:
    in_use = buildings[buildings["status"] == "in_use"]["building_id"].tolist()
    rows = []
    counts = {u: max(1, round(n_meters * share)) for u, share in METER_MIX.items()}
    for utility, count in counts.items():
        unit = {"electricity": "kWh", "district_heating": "kWh", "water": "m3"}[utility]
        for i in range(count):
            gsrn = f"57131319{len(rows):010d}" if utility == "electricity" else None
            rows.append((f"BENCH-{utility[:2].upper()}-{i:03d}", in_use[len(rows) % len(in_use)], utility, unit,
                         gsrn, None))
    return pd.DataFrame(rows, columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])


def _local_index(first: dt.date, last_inclusive: dt.date, freq: str) -> pd.DatetimeIndex:
    lo = pd.Timestamp(first).tz_localize(TIMEZONE).tz_convert("UTC")
    hi = pd.Timestamp(last_inclusive + dt.timedelta(days=1)).tz_localize(TIMEZONE).tz_convert("UTC")
    return pd.date_range(lo, hi, freq=freq, inclusive="left")


def _profile(stamps: pd.DatetimeIndex, rng: np.random.Generator, scale_kwh: float) -> np.ndarray:
    local = stamps.tz_convert(TIMEZONE)
    hour = local.hour.to_numpy()
    weekday = local.day_of_week.to_numpy()
    busy = ((hour >= 7) & (hour < 17) & (weekday < 5)).astype(float)
    season = 1 + 0.3 * np.cos(2 * np.pi * (local.day_of_year.to_numpy() - 15) / 365.25)
    return np.round(scale_kwh * (0.4 + busy) * season * rng.lognormal(0, 0.1, len(stamps)), 3)


def measured_on(initiatives: pd.DataFrame, meters: pd.DataFrame) -> pd.DataFrame:
    """The sample's measured initiatives moved onto the bench's meters, so the savings section works at scale:
    the first two share the electricity meters (half each), the third takes the district heating meters."""
    out = initiatives.copy()
    electricity = meters.loc[meters["utility"] == "electricity", "meter_id"].tolist()
    heat = meters.loc[meters["utility"] == "district_heating", "meter_id"].tolist()
    half = max(1, len(electricity) // 2)
    groups = {"I13": ("electricity", electricity[:half]), "I14": ("electricity", electricity[half:] or electricity),
              "I15": ("district_heating", heat)}
    for initiative_id, (utility, ids) in groups.items():
        row = out["initiative_id"] == initiative_id
        out.loc[row, "utility"] = utility
        out.loc[row, "meter_ids"] = ";".join(ids)
    return out


def generate(path: Path, scale: float = 1.0) -> tuple[int, int]:
    """A large database at ``path``: the sample's small datasets plus ``60 × scale`` meters of readings.

    Electricity meters have hourly readings for the first 8 years and 15-minute readings for the last
    2; heat and water meters hourly for all 10 years. Returns (readings, meters).
    """
    setup.init_db(path, sample=False)
    frames = sample.generate()
    meters = _meter_frame(max(3, round(60 * scale)), frames["buildings"])
    split = dt.date(LAST_DAY.year - QUARTER_HOUR_YEARS, LAST_DAY.month, LAST_DAY.day) + dt.timedelta(days=1)
    hourly_all = _local_index(FIRST_DAY, LAST_DAY, "h")
    hourly_early = _local_index(FIRST_DAY, split - dt.timedelta(days=1), "h")
    quarter_late = _local_index(split, LAST_DAY, "15min")
    total = 0
    with db.transaction(path) as con:
        batch = db.new_batch(con, "readings", "sample", user="bench", note="bench data")
        for name, frame in frames.items():
            if name in ("readings", "meters"):
                continue
            sample.insert_frame(con, name, frame, batch, refresh_rollup=False)
        sample.insert_frame(con, "meters", pd.concat([frames["meters"], meters]), batch, refresh_rollup=False)
        con.execute("DELETE FROM initiatives")  # measured on the bench's own meters instead of the sample's
        sample.insert_frame(con, "initiatives", measured_on(frames["initiatives"], meters), batch,
                            refresh_rollup=False)
        for i, meter in enumerate(meters.itertuples()):
            rng = np.random.default_rng([sample.SEED, 900 + i])
            parts = [(hourly_early, pd.Timedelta(hours=1), 1.0), (quarter_late, pd.Timedelta(minutes=15), 0.25)] \
                if meter.utility == "electricity" else [(hourly_all, pd.Timedelta(hours=1), 1.0)]
            for stamps, length, share in parts:
                table = pa.table({
                    "meter_id": pa.array(np.full(len(stamps), meter.meter_id)),
                    "start": pa.array(stamps), "end": pa.array(stamps + length),
                    "value": pa.array(_profile(stamps, rng, 8.0 * share)),
                    "quality": pa.array(np.full(len(stamps), "measured")),
                })
                con.register("bench_rows", table)
                con.execute('INSERT INTO readings SELECT meter_id, start, "end", value, quality, ? FROM bench_rows',
                            [batch])
                con.unregister("bench_rows")
                total += len(stamps)
        rollup.rebuild(con)
    return total, len(meters)


def _apart(code: str, *args: str) -> str:
    """Run ``code`` in a child process (its standard output): making and loading test data is not the app's
    work, so its memory does not count in the peak this process reports."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout


def generate_apart(path: Path, scale: float) -> tuple[int, int]:
    """:func:`generate` in a child process."""
    out = _apart("import json, sys; from pathlib import Path; from heg_dash import bench; "
                 "print(json.dumps(bench.generate(Path(sys.argv[1]), float(sys.argv[2]))))", str(path), repr(scale))
    readings, meters = json.loads(out.strip().splitlines()[-1])
    return int(readings), int(meters)


def migrate_apart(source: Path, target: str) -> None:
    """``store.migrate`` of the generated file into PostgreSQL in a child process."""
    _apart("import sys; from heg_dash.store import migrate; migrate.migrate(sys.argv[1], sys.argv[2])",
           str(source), target)
