"""Days and periods of a measured saving: the baseline and reporting periods, day types from the calendar, and
each local day's use from readings or per-day sums (CalTRACK 2.2: a day with under half its hours is missing)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.metrics.energy import local_day

DAY_TYPES = ("school", "weekend", "closed")


# Calendar kinds that close the school for the day; `exam` and `event` days are school days.
CLOSED_KINDS = frozenset({"holiday", "closed"})


def as_days(values: Any) -> pd.DatetimeIndex:
    """Local calendar days as naive midnights (``metrics.energy.local_day``) as an index."""
    return pd.DatetimeIndex(local_day(values))


def as_date(value: Any) -> date | None:
    """One day as a date (None stays None); a tz-aware timestamp is read in Danish time."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    if isinstance(value, date) and not isinstance(value, pd.Timestamp | np.datetime64):
        return value.date() if hasattr(value, "hour") else value
    stamp = pd.Timestamp(value)
    if stamp.tz is not None:
        stamp = stamp.tz_convert(TIMEZONE)
    return stamp.date()


def _utc(values: pd.Series) -> pd.Series:
    """Timestamps as tz-aware UTC; naive values are read as UTC (the store's convention). Unlike
    ``metrics.energy.utc_times`` it also takes a column of mixed Python datetimes (a generated or edited frame)."""
    return pd.to_datetime(values, utc=True)


def cooling_degree_days(mean_temp_c: pd.Series, base_c: float) -> pd.Series:
    """Cooling degree days per day: max(0, daily mean − base). A missing temperature stays missing."""
    return (pd.to_numeric(mean_temp_c, errors="coerce") - base_c).clip(lower=0)


@dataclass(frozen=True)
class Periods:
    """Baseline and reporting periods of an initiative; all dates inclusive."""

    baseline_start: date
    baseline_end: date
    reporting_start: date
    reporting_end: date | None


def periods(
    installed_from: Any, installed_to: Any = None, baseline_months: int = 12, until: Any = None,
) -> Periods:
    """The baseline and reporting periods around an installation (CalTRACK 1.4.2–1.4.4, 3.1.3).

    - Baseline: the ``baseline_months`` calendar months before ``installed_from``, ending the day before it
      (12 months = 365 days, or 366 across a 29 February).
    - The installation period ``installed_from``..``installed_to`` is left out (erratic use while installing).
      Without ``installed_to`` the installation is one day.
    - Reporting: from the day after ``installed_to`` to ``until`` (None: open, the caller's newest data).
    """
    start_day = as_date(installed_from)
    if start_day is None:
        raise ValueError("installed_from is required")
    end_day = as_date(installed_to) or start_day
    if end_day < start_day:
        raise ValueError(f"installed_to {end_day} is before installed_from {start_day}")
    if baseline_months < 1:
        raise ValueError(f"baseline_months must be at least 1, got {baseline_months}")
    baseline_start = (pd.Timestamp(start_day) - pd.DateOffset(months=int(baseline_months))).date()
    return Periods(baseline_start, start_day - timedelta(days=1), end_day + timedelta(days=1), as_date(until))


def day_types(days: Any, calendar: pd.DataFrame | None = None) -> pd.Series:
    """Day type per day: ``closed``, ``weekend`` or ``school``.

    Rule, first match wins: a day the calendar marks ``holiday`` or ``closed`` is ``closed`` (whatever the
    weekday); a Saturday or Sunday is ``weekend``; every other day is ``school`` (``exam`` and ``event`` days
    included). ``calendar`` has ``date`` and ``kind`` columns (None or empty: weekends only).
    Returns a Series indexed by the days (naive local midnights), in the order given.
    """
    index = as_days(days)
    weekend = np.asarray(index.day_of_week >= 5)
    closed = np.zeros(len(index), dtype=bool)
    if calendar is not None and len(calendar):
        kinds = calendar["kind"].astype(str).str.strip().str.lower()
        closed_days = as_days(calendar.loc[kinds.isin(CLOSED_KINDS).to_numpy(), "date"])
        closed = np.asarray(index.isin(closed_days))
    values = np.where(closed, "closed", np.where(weekend, "weekend", "school"))
    return pd.Series(values, index=index, name="day_type", dtype="str")


def _empty_daily() -> pd.DataFrame:
    return pd.DataFrame({"day": pd.DatetimeIndex([]), "kwh": pd.Series([], dtype=float)})


