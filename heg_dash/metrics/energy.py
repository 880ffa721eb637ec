"""Energy metrics: degree days, weather normalisation, units, heated area, EUI, load profiles, anomalies.

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

Load profiles (hourly frames: ``start`` + ``kwh``)
- ``daily_totals_local(hourly, value="kwh", by=None) -> DataFrame[*by, day, kwh]``
- ``base_load_kw(hourly, value="kwh", night_from=0, night_to=5) -> float | None``
- ``night_weekend_share(hourly, value="kwh") -> dict``

Anomalies (daily frames: ``building_id``, ``day``, ``kwh`` [, ``degree_days``])
- ``electricity_expected(daily, skip_days=(), weeks=8, min_weeks=4) -> DataFrame``
- ``electricity_anomalies(daily, skip_days=(), weeks=8, min_relative=0.25, min_excess_kwh=20.0, min_weeks=4)``
- ``heat_signature(daily, skip_days=(), k=3.0, min_days=14) -> DataFrame`` (by building_id)
- ``heat_anomalies(daily, skip_days=(), k=3.0, min_days=14, min_excess_kwh=10.0)``

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

# MAD × 1.4826 estimates the standard deviation of normally distributed residuals.
_MAD_TO_SIGMA = 1.4826


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (scalars only)."""
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def _utc(values: pd.Series) -> pd.Series:
    """Timestamps as tz-aware UTC; naive input is read as UTC (the store's convention)."""
    stamps = pd.to_datetime(values)
    if stamps.dt.tz is None:
        return stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert("UTC")


def _local_day(values: Any) -> pd.Series:
    """Local calendar days as naive midnight Timestamps; tz-aware input is converted to local time first."""
    stamps = pd.to_datetime(pd.Series(values))
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return stamps.dt.normalize()


def _day_index(days: Iterable[Any]) -> pd.DatetimeIndex:
    """A set of days (dates, strings, Timestamps) as a DatetimeIndex of naive local midnights."""
    days = list(days)
    if not days:
        return pd.DatetimeIndex([])
    return pd.DatetimeIndex(_local_day(days))


def _hourly_local(hourly: pd.DataFrame, value: str) -> pd.DataFrame:
    """Use summed into hours and converted to local time. Columns: ``hour`` (tz-aware local), ``value``.

    Flooring in UTC is safe because Denmark's offsets are whole hours.
    """
    frame = pd.DataFrame({
        "hour": _utc(hourly["start"]).dt.floor("h"),
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
        "day": _local_day(weather["date"]).to_numpy(),
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
    index = _day_index(pd.Series(days).dropna()).unique()
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
    if _is_missing(actual_kwh) or _is_missing(dd_actual) or _is_missing(dd_normal):
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
            np.nan if _is_missing(area) or area <= 0 else area)
        return kwh / area
    if _is_missing(kwh) or _is_missing(area_m2) or area_m2 <= 0:
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
        _is_missing(electricity_kwh) or _is_missing(district_heating_kwh)
    ):
        return None
    weighted = electricity_kwh * electricity_weight + district_heating_kwh * district_heating_weight
    return _per_m2(weighted, area_m2)


# --------------------------------------------------------------------------------------------------
# Load profiles in Danish local time
# --------------------------------------------------------------------------------------------------


