"""Reads behind the overview, the KPIs and every page's freshness note: small, aggregated results."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.queries.cache import cached
from heg_dash.store import db

# The column that dates each dataset, for "how fresh": (dataset, SQL expression giving a local date).
_FRESHNESS = {
    # max() on the stored column first, then one conversion: a full scan with a per-row conversion is slow
    "readings": f"timezone('{TIMEZONE}', max(start))::DATE",
    "weather": "max(date)",
    "calendar": "max(date)",
    "grid_co2": f"timezone('{TIMEZONE}', max(start))::DATE",
    "energy_prices": f"timezone('{TIMEZONE}', max(start))::DATE",
    "activity": "make_date(max(year), 12, 31)",
    "finance": "make_date(max(year), 12, 31)",
    "exchanges": "max(start_date)",
    "indicator_values": "make_date(max(year), 12, 31)",
}


@cached
def activity(campus: str | None = None) -> pd.DataFrame:
    """Årselever per year, campus and education area (one campus or all)."""
    sql = "SELECT year, campus_id, education_area, aarselever FROM activity"
    params: list = []
    if campus:
        sql += " WHERE campus_id = ?"
        params.append(campus)
    return db.read_df(sql + " ORDER BY year, campus_id, education_area", params)


@cached
def aarselever_by_year(campus: str | None = None) -> pd.Series:
    """Total årselever per year (index: year)."""
    frame = activity.uncached(campus)
    # fsum: the exact sum of the stored values, so 0.1-precision cells add up to 1384, not 1384.0000000000002
    return frame.groupby("year")["aarselever"].agg(math.fsum).astype(float)


@cached
def table(dataset: str) -> pd.DataFrame:
    """A whole small dataset (campuses, buildings, targets, indicators …) in its declared columns."""
    from heg_dash.datasets import get

    ds = get(dataset)
    cols = ", ".join(db.q(c) for c in ds.column_names)
    key = ", ".join(db.q(c) for c in ds.key)
    return db.read_df(f"SELECT {cols} FROM {db.q(ds.table)} ORDER BY {key}")


@cached
def indicator_values() -> pd.DataFrame:
    """Every indicator with its yearly values (long form)."""
    return db.read_df(
        "SELECT i.*, v.year, v.value FROM indicators i JOIN indicator_values v USING (indicator_id) "
        "ORDER BY i.indicator_id, v.year"
    )


@cached
def reading_span() -> tuple[dt.date | None, dt.date | None]:
    """First and last local date with a reading."""
    row = db.read_df(
        f"SELECT timezone('{TIMEZONE}', min(start))::DATE AS first, timezone('{TIMEZONE}', max(start))::DATE AS last "
        "FROM readings"
    ).iloc[0]
    return tuple(None if pd.isna(row[k]) else pd.Timestamp(row[k]).date() for k in ("first", "last"))


@cached
def years_with_data() -> list[int]:
    """Years from the first to the last reading, and years with årselever, oldest first."""
    first, last = reading_span.uncached()
    years = set(range(first.year, last.year + 1)) if first is not None else set()
    years |= {int(y) for y in db.read_df("SELECT DISTINCT year FROM activity")["year"]}
    return sorted(years)


@cached
def store_status() -> dict:
    """What the pages need to know about the store: sample datasets, freshness, how it was created."""
    with db.connect() as con:
        sample = sorted(db._sample_datasets(con))
        created_as = db.get_meta(con, "created_as")
        fresh = {}
        for dataset, expr in _FRESHNESS.items():
            value = con.execute(f"SELECT {expr} FROM {db.q(dataset)}").fetchone()[0]
            fresh[dataset] = value
        counts = {
            name: con.execute(f"SELECT count(*) FROM {db.q(name)}").fetchone()[0]
            for name in ("campuses", "buildings", "meters", "readings", "activity", "indicators", "exchanges",
                         "finance")
        }
    return {"sample": sample, "created_as": created_as, "freshness": fresh, "counts": counts}