def local_day_hours(days: Any) -> np.ndarray:
    """Hours in each local calendar day: 24, or 23 / 25 on the days Danish time springs forward / falls back."""
    index = as_days(days)
    starts = index.tz_localize(TIMEZONE)
    ends = (index + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    return np.asarray((ends - starts).total_seconds() / 3600, dtype=float)


def daily_use(
    readings: pd.DataFrame, meter_ids: Iterable[str] | None = None, min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Daily use of a set of meters from interval readings, by CalTRACK 2.2.2.1.

    ``readings`` has ``meter_id``, ``start``, optional ``end`` (where missing: start + 1 hour) and ``kwh`` (in
    kWh). Timestamps are tz-aware or naive UTC (the store's convention). Each reading belongs to the local day
    (Danish time) of its start; its length counts as covered hours. A reading that runs past the end of that
    day (e.g. a monthly read) cannot be split into days and is left out; a reading without a value covers
    nothing. The per-meter day totals then go through ``daily_use_from_totals``.
    """
    frame = readings.dropna(subset=["kwh"])
    meters = list(dict.fromkeys(meter_ids)) if meter_ids is not None else list(frame["meter_id"].unique())
    frame = frame[frame["meter_id"].isin(meters)]
    if frame.empty or not meters:
        return _empty_daily()
    start = _utc(frame["start"])
    end = start + pd.Timedelta(hours=1)
    if "end" in frame:
        end = _utc(frame["end"]).fillna(end)
    day = local_day(start)
    day_end = (day + pd.Timedelta(days=1)).dt.tz_localize(TIMEZONE).dt.tz_convert("UTC")
    rows = pd.DataFrame({
        "meter_id": frame["meter_id"].to_numpy(),
        "day": day.to_numpy(),
        "kwh": pd.to_numeric(frame["kwh"], errors="coerce").to_numpy(),
        "hours": ((end - start).dt.total_seconds() / 3600).to_numpy(),
    })[(end <= day_end).to_numpy()]
    totals = rows.groupby(["meter_id", "day"], as_index=False).agg(kwh=("kwh", "sum"), hours=("hours", "sum"))
    return daily_use_from_totals(totals, meters, min_coverage)


def daily_use_from_totals(
    totals: pd.DataFrame, meter_ids: Iterable[str] | None = None, min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Daily use of a set of meters from per-meter day totals, by CalTRACK 2.2.2.1.

    ``totals`` has one row per meter and local day: ``meter_id``, ``day``, ``kwh`` (the day's summed readings,
    in kWh) and ``hours`` (the hours those readings cover) — what the store can sum in SQL. Per meter and day,
    with the day 23, 24 or 25 hours long (``local_day_hours``):
    - covered ≥ ``min_coverage`` × the day's hours (CalTRACK: no more than 50 % of the values missing): the use
      is scaled to the whole day, kwh × day hours ÷ covered hours (the missing hours filled with the average
      of the others; covered hours above the day's length count as the whole day);
    - otherwise the meter's day is missing.
    The day's use is the sum over ``meter_ids`` (default: every meter in ``totals``) and is missing when any of
    them is missing. Returns DataFrame[day, kwh] for every day from the first to the last day seen.
    """
    meters = list(dict.fromkeys(meter_ids)) if meter_ids is not None else list(totals["meter_id"].unique())
    frame = totals[totals["meter_id"].isin(meters)]
    if frame.empty or not meters:
        return _empty_daily()
    day = as_days(frame["day"])
    day_hours = local_day_hours(day)
    hours = pd.to_numeric(frame["hours"], errors="coerce").to_numpy(dtype=float)
    covered = np.minimum(hours, day_hours)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = pd.to_numeric(frame["kwh"], errors="coerce").to_numpy(dtype=float) * day_hours / covered
    scaled = np.where(covered >= min_coverage * day_hours, scaled, np.nan)
    table = pd.Series(scaled, index=pd.MultiIndex.from_arrays([day, frame["meter_id"].to_numpy()]))
    table = table.groupby(level=[0, 1]).sum(min_count=1).unstack(1).reindex(columns=meters)
    table = table.reindex(pd.date_range(table.index.min(), table.index.max(), freq="D"))
    total = table.sum(axis=1, min_count=len(meters))
    return pd.DataFrame({"day": total.index, "kwh": total.to_numpy(dtype=float)})


def utility_rules(utility: str | None) -> dict[str, bool]:
    """CalTRACK's per-utility rules: zero daily use is missing for electricity only (2.2.1.4, 3.5.2.1), and
    cooling degree days are not tried for heating fuels (3.2.1.1 says so for gas; district heating and oil
    are treated the same). Returns ``{"zero_is_missing": ..., "fit_cdd": ...}``.
    """
    heating_fuel = utility in ("district_heating", "gas", "oil")
    return {"zero_is_missing": utility == "electricity", "fit_cdd": not heating_fuel}
