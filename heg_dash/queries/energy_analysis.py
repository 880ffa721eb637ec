"""The Energi page's analyses, read like ``queries.energy``: weather-normalised heat per campus, load profiles
(base load, night and weekend shares), and the days whose use is far above what was expected, with their cost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from heg_dash import config
from heg_dash.config import TIMEZONE
from heg_dash.metrics import energy as em
from heg_dash.metrics import profiles
from heg_dash.queries.cache import cached
from heg_dash.queries.energy import READINGS_FROM, daily_by_building, daily_unit_price, hourly_by_building
from heg_dash.queries.overview import table
from heg_dash.queries.usage import KWH_SQL, local_bounds, scope_sql
from heg_dash.store import db

ANOMALY_LOOKBACK_DAYS = 56  # the electricity baseline looks 8 weeks back


# A heat day must also exceed its signature by this share: the day-to-day noise of heat grows with the
# load, so a k-sigma limit alone flags ordinary cold days (the electricity rule has 25 % likewise).
HEAT_MIN_RELATIVE = 0.25


HEAT_FIT_DAYS = 365  # a heat signature is fitted on at least a year, so a short period is judged fairly


@cached
def skip_days() -> tuple[dt.date, ...]:
    """The calendar's holidays and closed days: anomaly baselines skip them."""
    frame = db.read_df("SELECT date FROM calendar WHERE kind IN ('holiday', 'closed') ORDER BY date")
    return tuple(pd.to_datetime(frame["date"]).dt.date)


@cached
def weather(campus: str | None = None) -> pd.DataFrame:
    """The stored daily mean temperatures (campus_id, date, mean_temp_c), one campus or all."""
    sql = "SELECT campus_id, date, mean_temp_c FROM weather"
    params: list = []
    if campus:
        sql += " WHERE campus_id = ?"
        params.append(campus)
    return db.read_df(sql + " ORDER BY campus_id, date", params)


@cached
def heat_span_by_campus(first_day: dt.date, last_day: dt.date, campus: str | None = None) -> pd.DataFrame:
    """District heating per campus in the period with the local days its readings cover.

    Columns: campus_id, kwh, first_day, last_day (last day = the local day before the latest end).
    """
    lo, hi = local_bounds(first_day, last_day)
    params: list = [lo, hi]
    scope = scope_sql(campus, None, params)
    return db.read_df(
        f"""
        SELECT b.campus_id, sum({KWH_SQL}) AS kwh, timezone('{TIMEZONE}', min(r.start))::DATE AS first_day,
               timezone('{TIMEZONE}', max(r."end") - INTERVAL '1 microsecond')::DATE AS last_day
        {READINGS_FROM}
        WHERE m.utility = 'district_heating' AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY b.campus_id ORDER BY 1
        """,
        params,
    )


def _heat_days(first_day: dt.date, last_day: dt.date, campus: str | None, building: str | None) -> pd.DataFrame:
    """Daily heat per building with that campus's degree days (building_id, campus_id, day, kwh, degree_days)."""
    heat = daily_by_building.uncached("district_heating", first_day, last_day, campus, building)
    if heat.empty:
        return heat
    temps = weather.uncached(campus)
    temps = temps.assign(day=pd.to_datetime(temps["date"]), degree_days=em.degree_days(temps["mean_temp_c"]))
    return heat.assign(day=pd.to_datetime(heat["day"])).merge(
        temps[["campus_id", "day", "degree_days"]], on=["campus_id", "day"], how="left")


def _day_kinds(days: pd.Series, skip: tuple[dt.date, ...]) -> list[tuple[pd.DatetimeIndex, list]]:
    """School days and weekends as two groups, each judged against its own heat signature (the heating
    runs on setback at weekends): [(days judged, days left out of that fit)]. Holidays and closed days
    are left out of both."""
    stamps = pd.DatetimeIndex(pd.to_datetime(days).unique())
    holidays = pd.DatetimeIndex(pd.to_datetime(list(skip)))
    open_days = stamps[~stamps.isin(holidays)]
    weekend = open_days[open_days.day_of_week >= 5]
    school = open_days[open_days.day_of_week < 5]
    return [(school, [*holidays, *weekend]), (weekend, [*holidays, *school])]


