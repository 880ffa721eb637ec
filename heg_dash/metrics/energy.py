"""Energy metrics: degree days, weather normalisation, units, heated area, EUI, year-on-year.

Every function is pure (frames and numbers in, frames and numbers out; nothing read or stored).

Degree days and weather normalisation
- ``degree_days(mean_temp_c, base_c=17.0) -> Series``
- ``degree_day_climatology(weather, base_c=17.0) -> Series`` (index 1..366, 60 = 29 February)
- ``normal_degree_days_for_days(days, normal_year_dd, climatology=None) -> float``
- ``normalise_heat(actual_kwh, dd_actual, dd_normal, hot_water_share=0.25) -> float | None``

Units, area and intensity
- ``to_kwh(value, unit)`` (scalar or Series; ValueError for units that are not energy)
- ``area_in_use_m2`` lives in ``metrics.facilities`` (shared with m² per årselev).
- ``eui(kwh, area_m2)``, ``weighted_eui(electricity_kwh, district_heating_kwh, area_m2)``

Load profiles and anomalies are in ``metrics.profiles`` (the same conventions).

Year-on-year
- ``same_day_last_year(day) -> date``, ``same_period_last_year(start, end) -> (date, date)``
- ``last_year_aligned(daily: Series) -> Series``

Conventions
- ``start`` holds interval starts. Tz-aware values may be in any zone. Naive values are read as UTC,
  because the store keeps UTC. Rows shorter than an hour (15-minute data) are summed into their hour.
  Rows for several meters in one frame are summed as well, so pass one building's or one site's meters.
- "Local" means Europe/Copenhagen. A local day has 23 hours on the last Sunday of March and 25 on the
  last Sunday of October.
- ``day`` is a local calendar day, returned as a naive midnight Timestamp. Inputs may be dates,
  strings or Timestamps. Tz-aware Timestamps are first converted to local time.
- "Missing" means None, NaN or NA. A function whose rule cannot be applied returns None (for
  scalars) or NaN (inside Series). It never returns 0.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.datasets import KWH_PER_UNIT

# Energy-label weights (primary energy factors) behind the weighted EUI of the KPI contract.
ELECTRICITY_WEIGHT = 1.9
DISTRICT_HEATING_WEIGHT = 0.85


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (scalars only)."""
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def utc_times(values: pd.Series) -> pd.Series:
    """Timestamps as tz-aware UTC; naive input is read as UTC (the store's convention)."""
    stamps = pd.to_datetime(values)
    if stamps.dt.tz is None:
        return stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert("UTC")


def local_day(values: Any) -> pd.Series:
    """Local calendar days as naive midnight Timestamps; tz-aware input is converted to local time first."""
    stamps = pd.to_datetime(pd.Series(values))
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return stamps.dt.normalize()


def day_index(days: Iterable[Any]) -> pd.DatetimeIndex:
    """A set of days (dates, strings, Timestamps) as a DatetimeIndex of naive local midnights."""
    days = list(days)
    if not days:
        return pd.DatetimeIndex([])
    return pd.DatetimeIndex(local_day(days))


def hourly_local(hourly: pd.DataFrame, value: str) -> pd.DataFrame:
    """Use summed into hours and converted to local time. Columns: ``hour`` (tz-aware local), ``value``.

    Flooring in UTC is safe because Denmark's offsets are whole hours.
    """
    frame = pd.DataFrame({
        "hour": utc_times(hourly["start"]).dt.floor("h"),
        value: pd.to_numeric(hourly[value], errors="coerce"),
    }).dropna(subset=[value])
    frame = frame.groupby("hour", as_index=False, sort=True)[value].sum()
    frame["hour"] = frame["hour"].dt.tz_convert(TIMEZONE)
    return frame


# --------------------------------------------------------------------------------------------------
# Degree days and weather normalisation
# --------------------------------------------------------------------------------------------------


def degree_days(mean_temp_c: pd.Series, base_c: float = 17.0) -> pd.Series:
    """Heating degree days per day: max(0, base − daily mean), the Danish convention (base 17 °C).

    A missing temperature gives a missing degree-day value, not 0.
    """
    return (base_c - pd.to_numeric(mean_temp_c, errors="coerce")).clip(lower=0)


def _leap_day_of_year(days: pd.DatetimeIndex) -> np.ndarray:
    """Day of year on a 366-day calendar, so 1 March is always 61. Day 60 exists only in leap years."""
    doy = np.asarray(days.day_of_year)
    common_after_feb = ~np.asarray(days.is_leap_year) & (np.asarray(days.month) > 2)
    return doy + common_after_feb.astype(int)


