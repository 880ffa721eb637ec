"""Helpers for the data-safety tests: full table snapshots and small files to import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heg_dash.datasets import DATASETS
from heg_dash.store import db

GSRN = "571313161100187650"
FIXTURES = Path(__file__).parent / "fixtures" / "import"


FULL_ROWS = 20_000  # larger tables are compared by row count and an order-free sum of row hashes


def snapshot(path: Path | str, *, history: bool = True) -> dict[str, pd.DataFrame]:
    """Every dataset table (and its history table): in full, rows in a fixed order; big tables as
    (rows, sum of each whole row's hash), which differs as soon as any value of any row does. On either engine
    (``path``: a DuckDB file or a PostgreSQL URL)."""
    postgres = db.engine(path).name == "postgresql"
    row_hash = "hashtext(r::text)" if postgres else "hash(r)"
    with db.connect(path) as con:
        out = {}
        for name in DATASETS:
            for table in (name, name + "__replaced") if history else (name,):
                n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                if n > FULL_ROWS:
                    out[table] = con.execute(
                        f'SELECT count(*) AS n, CAST(sum({row_hash}) AS VARCHAR) AS h FROM "{table}" r').df()
                else:
                    width = len(con.execute(f'SELECT * FROM "{table}" LIMIT 0').df().columns)
                    order = ", ".join(str(i) for i in range(1, width + 1))
                    out[table] = con.execute(f'SELECT * FROM "{table}" ORDER BY {order}').df()
        return out


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def batches(path: Path | str) -> pd.DataFrame:
    return db.read_df("SELECT * FROM import_batches ORDER BY batch_id", path=path)


def scalar(path: Path | str, sql: str, params: list | None = None) -> object:
    with db.connect(path) as con:
        return con.execute(sql, params or []).fetchone()[0]


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