@cached
def normalised_heat(first_day: dt.date, last_day: dt.date, campus: str | None = None) -> pd.DataFrame:
    """District heating per campus normalised to a normal year with that campus's degree days.

    normal = actual × ((1 − w) · DD_normal / DD_actual + w) (metrics.energy.normalise_heat), where
    DD_actual sums the campus's degree days over the days its heat readings cover (within the period)
    and DD_normal is the normal-year setting scaled to those same days by the campus's own degree-day
    climatology (metrics.energy.normal_degree_days_for_days). Days without weather are left out of both.
    Columns: campus_id, kwh, dd_actual, dd_normal, normalised_kwh, days.
    """
    settings = config.settings()
    heat = heat_span_by_campus.uncached(first_day, last_day, campus)
    rows = []
    for record in heat.itertuples():
        temps = weather.uncached(record.campus_id)
        if temps.empty or pd.isna(record.kwh):
            rows.append((record.campus_id, record.kwh, None, None, None, 0))
            continue
        dates = pd.to_datetime(temps["date"]).dt.date
        first = max(first_day, record.first_day.date() if hasattr(record.first_day, "date") else record.first_day)
        last = min(last_day, record.last_day.date() if hasattr(record.last_day, "date") else record.last_day)
        covered = temps[(dates >= first) & (dates <= last)].dropna(subset=["mean_temp_c"])
        if covered.empty:
            rows.append((record.campus_id, record.kwh, None, None, None, 0))
            continue
        dd_actual = float(em.degree_days(covered["mean_temp_c"]).sum())
        climatology = em.degree_day_climatology(temps)
        dd_normal = em.normal_degree_days_for_days(covered["date"], settings.normal_degree_days, climatology)
        normal = em.normalise_heat(float(record.kwh), dd_actual, dd_normal, settings.hot_water_share)
        rows.append((record.campus_id, float(record.kwh), dd_actual, dd_normal, normal, len(covered)))
    return pd.DataFrame(rows, columns=["campus_id", "kwh", "dd_actual", "dd_normal", "normalised_kwh", "days"])


@cached
def load_profiles(first_day: dt.date, last_day: dt.date, campus: str | None = None,
                  building: str | None = None) -> pd.DataFrame:
    """Electricity base load (median night minimum, kW) and night / weekend shares per building.

    Columns: building_id, kwh, base_load_kw, night, weekend, night_or_weekend (metrics.energy rules).
    """
    hourly = hourly_by_building.uncached("electricity", first_day, last_day, campus, building)
    rows = []
    for building_id, group in hourly.groupby("building_id", sort=True):
        shares = profiles.night_weekend_share(group)
        rows.append((building_id, float(group["kwh"].sum()), profiles.base_load_kw(group), shares["night"],
                     shares["weekend"], shares["night_or_weekend"]))
    return pd.DataFrame(rows, columns=["building_id", "kwh", "base_load_kw", "night", "weekend",
                                       "night_or_weekend"])


