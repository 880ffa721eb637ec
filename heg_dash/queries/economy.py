"""Reads behind the Økonomi page and the ``economy`` KPI section: finance items and årselever by area.

Finance is school-wide (the dataset has no campus); årselever may be for one campus. Results are small
(one row per year) and cached by data version.
"""

from __future__ import annotations

import pandas as pd

from heg_dash.datasets import COST_ITEMS, FINANCE_ITEMS
from heg_dash.metrics.economy import cost_per_aarselev, cost_per_aarselev_by_item, key_ratios
from heg_dash.queries.cache import cached
from heg_dash.queries.overview import aarselever_by_year
from heg_dash.store import db


@cached
def finance_wide() -> pd.DataFrame:
    """One row per year with stored finance, one column per item of ``FINANCE_ITEMS`` (NaN where not stored).

    The pivot is done in DuckDB by conditional aggregation (one value per year and item by the key).
    """
    cols = ", ".join(f"max(amount_dkk) FILTER (WHERE item = '{item}') AS {db.q(item)}" for item in FINANCE_ITEMS)
    frame = db.read_df(f"SELECT year, {cols} FROM finance GROUP BY year ORDER BY year")
    frame["year"] = frame["year"].astype(int)
    return frame


def finance_items(year: int) -> dict[str, float] | None:
    """The stored finance items of ``year`` (item -> DKK, only items stored); None when the year has none."""
    wide = finance_wide()
    row = wide[wide["year"] == year]
    if row.empty:
        return None
    record = row.iloc[0].drop("year")
    return {item: float(value) for item, value in record.items() if not pd.isna(value)}


@cached
def aarselever_by_area(campus: str | None = None) -> pd.DataFrame:
    """Årselever per year and education area (long form: year, education_area, aarselever), summed in DuckDB."""
    sql = "SELECT year, education_area, sum(aarselever) AS aarselever FROM activity"
    params: list = []
    if campus:
        sql += " WHERE campus_id = ?"
        params.append(campus)
    frame = db.read_df(sql + " GROUP BY year, education_area ORDER BY year, education_area", params)
    frame["year"] = frame["year"].astype(int)
    return frame


@cached
def economy_by_year() -> pd.DataFrame:
    """Per year with finance: the items, the school's årselever, the four key ratios (per cent), the total of
    the five costs, each cost's share of it (``share_<item>``, 0–1), cost per årselev in total and by
    purpose (``per_aarselev_<item>``).

    Årselever are school-wide, because the finance is. Ratios and costs come from ``metrics.economy``.
    """
    wide = finance_wide()
    aarselever = aarselever_by_year.uncached(None)
    rows = []
    for record in wide.to_dict("records"):
        year = int(record["year"])
        items = {k: v for k, v in record.items() if k != "year" and not pd.isna(v)}
        students = aarselever.get(year)
        students = None if students is None or pd.isna(students) else float(students)
        row = {"year": year, **{item: record[item] for item in FINANCE_ITEMS}, "aarselever": students}
        row.update(key_ratios(items))
        row["cost_total"] = (float(sum(items[c] for c in COST_ITEMS)) if all(c in items for c in COST_ITEMS)
                             else None)
        row.update({f"share_{item}": (items[item] / row["cost_total"] if item in items and row["cost_total"]
                                      else None) for item in COST_ITEMS})
        row["cost_per_aarselev"] = cost_per_aarselev(items, students)
        row.update({f"per_aarselev_{item}": value
                    for item, value in cost_per_aarselev_by_item(items, students).items()})
        rows.append(row)
    columns = ["year", *FINANCE_ITEMS, "aarselever", "overskudsgrad", "likviditetsgrad", "soliditetsgrad",
               "finansieringsgrad", "cost_total", *[f"share_{c}" for c in COST_ITEMS], "cost_per_aarselev",
               *[f"per_aarselev_{c}" for c in COST_ITEMS]]
    return pd.DataFrame(rows, columns=columns).astype({c: float for c in columns if c != "year"})