def degree_day_climatology(weather: pd.DataFrame, base_c: float = 17.0) -> pd.Series:
    """Mean degree days per day of the year, from a stored daily weather history.

    ``weather`` has ``date`` and ``mean_temp_c`` columns. The result is indexed 1..366 on a leap-year
    calendar: 60 is 29 February, and 1 March is 61 in every year, so the seasons line up. Days of the
    year with no history are filled by interpolating between neighbouring days, including across New
    Year. Gaps of up to 7 days are filled this way. A longer gap leaves the climatology unusable, and
    then every value is NaN. ``normal_degree_days_for_days`` then falls back to counting days.
    """
    index = pd.RangeIndex(1, 367, name="day_of_year")
    frame = pd.DataFrame({
        "day": local_day(weather["date"]).to_numpy(),
        "dd": degree_days(weather["mean_temp_c"], base_c).to_numpy(),
    }).dropna()
    if frame.empty:
        return pd.Series(np.nan, index=index, name="degree_days")
    keys = _leap_day_of_year(pd.DatetimeIndex(frame["day"]))
    means = frame["dd"].groupby(keys).mean().reindex(index)
    # Interpolate on three copies laid end to end, so a gap at New Year closes across the turn of the year.
    tripled = pd.Series(np.tile(means.to_numpy(), 3)).interpolate(limit=7, limit_area="inside")
    filled = pd.Series(tripled.to_numpy()[366:732], index=index, name="degree_days")
    if filled.isna().any():
        return pd.Series(np.nan, index=index, name="degree_days")
    return filled


def normal_degree_days_for_days(
    days: pd.DatetimeIndex | pd.Series | Iterable[Any],
    normal_year_dd: float,
    climatology: pd.Series | None = None,
) -> float:
    """The normal-year degree days that belong to the days covered, for partial years.

    Rule: result = normal_year_dd × Σ over calendar years y of share(y).
    - share(y) = Σ climatology over the covered days in y ÷ Σ climatology over all days of y.
    - A climatology is usable when it is complete and its total is positive. Without one,
      share(y) = covered days in y ÷ days in y.
    - "Days in y" is 365, or 366 in a leap year, so a full leap year is exactly one normal year.
    Days are counted once, however often they repeat. No days gives 0.0.
    """
    index = day_index(pd.Series(days).dropna()).unique()
    if len(index) == 0:
        return 0.0
    usable = (
        climatology is not None
        and climatology.reindex(range(1, 367)).notna().all()
        and float(climatology.sum()) > 0
    )
    share = 0.0
    for year in sorted(set(index.year)):
        covered = index[index.year == year]
        if usable:
            full_year = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
            clim = climatology.reindex(range(1, 367))
            share += float(clim.loc[_leap_day_of_year(covered)].sum() / clim.loc[_leap_day_of_year(full_year)].sum())
        else:
            share += len(covered) / (366 if calendar.isleap(year) else 365)
    return float(normal_year_dd) * share


def normalise_heat(
    actual_kwh: float | None,
    dd_actual: float | None,
    dd_normal: float | None,
    hot_water_share: float = 0.25,
) -> float | None:
    """Weather-normalised heat use: normal = actual × ((1 − w) · DD_normal / DD_actual + w).

    ``w`` is the hot-water share. Hot water does not depend on the weather, so that part is kept as
    it is. The space-heating part (1 − w) is scaled by how much colder a normal year is.
    - Missing inputs give None.
    - Actual use of 0 gives 0.0, because there is nothing to scale.
    - DD_actual ≤ 0 with actual use > 0 gives None. The heat was used with no measured heating need,
      so the ratio is undefined. Returning actual × w instead would silently drop most of the heat.
    - Very small DD_actual gives very large factors. Compare periods with a real heating need.
    ValueError when w is outside 0..1 or DD_normal is negative.
    """
    if not 0 <= hot_water_share <= 1:
        raise ValueError(f"hot_water_share must be between 0 and 1, got {hot_water_share}")
    if is_missing(actual_kwh) or is_missing(dd_actual) or is_missing(dd_normal):
        return None
    if dd_normal < 0:
        raise ValueError(f"normal degree days cannot be negative, got {dd_normal}")
    if actual_kwh == 0:
        return 0.0
    if dd_actual <= 0:
        return None
    w = hot_water_share
    return float(actual_kwh * ((1 - w) * dd_normal / dd_actual + w))


# --------------------------------------------------------------------------------------------------
# Units, area and intensity
# --------------------------------------------------------------------------------------------------


def to_kwh(value: float | pd.Series, unit: str | pd.Series) -> float | pd.Series:
    """Energy in kWh: value × ``datasets.KWH_PER_UNIT[unit]`` (kWh × 1, MWh × 1000, GJ ÷ 0.0036).

    ``unit`` is one unit or a Series of units, one per value. A unit that is not energy (m3, Nm3, l) or
    is unknown raises ValueError and names the unit. Gas in Nm3 needs a calorific value. That value is
    data, so it is not guessed here.
    """
    if isinstance(unit, pd.Series):
        unknown = sorted(set(unit.dropna().astype(str)) - set(KWH_PER_UNIT))
        if unknown or unit.isna().any():
            raise ValueError(f"not an energy unit: {', '.join(unknown) or 'missing unit'}")
        return value * unit.map(KWH_PER_UNIT).astype(float)
    if unit not in KWH_PER_UNIT:
        raise ValueError(f"not an energy unit: {unit!r} (known: {', '.join(KWH_PER_UNIT)})")
    return value * KWH_PER_UNIT[unit]


