"""Helpers for the data-safety tests: full table snapshots and small files to import."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from heg_dash.datasets import DATASETS

GSRN = "571313161100187650"
FIXTURES = Path(__file__).parent / "fixtures" / "import"


FULL_ROWS = 20_000  # larger tables are compared by row count and an order-free sum of row hashes


def snapshot(path: Path, *, history: bool = True) -> dict[str, pd.DataFrame]:
    """Every dataset table (and its history table): in full, rows in a fixed order; big tables as
    (rows, sum of each whole row's hash), which differs as soon as any value of any row does."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        out = {}
        for name in DATASETS:
            for table in (name, name + "__replaced") if history else (name,):
                n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                if n > FULL_ROWS:
                    out[table] = con.execute(
                        f'SELECT count(*) AS n, CAST(sum(hash(r)) AS VARCHAR) AS h FROM "{table}" r').df()
                else:
                    out[table] = con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').df()
        return out
    finally:
        con.close()


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def batches(path: Path) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * FROM import_batches ORDER BY batch_id").df()
    finally:
        con.close()


def scalar(path: Path, sql: str, params: list | None = None) -> object:
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


def readings_csv(rows: list[tuple[str, str, str, float]], quality: str = "measured") -> bytes:
    """meter_id,start,end,value,quality with ISO times as given."""
    lines = ["meter_id,start,end,value,quality"] + [f"{m},{s},{e},{v},{quality}" for m, s, e, v in rows]
    return ("\n".join(lines) + "\n").encode()


def hours(meter: str, day: str, values: list[float], offset: str = "+01:00") -> list[tuple[str, str, str, float]]:
    """Consecutive hourly rows from local midnight of ``day`` with a fixed offset."""
    start = pd.Timestamp(f"{day}T00:00:00{offset}")
    return [(meter, (start + pd.Timedelta(hours=i)).isoformat(), (start + pd.Timedelta(hours=i + 1)).isoformat(), v)
            for i, v in enumerate(values)]


# A tiny real-data set for an empty database: one campus, one building, one meter with a GSRN.
CAMPUS_CSV = b"campus_id,name,address,lat,lon\nHOB,Campus Hobro,Kirketoften 7,56.64,9.79\n"
BUILDING_CSV = (b"building_id,campus_id,name,use,year_built,heated_area_m2,energy_label,status,in_use_from\n"
                b"HOB-A,HOB,Hovedbygning,teaching,1975,5000,C,in_use,1975-08-01\n")
METER_CSV = ("meter_id,building_id,utility,unit,gsrn\nHOB-A-EL,HOB-A,electricity,kWh," + GSRN + "\n").encode()
