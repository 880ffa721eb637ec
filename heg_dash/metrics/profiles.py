"""Load profiles and anomalies, pure like ``metrics.energy`` (its conventions apply): the base load, the night and
weekend shares of hourly use, and the days whose use is far above what is expected (electricity against the same
weekday in the weeks before, heat against the building's heat signature), holidays and closed days skipped.

- ``daily_totals_local(hourly, value="kwh", by=None) -> DataFrame[*by, day, kwh]``
- ``base_load_kw(hourly, value="kwh", night_from=0, night_to=5) -> float | None``
- ``night_weekend_share(hourly, value="kwh") -> dict``
- ``electricity_expected(daily, skip_days=(), weeks=8, min_weeks=4) -> DataFrame``
- ``electricity_anomalies(daily, skip_days=(), weeks=8, min_relative=0.25, min_excess_kwh=20.0, min_weeks=4)``
- ``heat_signature(daily, skip_days=(), k=3.0, min_days=14) -> DataFrame`` (by building_id)
- ``heat_anomalies(daily, skip_days=(), k=3.0, min_days=14, min_excess_kwh=10.0)``
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.metrics.energy import day_index, hourly_local, local_day, utc_times


def daily_totals_local(hourly: pd.DataFrame, value: str = "kwh", by: str | list[str] | None = None) -> pd.DataFrame:
    """Sums UTC-stamped interval rows into Danish local calendar days (Europe/Copenhagen).

    A row belongs to the local day of its ``start``. So the last Sunday of March sums 23 hourly rows,
    and the last Sunday of October sums 25. Missing values are left out of the sums. ``by`` names
    extra grouping columns, such as ``building_id``.
    Returns DataFrame[*by, day, <value>], where ``day`` is a naive local midnight. Rows are sorted.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    frame = hourly[keys].copy() if keys else pd.DataFrame(index=hourly.index)
    frame["day"] = utc_times(hourly["start"]).dt.tz_convert(TIMEZONE).dt.tz_localize(None).dt.normalize()
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
    frame = hourly_local(hourly, value)
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
    frame = hourly_local(hourly, value)
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


_ELECTRICITY_COLUMNS = ["building_id", "day", "kwh", "expected_kwh", "excess_kwh"]


_HEAT_COLUMNS = ["building_id", "day", "kwh", "degree_days", "expected_kwh", "excess_kwh"]


def _daily_by_building(daily: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Daily rows with ``day`` normalised to a naive local midnight; rows of the same building and day are summed."""
    frame = daily[["building_id", "day", *columns]].copy()
    frame["day"] = local_day(frame["day"]).to_numpy()
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
    skip_index = day_index(skip_days)
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
    frame = frame[~frame["day"].isin(day_index(skip_days))]
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
    frame = frame[~frame["day"].isin(day_index(skip_days))]
    signature = heat_signature(daily, skip_days, k, min_days)
    if signature.empty:  # no day with both heat and degree days (no weather for them): nothing to judge by
        return pd.DataFrame(columns=_HEAT_COLUMNS)
    rows = frame.merge(signature, left_on="building_id", right_index=True, how="inner")
    rows["expected_kwh"] = rows["base_kwh"] + rows["kwh_per_degree_day"] * rows["degree_days"]
    rows["excess_kwh"] = rows["kwh"] - rows["expected_kwh"]
    limit = np.maximum(k * rows["sigma_kwh"], min_excess_kwh)
    flagged = (rows["excess_kwh"] > limit).fillna(False)
    return rows.loc[flagged, _HEAT_COLUMNS].sort_values(["building_id", "day"], ignore_index=True)


# MAD × 1.4826 estimates the standard deviation of normally distributed residuals.
_MAD_TO_SIGMA = 1.4826


def expected_hours(hourly: pd.DataFrame, first_hour: pd.Timestamp, skip_days: Iterable[Any] = (), weeks: int = 8,
                   min_weeks: int = 4, value: str = "kwh") -> pd.DataFrame:
    """The expected use of each hour from ``first_hour`` on: the median of the same local weekday and hour over
    the ``weeks`` weeks before ``first_hour`` (the anomaly baseline of electricity, hour by hour), leaving out
    the calendar's holidays and closed days (``skip_days``) and hours without data. An hour whose baseline has
    fewer than ``min_weeks`` values, or that is itself a skipped day, has no expectation (NaN).

    ``hourly``: UTC ``start`` and ``value`` per hour (several series summed per hour; pass one scope), covering
    the baseline weeks and the period. Returns DataFrame[start (UTC), kwh, expected_kwh] for the hours from
    ``first_hour`` on.
    """
    frame = hourly_local(hourly, value)
    if frame.empty:
        return pd.DataFrame({"start": pd.Series(dtype="datetime64[us, UTC]"), value: pd.Series(dtype=float),
                             "expected_kwh": pd.Series(dtype=float)})
    first = utc_times(pd.Series([first_hour])).iloc[0]
    local = frame["hour"]
    skip = local.dt.tz_localize(None).dt.normalize().isin(day_index(skip_days))
    slot = local.dt.day_of_week * 24 + local.dt.hour
    start_utc = local.dt.tz_convert("UTC")
    baseline = frame[(start_utc < first) & (start_utc >= first - pd.Timedelta(weeks=weeks)) & ~skip]
    stats = baseline.groupby(slot[baseline.index])[value].agg(["median", "count"])
    period = frame[start_utc >= first].copy()
    expected = slot[period.index].map(stats["median"].where(stats["count"] >= min_weeks))
    period["expected_kwh"] = expected.where(~skip[period.index]).astype(float)
    return pd.DataFrame({"start": start_utc[period.index], value: period[value], "expected_kwh":
                         period["expected_kwh"]}).reset_index(drop=True)


def weekly_variation(hourly: pd.DataFrame, first_hour: pd.Timestamp, weeks: int = 8, value: str = "kwh"
                     ) -> float | None:
    """How much a week's use usually differs from its neighbours': the median absolute deviation of the weekly
    totals of the ``weeks`` whole weeks before ``first_hour`` from their median, as a share of that median
    (× 1.4826, a standard deviation for normal data). None with fewer than 4 weeks or no use."""
    frame = hourly_local(hourly, value)
    start_utc = frame["hour"].dt.tz_convert("UTC")
    first = utc_times(pd.Series([first_hour])).iloc[0]
    before = frame[(start_utc < first) & (start_utc >= first - pd.Timedelta(weeks=weeks))]
    if before.empty:
        return None
    week_no = ((first - start_utc[before.index]) // pd.Timedelta(weeks=1)).astype(int)
    totals = before.groupby(week_no)[value].sum()
    totals = totals[totals > 0]
    if len(totals) < 4:
        return None
    median = float(totals.median())
    return float(_MAD_TO_SIGMA * (totals - median).abs().median() / median) if median > 0 else None
