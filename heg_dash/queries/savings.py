"""Reads behind the measured savings of initiatives (issue 23, ``kpis.savings``): small results, plain SQL.

- the initiatives that can be measured (``utility``, ``meter_ids`` and ``installed_from`` filled in);
- their meters (utility, unit, building and campus);
- per meter and local day from ``readings_daily``: the use in the meter's own unit, the time its readings cover,
  the end of its longest-running reading, and the grid-weighted sums the CO₂e accounts use;
- the campuses' daily mean temperature, the calendar's days, and a utility's price rows.

The SQL is the subset every engine shares (no list functions, no engine-specific date arithmetic): ids go in as
``IN (?, …)`` parameters, lists are split and units converted in Python. All cached by the data version.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from heg_dash.queries.cache import cached
from heg_dash.queries.usage import local_bounds
from heg_dash.store import db

INITIATIVE_COLUMNS = ("initiative_id", "title", "title_en", "utility", "meter_ids", "installed_from", "installed_to",
                      "expected_saving_pct", "baseline_months")


def _marks(values: tuple) -> str:
    return ", ".join("?" for _ in values)


@cached
def measurable_initiatives() -> pd.DataFrame:
    """The initiatives with ``utility``, ``meter_ids`` and ``installed_from`` (INITIATIVE_COLUMNS), by id."""
    return db.read_df(
        f"SELECT {', '.join(INITIATIVE_COLUMNS)} FROM initiatives WHERE utility IS NOT NULL "
        "AND meter_ids IS NOT NULL AND installed_from IS NOT NULL ORDER BY initiative_id")


@cached
def meters(meter_ids: tuple[str, ...]) -> pd.DataFrame:
    """The stored meters among ``meter_ids``: meter_id, utility, unit, building_id, campus_id."""
    if not meter_ids:
        return pd.DataFrame(columns=["meter_id", "utility", "unit", "building_id", "campus_id"])
    return db.read_df(
        "SELECT m.meter_id, m.utility, m.unit, m.building_id, b.campus_id FROM meters m "
        f"LEFT JOIN buildings b ON b.building_id = m.building_id WHERE m.meter_id IN ({_marks(meter_ids)}) "
        "ORDER BY m.meter_id", list(meter_ids))


@cached
def newest_day(meter_ids: tuple[str, ...]) -> dt.date | None:
    """The newest local day with a reading on any of ``meter_ids`` (None: no readings)."""
    if not meter_ids:
        return None
    found = db.read_df(f"SELECT max(day) AS day FROM readings_daily WHERE meter_id IN ({_marks(meter_ids)})",
                       list(meter_ids))
    value = found["day"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


@cached
def daily_totals(meter_ids: tuple[str, ...], first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """Per meter and local day in first_day..last_day (inclusive): meter_id, day, value (the day's readings
    summed, in the meter's unit), covered_s (seconds they cover), last_end (the latest end among them: past the
    day's end means a reading runs into the next day), grid_weighted (Σ value × the hour's g CO₂e/kWh over the
    hours with an intensity) and value_without_grid (Σ value over the hours without one)."""
    if not meter_ids:
        return pd.DataFrame(columns=["meter_id", "day", "value", "covered_s", "last_end", "grid_weighted",
                                     "value_without_grid"])
    return db.read_df(
        "SELECT meter_id, day, value, covered_s, last_end, grid_weighted, value_without_grid FROM readings_daily "
        f"WHERE meter_id IN ({_marks(meter_ids)}) AND day >= ? AND day <= ? ORDER BY meter_id, day",
        [*meter_ids, first_day, last_day])


@cached
def weather(campus_ids: tuple[str, ...], first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """The campuses' daily mean temperature: campus_id, date, mean_temp_c."""
    if not campus_ids:
        return pd.DataFrame(columns=["campus_id", "date", "mean_temp_c"])
    return db.read_df(
        f"SELECT campus_id, date, mean_temp_c FROM weather WHERE campus_id IN ({_marks(campus_ids)}) "
        "AND date >= ? AND date <= ? ORDER BY date, campus_id", [*campus_ids, first_day, last_day])


@cached
def calendar(first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """The calendar's days in the period: date, kind."""
    return db.read_df("SELECT date, kind FROM calendar WHERE date >= ? AND date <= ? ORDER BY date",
                      [first_day, last_day])


@cached
def prices(utility: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """A utility's price rows in force at some time in the local period: kind, start, end, dkk_per_unit, unit."""
    lo, hi = local_bounds(first_day, last_day)
    return db.read_df(
        'SELECT kind, start, "end", dkk_per_unit, unit FROM energy_prices WHERE utility = ? AND start < ? '
        'AND "end" > ? ORDER BY kind, start', [utility, hi, lo])