def daily_totals_local(hourly: pd.DataFrame, value: str = "kwh", by: str | list[str] | None = None) -> pd.DataFrame:
    """Sums UTC-stamped interval rows into Danish local calendar days (Europe/Copenhagen).

    A row belongs to the local day of its ``start``. So the last Sunday of March sums 23 hourly rows,
    and the last Sunday of October sums 25. Missing values are left out of the sums. ``by`` names
    extra grouping columns, such as ``building_id``.
    Returns DataFrame[*by, day, <value>], where ``day`` is a naive local midnight. Rows are sorted.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    frame = hourly[keys].copy() if keys else pd.DataFrame(index=hourly.index)
    frame["day"] = _utc(hourly["start"]).dt.tz_convert(TIMEZONE).dt.tz_localize(None).dt.normalize()
    frame[value] = pd.to_numeric(hourly[value], errors="coerce")
    frame = frame.dropna(subset=[value])
    return frame.groupby([*keys, "day"], as_index=False, sort=True)[value].sum()


def base_load_kw(hourly: pd.DataFrame, value: str = "kwh", night_from: int = 0, night_to: int = 5) -> float | None:
    """Base load: the typical night minimum, as the median over days of the lowest hourly use at night.

    - Night is the local hours that start from ``night_from`` up to, but not including, ``night_to``.
      The default is 00:00–05:00 Danish time. The school is empty then, so what remains is the load
      that runs all the time.
    - One hour's kWh is that hour's average kW.
    - The median over days ignores the odd quiet night, or a night with work going on.
    - DST days are handled: the March night has no 02:00 hour, and the October night has two.
    Returns None when no night hours have data.
    """
    frame = _hourly_local(hourly, value)
    night = frame[(frame["hour"].dt.hour >= night_from) & (frame["hour"].dt.hour < night_to)]
    if night.empty:
        return None
    day = night["hour"].dt.tz_localize(None).dt.normalize()
    return float(night.groupby(day)[value].min().median())


def night_weekend_share(hourly: pd.DataFrame, value: str = "kwh") -> dict[str, float | None]:
    """Fractions (0–1) of the total use that fall at night, at weekends, or at either, in Danish local time.

    - ``night``: use in local hours starting 22:00–05:00, every day of the week. That is 22:00–06:00
      on the clock, so 8 hours, 7 on the March DST night and 9 on the October one.
    - ``weekend``: use on local Saturdays and Sundays, all hours.
    - ``night_or_weekend``: use in either, with weekend nights counted once. This is the school's
      "outside hours" share.
    All three are None when the total is 0 or there are no rows.
    """
    frame = _hourly_local(hourly, value)
    total = float(frame[value].sum())
    if frame.empty or total <= 0:
        return {"night": None, "weekend": None, "night_or_weekend": None}
    hour = frame["hour"].dt.hour
    is_night = (hour >= 22) | (hour < 6)
    is_weekend = frame["hour"].dt.day_of_week >= 5
    return {
        "night": float(frame.loc[is_night, value].sum() / total),
        "weekend": float(frame.loc[is_weekend, value].sum() / total),
        "night_or_weekend": float(frame.loc[is_night | is_weekend, value].sum() / total),
    }


# --------------------------------------------------------------------------------------------------
# Anomalies
# --------------------------------------------------------------------------------------------------

_ELECTRICITY_COLUMNS = ["building_id", "day", "kwh", "expected_kwh", "excess_kwh"]
_HEAT_COLUMNS = ["building_id", "day", "kwh", "degree_days", "expected_kwh", "excess_kwh"]


def _daily_by_building(daily: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Daily rows with ``day`` normalised to a naive local midnight; rows of the same building and day are summed."""
    frame = daily[["building_id", "day", *columns]].copy()
    frame["day"] = _local_day(frame["day"]).to_numpy()
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame.groupby(["building_id", "day"], as_index=False, sort=True)[columns].sum(min_count=1)


