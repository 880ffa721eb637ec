"""Emission factors as data: the row that applies to a utility, year and method."""

from __future__ import annotations

import pandas as pd

from heg_dash.queries.cache import cached
from heg_dash.store import db


@cached
def emission_factor(utility: str, year: int, method: str = "location") -> dict | None:
    """The factor for ``year``; without a row for that year, the newest earlier year, else the oldest later
    one (the year actually used is returned, so reports can say so). None when there is none at all.

    Keys: kg_co2e_per_unit, unit, source, year.
    """
    rows = db.read_df(
        "SELECT kg_co2e_per_unit, unit, source, year FROM emission_factors WHERE utility = ? AND method = ? "
        "ORDER BY (year > ?), abs(year - ?) LIMIT 1",
        [utility, method, year, year],
    )
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {"kg_co2e_per_unit": float(row["kg_co2e_per_unit"]), "unit": str(row["unit"]),
            "source": str(row["source"]), "year": int(row["year"])}


@cached
def travel_factors(year: int) -> dict[str, float]:
    """kg CO₂e per passenger-km by travel mode (air, train, bus, car, mixed) for ``year``."""
    out = {}
    for mode in ("air", "train", "bus", "car", "mixed"):
        factor = emission_factor.uncached(f"travel_{mode}", year, "location")
        if factor is not None:
            out[mode] = factor["kg_co2e_per_unit"]
    return out


@cached
def factor_table(year: int) -> pd.DataFrame:
    """Every factor row of ``year`` (for method notes and report sources)."""
    return db.read_df("SELECT * EXCLUDE (batch_id) FROM emission_factors WHERE year = ? ORDER BY utility, method",
                      [year])
