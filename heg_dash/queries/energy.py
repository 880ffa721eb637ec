"""Reads behind the Energi and Faciliteter pages and the ``energy`` KPIs: aggregated in DuckDB, small results.

Every read filters on ``start >= lo AND start < hi`` with the UTC instants of local midnights
(``usage.local_bounds``), so the predicate stays on the stored column and DST days come out exact.
Readings follow meter → building → campus; sub-meters (with a parent meter) are never summed.
Quantities are kWh for energy meters (MWh × 1000, GJ ÷ 0.0036) and the meter's own unit otherwise
(water m³, gas Nm³, oil l).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from heg_dash import config, db
from heg_dash.config import TIMEZONE
from heg_dash.metrics import energy as em
from heg_dash.metrics.cost import cost_dkk
from heg_dash.metrics.facilities import area_in_use_m2
from heg_dash.queries.cache import cached
from heg_dash.queries.overview import table
from heg_dash.queries.usage import (
    DAILY_FROM,
    KWH_SQL,
    _scope_sql,
    kwh_sql,
    local_bounds,
    totals_by_utility,
    use_by_meter,
    utc_hour_sql,
)

# Quantity of one reading: kWh for energy units, the meter's own unit otherwise; and that unit's name.
QTY_SQL = f"coalesce({KWH_SQL}, r.value)"
UNIT_SQL = "CASE WHEN m.unit IN ('kWh', 'MWh', 'GJ') THEN 'kWh' ELSE m.unit END"
_FROM = "FROM readings r JOIN meters m USING (meter_id) JOIN buildings b ON b.building_id = m.building_id"
_SERIES_SQL = {None: "'total'", "campus": "b.campus_id", "building": "b.building_id"}
ANOMALY_LOOKBACK_DAYS = 56  # the electricity baseline looks 8 weeks back
# A heat day must also exceed its signature by this share: the day-to-day noise of heat grows with the
# load, so a k-sigma limit alone flags ordinary cold days (the electricity rule has 25 % likewise).
HEAT_MIN_RELATIVE = 0.25
HEAT_FIT_DAYS = 365  # a heat signature is fitted on at least a year, so a short period is judged fairly


# A reading's quantity from the per-day sums (heg_dash.rollup): it belongs to the local day of its start.
DAY_QTY_SQL = f"coalesce({kwh_sql('d.value')}, d.value)"


@cached
def consumption(utility: str, first_day: dt.date, last_day: dt.date, res: str, campus: str | None = None,
                building: str | None = None, by: str | None = None, shift_days: int = 0) -> pd.DataFrame:
    """Use of one utility per local period at resolution ``res`` (hour, day, week, month, year).

    ``by`` splits into series: None (one total), "campus" or "building". ``shift_days`` moves the
    readings forward by whole days before bucketing, so last year's ISO-aligned period lands on this
    year's calendar (hour buckets are not shifted by it; pass the aligned period instead).
    Columns: period (naive local timestamp), series, unit, value. Readings longer than a bucket
    (daily heat, monthly water) keep their start.

    Hours are bucketed in UTC so the repeated October hour stays two hours, then shown on the local
    clock; days and longer are taken on the local calendar from the per-day sums.
    """
    if res not in ("hour", "day", "week", "month", "year"):
        raise ValueError(f"unknown resolution {res!r}")
    if res == "hour":
        lo, hi = local_bounds(first_day, last_day)
        params: list = [utility, lo, hi]
        scope = _scope_sql(campus, building, params)
        sql = f"""
            SELECT timezone('{TIMEZONE}', bucket) AS period, series, unit, value FROM (
                SELECT {utc_hour_sql()} AS bucket, {_SERIES_SQL[by]} AS series, {UNIT_SQL} AS unit,
                       sum({QTY_SQL}) AS value
                {_FROM}
                WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
                GROUP BY ALL
            ) ORDER BY series, bucket
            """
    else:
        params = [int(shift_days), utility, first_day, last_day]
        scope = _scope_sql(campus, building, params)
        sql = f"""
            SELECT bucket AS period, series, unit, value FROM (
                SELECT CAST(date_trunc('{res}', d.day + CAST(? AS INTEGER)) AS TIMESTAMP) AS bucket,
                       {_SERIES_SQL[by]} AS series, {UNIT_SQL} AS unit, sum({DAY_QTY_SQL}) AS value
                {DAILY_FROM}
                WHERE m.utility = ? AND m.parent_meter_id IS NULL AND d.day BETWEEN ? AND ? {scope}
                GROUP BY ALL
            ) ORDER BY series, bucket
            """
    frame = db.read_df(sql, params)
    if res == "hour" and shift_days:
        frame["period"] = frame["period"] + pd.Timedelta(days=int(shift_days))
    return frame


@cached
def daily_by_building(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                      building: str | None = None) -> pd.DataFrame:
    """Use per building and local day (kWh for energy). Columns: building_id, campus_id, day, kwh."""
    params: list = [utility, first_day, last_day]
    scope = _scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT b.building_id, b.campus_id, d.day, sum({DAY_QTY_SQL}) AS kwh
        {DAILY_FROM}
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND d.day BETWEEN ? AND ? {scope}
        GROUP BY ALL ORDER BY 1, 3
        """,
        params,
    )