@cached
def anomalies(first_day: dt.date, last_day: dt.date, campus: str | None = None,
              building: str | None = None) -> pd.DataFrame:
    """Days in the period whose electricity or heat use departs from what was expected, with excess DKK.

    Electricity: the median of the same weekday over the previous 8 weeks (looking back before the
    period). Heat: each building's degree-day signature, fitted on the year up to the period's end (at
    least) separately for school days and weekends, flagged beyond 3 robust sigmas and 25 %
    (HEAT_MIN_RELATIVE). The calendar's holidays and closed days are skipped
    (metrics.energy). Excess DKK = excess kWh × that day's mean complete price (spot + tariff + tax,
    or all-in; never spot alone).
    Columns: utility, building_id, campus_id, day (date), kwh, expected_kwh, excess_kwh, excess_dkk.
    """
    skip = skip_days.uncached()
    found = []
    lookback = first_day - dt.timedelta(days=ANOMALY_LOOKBACK_DAYS)
    electricity = daily_by_building.uncached("electricity", lookback, last_day, campus, building)
    if not electricity.empty:
        flagged = profiles.electricity_anomalies(electricity, skip)
        flagged["utility"] = "electricity"
        found.append(flagged)
    heat = _heat_days(min(first_day, last_day - dt.timedelta(days=HEAT_FIT_DAYS - 1)), last_day, campus, building)
    if not heat.empty:
        parts = []
        for judged, not_judged in _day_kinds(heat["day"], skip):
            flagged = profiles.heat_anomalies(heat, not_judged)
            parts.append(flagged[flagged["day"].isin(judged)])
        flagged = pd.concat(parts, ignore_index=True)
        flagged = flagged[flagged["excess_kwh"] > HEAT_MIN_RELATIVE * flagged["expected_kwh"]]
        flagged["utility"] = "district_heating"
        found.append(flagged)
    columns = ["utility", "building_id", "campus_id", "day", "kwh", "expected_kwh", "excess_kwh", "excess_dkk"]
    # An empty part (no weather, so no heat signature) has object columns that would make the others' numbers
    # objects too, and the price multiplication below fail.
    found = [part for part in found if not part.empty]
    if not found:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(found, ignore_index=True)
    frame["day"] = pd.to_datetime(frame["day"])
    frame = frame[(frame["day"] >= pd.Timestamp(first_day)) & (frame["day"] <= pd.Timestamp(last_day))]
    campus_of = table.uncached("buildings").set_index("building_id")["campus_id"]
    frame["campus_id"] = frame["building_id"].map(campus_of)
    frame["excess_dkk"] = np.nan
    for utility in frame["utility"].unique():
        price = daily_unit_price.uncached(utility, first_day, last_day)
        rows = frame["utility"] == utility
        frame.loc[rows, "excess_dkk"] = frame.loc[rows, "excess_kwh"] * frame.loc[rows, "day"].map(price).to_numpy()
    frame["day"] = frame["day"].dt.date
    return frame[columns].sort_values(["day", "building_id"], ignore_index=True)