def electricity_expected(
    daily: pd.DataFrame,
    skip_days: Iterable[Any] = (),
    weeks: int = 8,
    min_weeks: int = 4,
) -> pd.DataFrame:
    """Expected daily electricity use: the median of the same weekday over the previous ``weeks`` weeks.

    ``daily`` has ``building_id``, ``day`` and ``kwh``. ``skip_days`` are the calendar's holidays and
    closed days. They are left out of every baseline, so a holiday does not lower the weeks after it.
    They are not judged themselves either: their ``expected_kwh`` is NaN. Days with no data are also
    left out of baselines. A baseline needs at least ``min_weeks`` values, or ``expected_kwh`` is NaN.
    Returns DataFrame[building_id, day, kwh, expected_kwh, baseline_weeks], one row per input day.
    """
    frame = _daily_by_building(daily, ["kwh"])
    if frame.empty:
        return frame.assign(expected_kwh=pd.Series(dtype=float), baseline_weeks=pd.Series(dtype=int))
    skip_index = _day_index(skip_days)
    skip = frame["day"].isin(skip_index)
    wide = frame[~skip].pivot(index="day", columns="building_id", values="kwh")
    wide = wide.reindex(pd.date_range(frame["day"].min(), frame["day"].max(), freq="D"))
    # On a complete daily index, shifting by 7·k rows puts the same weekday k weeks earlier in each row.
    earlier = pd.concat([wide.shift(7 * k) for k in range(1, weeks + 1)], keys=range(1, weeks + 1))
    median = earlier.groupby(level=1).median()
    count = earlier.groupby(level=1).count()
    expected = median.where(count >= min_weeks)

    def long(table: pd.DataFrame, name: str) -> pd.DataFrame:
        table = table.rename_axis(index="day", columns="building_id").reset_index()
        return table.melt(id_vars="day", var_name="building_id", value_name=name)

    result = frame.merge(long(expected, "expected_kwh"), on=["building_id", "day"], how="left")
    result = result.merge(long(count, "baseline_weeks"), on=["building_id", "day"], how="left")
    result.loc[result["day"].isin(skip_index), "expected_kwh"] = np.nan
    result["baseline_weeks"] = result["baseline_weeks"].fillna(0).astype(int)
    return result.sort_values(["building_id", "day"], ignore_index=True)


def electricity_anomalies(
    daily: pd.DataFrame,
    skip_days: Iterable[Any] = (),
    weeks: int = 8,
    min_relative: float = 0.25,
    min_excess_kwh: float = 20.0,
    min_weeks: int = 4,
) -> pd.DataFrame:
    """Days whose electricity use exceeds its weekday baseline by both a relative and an absolute margin.

    The baseline ``expected_kwh`` is described in ``electricity_expected``: the same-weekday median
    over 8 weeks, with holidays and closed days skipped. Let excess = kwh − expected. A day is flagged
    when excess > ``min_relative`` × expected (default 25 %) AND excess > ``min_excess_kwh`` (default
    20 kWh). Both limits must be passed:
    - the relative one keeps a large building's normal swings quiet;
    - the absolute one keeps tiny buildings from being flagged for a few kWh.
    Reaching a limit exactly does not flag the day.
    Returns the flagged rows only, as DataFrame[building_id, day, kwh, expected_kwh, excess_kwh],
    sorted by building and day.
    """
    rows = electricity_expected(daily, skip_days, weeks, min_weeks)
    rows["excess_kwh"] = rows["kwh"] - rows["expected_kwh"]
    flagged = (rows["excess_kwh"] > min_relative * rows["expected_kwh"]) & (rows["excess_kwh"] > min_excess_kwh)
    return rows.loc[flagged.fillna(False), _ELECTRICITY_COLUMNS].reset_index(drop=True)


def _robust_sigma(residuals: np.ndarray) -> float:
    """Robust standard deviation: 1.4826 × median |r − median(r)| (the MAD). Outliers barely move it."""
    return float(_MAD_TO_SIGMA * np.median(np.abs(residuals - np.median(residuals))))


def _fit_heat(x: np.ndarray, y: np.ndarray, k: float, min_days: int) -> tuple[float, float, float]:
    """Least-squares line y = base + slope·x, refitted without points beyond k·sigma until the inlier set settles."""
    design = np.column_stack([np.ones_like(x), x])
    inliers = np.ones(len(x), dtype=bool)
    for _ in range(10):
        (base, slope), *_ = np.linalg.lstsq(design[inliers], y[inliers], rcond=None)
        residuals = y - (base + slope * x)
        sigma = _robust_sigma(residuals[inliers])
        if sigma == 0:
            break
        settled = np.abs(residuals) <= k * sigma
        if settled.sum() < min_days or np.array_equal(settled, inliers):
            break
        inliers = settled
    return float(base), float(slope), sigma