@cached
def hourly_by_building(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                       building: str | None = None) -> pd.DataFrame:
    """Use per building and UTC hour in kWh (main meters). Columns: building_id, start (UTC), kwh."""
    lo, hi = local_bounds(first_day, last_day)
    params: list = [utility, lo, hi]
    scope = _scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT b.building_id, {utc_hour_sql()} AS start, sum({KWH_SQL}) AS kwh
        {_FROM}
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY ALL ORDER BY 1, 2
        """,
        params,
    )


@cached
def hour_weekday_profile(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                         building: str | None = None) -> pd.DataFrame:
    """Mean use per local hour of the day and ISO weekday (1 = Monday), from hourly sums (168 rows at most).

    Columns: weekday, hour, kwh (mean kWh in that hour over the days that have it).
    """
    lo, hi = local_bounds(first_day, last_day)
    params: list = [utility, lo, hi]
    scope = _scope_sql(campus, building, params)
    return db.read_df(
        f"""
        WITH h AS (
            SELECT {utc_hour_sql()} AS hour_utc, sum({KWH_SQL}) AS kwh
            {_FROM}
            WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
              AND r."end" - r.start <= INTERVAL 1 HOUR
            GROUP BY 1
        )
        SELECT isodow(timezone('{TIMEZONE}', hour_utc)) AS weekday, hour(timezone('{TIMEZONE}', hour_utc)) AS hour,
               avg(kwh) AS kwh
        FROM h GROUP BY ALL ORDER BY 1, 2
        """,
        params,
    )


@cached
def quantity_series(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                    building: str | None = None) -> pd.DataFrame:
    """Use per UTC hour (or per reading start, for longer readings) in kWh or the meter's unit.

    Columns: start (UTC), unit, quantity. The base for pricing: electricity spot changes by the hour.
    """
    lo, hi = local_bounds(first_day, last_day)
    params: list = [utility, lo, hi]
    scope = _scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT {utc_hour_sql()} AS start, {UNIT_SQL} AS unit, sum({QTY_SQL}) AS quantity
        {_FROM}
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY ALL ORDER BY 1
        """,
        params,
    )