@cached
def daily_expected(utility: str, building: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """One building's daily use in the period beside what was expected (the anomaly baselines).

    Columns: day (Timestamp), kwh, expected_kwh, flagged (bool) — flagged by ``anomalies``' rules.
    """
    columns = ["day", "kwh", "expected_kwh", "flagged"]
    skip = skip_days.uncached()
    if utility == "electricity":
        lookback = first_day - dt.timedelta(days=ANOMALY_LOOKBACK_DAYS)
        daily = daily_by_building.uncached(utility, lookback, last_day, None, building)
        if daily.empty:
            return pd.DataFrame(columns=columns)
        frame = profiles.electricity_expected(daily, skip)
    else:
        frame = _heat_days(min(first_day, last_day - dt.timedelta(days=HEAT_FIT_DAYS - 1)), last_day, None, building)
        if frame.empty:
            return pd.DataFrame(columns=columns)
        frame["expected_kwh"] = np.nan
        for judged, not_judged in _day_kinds(frame["day"], skip):
            signature = profiles.heat_signature(frame, not_judged)
            if signature.empty:
                continue
            row = signature.iloc[0]
            rows = frame["day"].isin(judged)
            frame.loc[rows, "expected_kwh"] = (row["base_kwh"]
                                               + row["kwh_per_degree_day"] * frame.loc[rows, "degree_days"])
    frame["day"] = pd.to_datetime(frame["day"])
    frame = frame[(frame["day"] >= pd.Timestamp(first_day)) & (frame["day"] <= pd.Timestamp(last_day))]
    flagged = anomalies.uncached(first_day, last_day, None, building)
    flagged = flagged[flagged["utility"] == utility]
    frame = frame.assign(flagged=frame["day"].dt.date.isin(set(flagged["day"])))
    return frame[columns].reset_index(drop=True)


def anomaly_summary(found: pd.DataFrame) -> pd.DataFrame:
    """Anomaly days grouped per utility and building: days, first, last, excess kWh and DKK, worst first."""
    summary = found.groupby(["utility", "building_id"], as_index=False).agg(
        days=("day", "count"), first=("day", "min"), last=("day", "max"), excess=("excess_kwh", "sum"),
        dkk=("excess_dkk", "sum"))
    return summary.sort_values("excess", ascending=False, ignore_index=True)


@dataclass(frozen=True)
class AgainstExpected:
    """A period's use against what was expected hour by hour (``metrics.profiles.expected_hours``): the answer
    to "is the use normal?". ``actual_kwh`` and ``expected_kwh`` cover the hours that have an expectation;
    ``change`` = actual ÷ expected − 1; ``usual`` the weekly use's usual variation (a share, one σ);
    ``normal`` whether |change| ≤ 2 × usual; ``building`` and ``band`` (night, weekend, day) hold most of the
    difference. ``hours``: start (UTC), kwh, expected_kwh for the chart."""

    actual_kwh: float | None
    expected_kwh: float | None
    change: float | None
    usual: float | None
    normal: bool | None
    building: str | None
    band: str | None
    hours: pd.DataFrame

    @property
    def normal_limit(self) -> float | None:
        """The largest change (a share, either way) that is still normal: two usual variations."""
        return normal_limit(self.usual)


def normal_limit(usual: float | None) -> float | None:
    """The largest change that is normal for a usual (one σ) variation ``usual``."""
    return None if usual is None else NORMAL_SIGMAS * usual


NORMAL_SIGMAS = 2.0  # a change within two usual variations is normal
BASELINE_WEEKS = 8


@cached
def against_expected(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                     building: str | None = None) -> AgainstExpected | None:
    """The period's hourly use against its expected profile, for hourly utilities (None when the scope has no
    hourly readings in the period)."""
    history = hourly_by_building(utility, first_day - dt.timedelta(weeks=BASELINE_WEEKS), last_day, campus, building)
    if history.empty:
        return None
    first_hour = pd.Timestamp(first_day).tz_localize(TIMEZONE)
    skip = skip_days()
    total = history.groupby("start", as_index=False)["kwh"].sum()
    hours = profiles.expected_hours(total, first_hour, skip, BASELINE_WEEKS)
    if hours.empty:
        return None
    known = hours["expected_kwh"].notna()
    actual = float(hours.loc[known, "kwh"].sum()) if known.any() else None
    expected = float(hours.loc[known, "expected_kwh"].sum()) if known.any() else None
    change = actual / expected - 1 if actual is not None and expected else None
    usual = profiles.weekly_variation(total, first_hour, BASELINE_WEEKS)
    normal = None if change is None or usual is None else abs(change) <= normal_limit(usual)
    top_building = top_band = None
    if change is not None and not normal:  # where most of the difference is: which building, and when
        sign = 1 if change > 0 else -1
        own = {building_id: profiles.expected_hours(rows[["start", "kwh"]], first_hour, skip, BASELINE_WEEKS)
               for building_id, rows in history.groupby("building_id")}
        excess = {b: float((h["kwh"] - h["expected_kwh"]).dropna().sum()) for b, h in own.items()}
        top_building = max(excess, key=lambda b: sign * excess[b])
        top = own[top_building].dropna(subset=["expected_kwh"])
        local = top["start"].dt.tz_convert(TIMEZONE)
        band = np.where(local.dt.day_of_week >= 5, "weekend",
                        np.where((local.dt.hour >= 22) | (local.dt.hour < 6), "night", "day"))
        by_band = (top["kwh"] - top["expected_kwh"]).groupby(band).sum()
        top_band = str((sign * by_band).idxmax()) if not by_band.empty else None
    return AgainstExpected(actual, expected, change, usual, normal, top_building, top_band, hours)