def heat_signature(
    daily: pd.DataFrame,
    skip_days: Iterable[Any] = (),
    k: float = 3.0,
    min_days: int = 14,
) -> pd.DataFrame:
    """Each building's heat signature: daily heat = base_kwh + kwh_per_degree_day × degree days.

    - The line is fitted by least squares (numpy), on the building's days with both heat and degree
      days, except ``skip_days``: holidays and closed days run on setback.
    - Days whose residual is beyond ``k`` × sigma are dropped, and the line is fitted again, until
      the set of days stops changing. So a fault does not bend the line it is judged against.
    - ``sigma_kwh`` is the robust sigma of the remaining residuals: 1.4826 × MAD.
    - A building with fewer than ``min_days`` usable days gets NaN coefficients.
    Returns DataFrame indexed by building_id: base_kwh, kwh_per_degree_day, sigma_kwh, days.
    """
    frame = _daily_by_building(daily, ["kwh", "degree_days"]).dropna(subset=["kwh", "degree_days"])
    frame = frame[~frame["day"].isin(_day_index(skip_days))]
    rows = {}
    for building_id, group in frame.groupby("building_id", sort=True):
        if len(group) < min_days:
            rows[building_id] = (np.nan, np.nan, np.nan, len(group))
            continue
        base, slope, sigma = _fit_heat(group["degree_days"].to_numpy(float), group["kwh"].to_numpy(float), k, min_days)
        rows[building_id] = (base, slope, sigma, len(group))
    result = pd.DataFrame.from_dict(
        rows, orient="index", columns=["base_kwh", "kwh_per_degree_day", "sigma_kwh", "days"]
    )
    result.index.name = "building_id"
    return result.astype({"days": int})


def heat_anomalies(
    daily: pd.DataFrame,
    skip_days: Iterable[Any] = (),
    k: float = 3.0,
    min_days: int = 14,
    min_excess_kwh: float = 10.0,
) -> pd.DataFrame:
    """Days whose heat use is above the building's heat signature by more than k robust sigmas.

    Expected use = base_kwh + kwh_per_degree_day × degree days, from ``heat_signature``. Let
    excess = kwh − expected.
    - A day is flagged when excess > max(``k`` × sigma_kwh, ``min_excess_kwh``).
    - ``min_excess_kwh`` keeps near-perfect fits, where sigma ≈ 0, from flagging rounding noise.
    - Only excess use is flagged, because waste is what the facilities manager acts on.
    - ``skip_days`` are not judged.
    Returns the flagged rows only, as DataFrame[building_id, day, kwh, degree_days, expected_kwh,
    excess_kwh], sorted by building and day.
    """
    frame = _daily_by_building(daily, ["kwh", "degree_days"])
    frame = frame[~frame["day"].isin(_day_index(skip_days))]
    signature = heat_signature(daily, skip_days, k, min_days)
    if signature.empty:  # no day with both heat and degree days (no weather for them): nothing to judge by
        return pd.DataFrame(columns=_HEAT_COLUMNS)
    rows = frame.merge(signature, left_on="building_id", right_index=True, how="inner")
    rows["expected_kwh"] = rows["base_kwh"] + rows["kwh_per_degree_day"] * rows["degree_days"]
    rows["excess_kwh"] = rows["kwh"] - rows["expected_kwh"]
    limit = np.maximum(k * rows["sigma_kwh"], min_excess_kwh)
    flagged = (rows["excess_kwh"] > limit).fillna(False)
    return rows.loc[flagged, _HEAT_COLUMNS].sort_values(["building_id", "day"], ignore_index=True)


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
    days = _local_day(daily.index.to_series())
    lookup = pd.Series(daily.to_numpy(), index=pd.DatetimeIndex(days))
    if lookup.index.has_duplicates:
        raise ValueError("the series has more than one value for a day")
    aligned = pd.DatetimeIndex([pd.Timestamp(same_day_last_year(d)) for d in days])
    return pd.Series(lookup.reindex(aligned).to_numpy(), index=daily.index, name=daily.name)