@cached
def prices(utility: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """Price rows of one utility in force at some time in the local period (kind, start, end, dkk_per_unit,
    unit, source)."""
    lo, hi = local_bounds(first_day, last_day)
    return db.read_df(
        'SELECT kind, start, "end", dkk_per_unit, unit, source FROM energy_prices '
        'WHERE utility = ? AND start < ? AND "end" > ? ORDER BY kind, start',
        [utility, hi, lo],
    )


@cached
def cost(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
         building: str | None = None) -> dict:
    """The cost of a utility's use in the period: use × the price components in force (metrics.cost).

    Returns {"dkk": total or None, "priced_share": share of the use that had a complete price (0–1) or
    None, "unit": the use unit, "sources": the price sources}. None when nothing is stored.
    """
    use = quantity_series.uncached(utility, first_day, last_day, campus, building)
    price_rows = prices.uncached(utility, first_day, last_day)
    if use.empty or use["quantity"].sum() == 0:
        return {"dkk": None, "priced_share": None, "unit": None, "sources": []}
    unit = str(use["unit"].mode().iloc[0])
    use = use[use["unit"] == unit]
    dkk = cost_dkk(use, price_rows, value="quantity", use_unit=unit)
    priced = dkk.notna()
    total = float(use["quantity"].sum())
    return {
        "dkk": float(dkk[priced].sum()) if priced.any() else None,
        "priced_share": float(use.loc[priced.to_numpy(), "quantity"].sum() / total) if total else None,
        "unit": unit,
        "sources": sorted(set(price_rows["source"].dropna().astype(str))),
    }


@cached
def daily_unit_price(utility: str, first_day: dt.date, last_day: dt.date) -> pd.Series:
    """The mean complete price per kWh (or unit) of each local day: for electricity the mean over the
    day's hours of spot + tariff + tax; for all-in prices the price at the day's start. Index: day."""
    price_rows = prices.uncached(utility, first_day, last_day)
    lo, hi = local_bounds(first_day, last_day)
    hours = pd.date_range(lo, hi, freq="h", inclusive="left")
    unit = "kWh" if utility in ("electricity", "district_heating", "solar_pv") else {
        "water": "m3", "gas": "Nm3", "oil": "l"}.get(utility, "kWh")
    probe = pd.DataFrame({"start": hours, "one": 1.0})
    per_hour = cost_dkk(probe, price_rows, value="one", use_unit=unit)
    days = pd.Series(hours.tz_convert(TIMEZONE).tz_localize(None).normalize())
    return per_hour.groupby(days.to_numpy()).mean()


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
    scope = _scope_sql(campus, None, params)
    return db.read_df(
        f"""
        SELECT b.campus_id, sum({KWH_SQL}) AS kwh, timezone('{TIMEZONE}', min(r.start))::DATE AS first_day,
               timezone('{TIMEZONE}', max(r."end") - INTERVAL 1 MICROSECOND)::DATE AS last_day
        {_FROM}
        WHERE m.utility = 'district_heating' AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY ALL ORDER BY 1
        """,
        params,
    )


# ------------------------------------------------------------------------------------ compositions

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


def _main_by_building(by_meter: pd.DataFrame) -> pd.DataFrame:
    """kWh per building and utility from ``use_by_meter``, main meters only (wide: one column per utility)."""
    main = by_meter[by_meter["parent_meter_id"].isna()]
    if main.empty:
        return pd.DataFrame(index=pd.Index([], name="building_id"))
    return main.pivot_table(index="building_id", columns="utility", values="kwh", aggfunc="sum")


@cached
def building_eui(year: int, campus: str | None = None) -> pd.DataFrame:
    """EUI per building in ``year``: kWh per heated m² in use (each building by its days in use), per utility
    and weighted (electricity × 1.9 + district heating × 0.85), beside the benchmarks for its use.

    A building without a district-heating reading counts 0 heat in the weighted figure (a building may
    have no district heating); without electricity it has no weighted EUI. Rows: buildings with
    electricity or heat readings in the year, worst weighted EUI first. Columns: building_id, name,
    campus_id, use, energy_label, area_m2, electricity_kwh, district_heating_kwh, eui_electricity,
    eui_heat, eui_weighted, bench_electricity, bench_heat, bench_weighted, bench_source, rank.
    """
    buildings = table.uncached("buildings")
    if campus:
        buildings = buildings[buildings["campus_id"] == campus]
    use = _main_by_building(use_by_meter.uncached(dt.date(year, 1, 1), dt.date(year, 12, 31), campus))
    columns = ["building_id", "name", "campus_id", "use", "energy_label", "area_m2", "electricity_kwh",
               "district_heating_kwh", "eui_electricity", "eui_heat", "eui_weighted", "bench_electricity",
               "bench_heat", "bench_weighted", "bench_source", "rank"]
    if buildings.empty or use.empty:
        return pd.DataFrame(columns=columns)
    area = area_in_use_m2(buildings, year)
    frame = buildings.set_index("building_id")[["name", "campus_id", "use", "energy_label"]].join(area)
    frame["electricity_kwh"] = use.get("electricity", np.nan)
    frame["district_heating_kwh"] = use.get("district_heating", np.nan)
    frame = frame.dropna(subset=["electricity_kwh", "district_heating_kwh"], how="all")
    if frame.empty:  # readings of other utilities only (water, gas, …): no building has an EUI
        return pd.DataFrame(columns=columns)
    frame["eui_electricity"] = em.eui(frame["electricity_kwh"], frame["area_m2"])
    frame["eui_heat"] = em.eui(frame["district_heating_kwh"], frame["area_m2"])
    frame["eui_weighted"] = em.weighted_eui(frame["electricity_kwh"], frame["district_heating_kwh"].fillna(0),
                                            frame["area_m2"])
    bench = table.uncached("benchmarks")
    wide = bench.pivot_table(index="use", columns="utility", values="kwh_per_m2", aggfunc="first")
    source = bench.groupby("use")["source"].first()
    frame["bench_electricity"] = frame["use"].map(wide.get("electricity", pd.Series(dtype=float)))
    frame["bench_heat"] = frame["use"].map(wide.get("district_heating", pd.Series(dtype=float)))
    frame["bench_weighted"] = em.weighted_eui(frame["bench_electricity"], frame["bench_heat"], 1.0)
    frame["bench_source"] = frame["use"].map(source)
    frame = frame.reset_index().sort_values("eui_weighted", ascending=False, na_position="last")
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame[columns].reset_index(drop=True)


@cached
def load_profiles(first_day: dt.date, last_day: dt.date, campus: str | None = None,
                  building: str | None = None) -> pd.DataFrame:
    """Electricity base load (median night minimum, kW) and night / weekend shares per building.

    Columns: building_id, kwh, base_load_kw, night, weekend, night_or_weekend (metrics.energy rules).
    """
    hourly = hourly_by_building.uncached("electricity", first_day, last_day, campus, building)
    rows = []
    for building_id, group in hourly.groupby("building_id", sort=True):
        shares = em.night_weekend_share(group)
        rows.append((building_id, float(group["kwh"].sum()), em.base_load_kw(group), shares["night"],
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
        flagged = em.electricity_anomalies(electricity, skip)
        flagged["utility"] = "electricity"
        found.append(flagged)
    heat = _heat_days(min(first_day, last_day - dt.timedelta(days=HEAT_FIT_DAYS - 1)), last_day, campus, building)
    if not heat.empty:
        parts = []
        for judged, not_judged in _day_kinds(heat["day"], skip):
            flagged = em.heat_anomalies(heat, not_judged)
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


def energy_totals(first_day: dt.date, last_day: dt.date, campus: str | None = None) -> dict[str, float]:
    """Totals per utility in the period (kWh for energy, native units otherwise; sub-meters left out)."""
    return totals_by_utility(use_by_meter.uncached(first_day, last_day, campus))


def energy_totals_by_year(first_year: int, last_year: int, campus: str | None = None) -> dict[int, dict[str, float]]:
    """``energy_totals`` of each local calendar year from ``first_year`` to ``last_year``, in one query.

    Only years with readings appear.
    """
    by_meter = use_by_meter.uncached(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), campus, by_year=True)
    return {int(year): totals_by_utility(rows) for year, rows in by_meter.groupby("year")}


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
        frame = em.electricity_expected(daily, skip)
    else:
        frame = _heat_days(min(first_day, last_day - dt.timedelta(days=HEAT_FIT_DAYS - 1)), last_day, None, building)
        if frame.empty:
            return pd.DataFrame(columns=columns)
        frame["expected_kwh"] = np.nan
        for judged, not_judged in _day_kinds(frame["day"], skip):
            signature = em.heat_signature(frame, not_judged)
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


def series_count(by: str | None, campus: str | None, building: str | None) -> int:
    """How many lines a consumption chart draws: 1 total, or one per campus / building in scope."""
    if by is None or building:
        return 1
    buildings = table("buildings")
    if campus:
        buildings = buildings[buildings["campus_id"] == campus]
    buildings = buildings[buildings["status"] != "planned"]
    return max(1, buildings["campus_id"].nunique() if by == "campus" else len(buildings))


def view_period(year: int | None, date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The period a page shows: from/to when given, else the calendar year; clamped to the stored
    readings, so a year to date ends at the newest data (not today). None without readings."""
    from heg_dash.queries.overview import reading_span

    first_data, last_data = reading_span()
    if first_data is None:
        return None
    first_data, last_data = pd.Timestamp(first_data).date(), pd.Timestamp(last_data).date()
    first = date_from or dt.date(year or last_data.year, 1, 1)
    last = date_to or dt.date(year or last_data.year, 12, 31)
    first, last = max(first, first_data), min(last, last_data)
    if first > last:  # a period outside the data: show the newest year's data instead
        first, last = max(dt.date(last_data.year, 1, 1), first_data), last_data
    return first, last


def anomaly_summary(found: pd.DataFrame) -> pd.DataFrame:
    """Anomaly days grouped per utility and building: days, first, last, excess kWh and DKK, worst first."""
    summary = found.groupby(["utility", "building_id"], as_index=False).agg(
        days=("day", "count"), first=("day", "min"), last=("day", "max"), excess=("excess_kwh", "sum"),
        dkk=("excess_dkk", "sum"))
    return summary.sort_values("excess", ascending=False, ignore_index=True)