def _per_m2(kwh: Any, area_m2: Any) -> Any:
    """kwh ÷ area with None (scalars) or NaN (Series) where the area is missing or not positive."""
    if isinstance(kwh, pd.Series) or isinstance(area_m2, pd.Series):
        area = pd.to_numeric(area_m2, errors="coerce") if isinstance(area_m2, pd.Series) else area_m2
        area = area.where(area > 0) if isinstance(area, pd.Series) else (
            np.nan if is_missing(area) or area <= 0 else area)
        return kwh / area
    if is_missing(kwh) or is_missing(area_m2) or area_m2 <= 0:
        return None
    return float(kwh / area_m2)


def eui(kwh: float | pd.Series | None, area_m2: float | pd.Series | None) -> float | pd.Series | None:
    """Energy use intensity: kWh ÷ heated m² (per year when ``kwh`` is a year's use).

    Returns None (NaN in a Series) when the area is 0, negative or missing, or when kWh is missing.
    """
    return _per_m2(kwh, area_m2)


def weighted_eui(
    electricity_kwh: float | pd.Series | None,
    district_heating_kwh: float | pd.Series | None,
    area_m2: float | pd.Series | None,
    electricity_weight: float = ELECTRICITY_WEIGHT,
    district_heating_weight: float = DISTRICT_HEATING_WEIGHT,
) -> float | pd.Series | None:
    """Weighted EUI with the energy-label weights: (electricity × 1.9 + district heating × 0.85) ÷ heated m².

    Returns None (NaN in a Series) when the area is 0, negative or missing, or when either use is
    missing. A campus with no district-heating meter has nothing to weight, so the caller passes 0
    for it. This function does not guess whether a missing value means "no meter" or "no data".
    """
    if not (isinstance(electricity_kwh, pd.Series) or isinstance(district_heating_kwh, pd.Series)) and (
        is_missing(electricity_kwh) or is_missing(district_heating_kwh)
    ):
        return None
    weighted = electricity_kwh * electricity_weight + district_heating_kwh * district_heating_weight
    return _per_m2(weighted, area_m2)


# --------------------------------------------------------------------------------------------------
# Load profiles in Danish local time
# --------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------
# Anomalies
# --------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------
# Year-on-year by ISO week and weekday
# --------------------------------------------------------------------------------------------------


def _has_iso_week_53(year: int) -> bool:
    return date(year, 12, 28).isocalendar().week == 53  # 28 December always lies in the last ISO week


def same_day_last_year(day: date | pd.Timestamp | str) -> date:
    """The day with the same ISO week number and weekday one ISO year earlier.

    For example, Monday of week 10 in 2025 (2025-03-03) maps to Monday of week 10 in 2024
    (2024-03-04). This compares a school week with the same school week. A day in week 53, when the
    year before has only 52 weeks, maps to week 52.
    """
    iso = pd.Timestamp(day).date().isocalendar()
    week = 52 if iso.week == 53 and not _has_iso_week_53(iso.year - 1) else iso.week
    return date.fromisocalendar(iso.year - 1, week, iso.weekday)


def same_period_last_year(start: date | pd.Timestamp | str, end: date | pd.Timestamp | str) -> tuple[date, date]:
    """The same period last year, aligned by ISO week and weekday, from ``start`` to ``end`` (both included).

    The start maps by ``same_day_last_year``. The end is that start plus the period's length, so both
    periods have the same number of days and the same weekdays, and their totals compare like for
    like. ValueError when end is before start.
    """
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if last < first:
        raise ValueError(f"end {last} is before start {first}")
    aligned = same_day_last_year(first)
    return aligned, aligned + timedelta(days=(last - first).days)


def last_year_aligned(daily: pd.Series) -> pd.Series:
    """For each day in the index, the series' own value on ``same_day_last_year`` of that day.

    The input is a daily series indexed by days (dates or Timestamps, one row per day). The result
    has the same index, holding NaN where last year's day is not in the series. Put it beside the
    series to chart this year against last year, weekday on weekday.
    """
    days = local_day(daily.index.to_series())
    lookup = pd.Series(daily.to_numpy(), index=pd.DatetimeIndex(days))
    if lookup.index.has_duplicates:
        raise ValueError("the series has more than one value for a day")
    aligned = pd.DatetimeIndex([pd.Timestamp(same_day_last_year(d)) for d in days])
    return pd.Series(lookup.reindex(aligned).to_numpy(), index=daily.index, name=daily.name)
