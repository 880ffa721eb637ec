"""Metered use, aggregated in DuckDB: the shared base of energy, emissions, cost and the KPIs.

A reading belongs to the Danish local calendar year of its start. Energy is converted to kWh whatever
the meter's unit (MWh × 1000, GJ ÷ 0.0036); water, gas in Nm3 and oil in litres stay in their units.
Sub-meters (with a parent meter) are excluded from totals so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.queries.cache import cached
from heg_dash.store import db


def kwh_sql(value: str, unit: str = "m.unit") -> str:
    """SQL for ``value`` (a reading, or a sum of one meter's readings) in kWh; NULL for non-energy units."""
    return (f"CASE {unit} WHEN 'kWh' THEN {value} WHEN 'MWh' THEN {value} * 1000 "
            f"WHEN 'GJ' THEN {value} / 0.0036 ELSE NULL END")


KWH_SQL = kwh_sql("r.value")  # kWh of one reading
# The per-day sums (heg_dash.rollup) with their meter and building.
DAILY_FROM = "FROM readings_daily d JOIN meters m USING (meter_id) JOIN buildings b ON b.building_id = m.building_id"


def utc_hour_sql(column: str = "r.start") -> str:
    """SQL for the UTC hour a TIMESTAMPTZ falls in: integer arithmetic on the epoch, several times faster
    than ``date_trunc('hour', …)`` on a time-zone-aware column (which goes through the ICU calendar)."""
    return f"to_timestamp(epoch_ms({column}) // 3600000 * 3600)"

ENERGY_UNITS_SQL = "('kWh', 'MWh', 'GJ')"  # the units kwh_sql converts


def local_bounds(first_day: dt.date, last_day_inclusive: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """UTC instants of local midnight at the start of ``first_day`` and after ``last_day_inclusive``.

    Filtering ``start >= lo AND start < hi`` keeps the predicate on the stored column (fast), and is
    exact over DST changes.
    """
    lo = pd.Timestamp(first_day).tz_localize(TIMEZONE).tz_convert("UTC")
    hi = pd.Timestamp(last_day_inclusive + dt.timedelta(days=1)).tz_localize(TIMEZONE).tz_convert("UTC")
    return lo, hi


def year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return local_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))


def scope_sql(campus: str | None, building: str | None, params: list) -> str:
    sql = ""
    if campus:
        sql += " AND b.campus_id = ?"
        params.append(campus)
    if building:
        sql += " AND b.building_id = ?"
        params.append(building)
    return sql


@cached
def use_by_meter(first_day: dt.date, last_day: dt.date, campus: str | None = None,
                 building: str | None = None, by_year: bool = False) -> pd.DataFrame:
    """Per meter: its use in the local period, in its own unit and (for energy) in kWh.

    Columns: meter_id, building_id, campus_id, utility, unit, parent_meter_id, native, kwh, readings,
    first_start, last_start (UTC). Meters without readings in the period are left out. Read from the
    per-day sums (``heg_dash.store.rollup``): a period is whole local days, so the sums are the readings' sums.
    With ``by_year``, one row per meter and local calendar year, in a first column ``year`` (several
    years' totals in one query).
    """
    params: list = [first_day, last_day]
    scope = scope_sql(campus, building, params)
    year = "year(d.day) AS year," if by_year else ""
    return db.read_df(
        f"""
        SELECT {year} m.meter_id, b.building_id, b.campus_id, m.utility, m.unit, m.parent_meter_id,
               sum(d.value) AS native, sum({kwh_sql("d.value")}) AS kwh, sum(d.readings)::BIGINT AS readings,
               min(d.first_start) AS first_start, max(d.last_start) AS last_start
        {DAILY_FROM}
        WHERE d.day BETWEEN ? AND ? {scope}
        GROUP BY ALL ORDER BY {"year, " if by_year else ""}m.meter_id
        """,
        params,
    )


def totals_by_utility(by_meter: pd.DataFrame) -> dict[str, float]:
    """Totals per utility from ``use_by_meter``: kWh for energy, native units otherwise; sub-meters left out.

    Only utilities that have readings appear (a missing key means nothing is stored, never 0).
    """
    main = by_meter[by_meter["parent_meter_id"].isna()]
    out: dict[str, float] = {}
    for utility, rows in main.groupby("utility"):
        column = "kwh" if rows["kwh"].notna().all() else "native"
        out[str(utility)] = float(rows[column].sum())
    return out


@cached
def hourly_use(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
               building: str | None = None) -> pd.DataFrame:
    """Use per UTC hour in kWh for one utility, summed over main meters (no sub-meters).

    Columns: start (UTC hour), kwh. Readings shorter than an hour (15-minute data) are summed into
    their hour; longer ones (daily, monthly) keep their own start.
    """
    lo, hi = local_bounds(first_day, last_day)
    params: list = [utility, lo, hi]
    scope = scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT {utc_hour_sql()} AS start, sum({KWH_SQL}) AS kwh
        FROM readings r JOIN meters m USING (meter_id) JOIN buildings b ON b.building_id = m.building_id
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY 1 ORDER BY 1
        """,
        params,
    )
