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

from heg_dash.config import TIMEZONE
from heg_dash.metrics import energy as em
from heg_dash.metrics.cost import cost_dkk
from heg_dash.metrics.facilities import area_in_use_m2
from heg_dash.queries.cache import cached
from heg_dash.queries.overview import table
from heg_dash.queries.usage import (
    DAILY_FROM,
    KWH_SQL,
    kwh_sql,
    local_bounds,
    scope_sql,
    totals_by_utility,
    use_by_meter,
    utc_hour_sql,
)
from heg_dash.store import db

# Quantity of one reading: kWh for energy units, the meter's own unit otherwise; and that unit's name.
QTY_SQL = f"coalesce({KWH_SQL}, r.value)"
UNIT_SQL = "CASE WHEN m.unit IN ('kWh', 'MWh', 'GJ') THEN 'kWh' ELSE m.unit END"
READINGS_FROM = "FROM readings r JOIN meters m USING (meter_id) JOIN buildings b ON b.building_id = m.building_id"
_SERIES_SQL = {None: "'total'", "campus": "b.campus_id", "building": "b.building_id"}


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
        scope = scope_sql(campus, building, params)
        sql = f"""
            SELECT timezone('{TIMEZONE}', bucket) AS period, series, unit, value FROM (
                SELECT {utc_hour_sql()} AS bucket, {_SERIES_SQL[by]} AS series, {UNIT_SQL} AS unit,
                       sum({QTY_SQL}) AS value
                {READINGS_FROM}
                WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
                GROUP BY 1, 2, 3
            ) AS buckets ORDER BY series, bucket
            """
    else:
        params = [int(shift_days), utility, first_day, last_day]
        scope = scope_sql(campus, building, params)
        sql = f"""
            SELECT bucket AS period, series, unit, value FROM (
                SELECT CAST(date_trunc('{res}', d.day + CAST(? AS INTEGER)) AS TIMESTAMP) AS bucket,
                       {_SERIES_SQL[by]} AS series, {UNIT_SQL} AS unit, sum({DAY_QTY_SQL}) AS value
                {DAILY_FROM}
                WHERE m.utility = ? AND m.parent_meter_id IS NULL AND d.day BETWEEN ? AND ? {scope}
                GROUP BY 1, 2, 3
            ) AS buckets ORDER BY series, bucket
            """
    frame = db.read_df(sql, params)
    if res == "hour" and shift_days:
        frame["period"] = frame["period"] + pd.Timedelta(days=int(shift_days))
    return frame


@cached
def coarse_meters(utility: str | None, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                  building: str | None = None) -> pd.DataFrame:
    """Main meters whose readings in the period are all longer than an hour (Eloverblik's Day or Month
    export, a utility's monthly statement): the hour charts, base load and night/weekend share leave them
    out, and their location-based CO₂e uses the period's average grid intensity. From the per-day sums: a
    meter's shortest reading is at most its days' covered time ÷ readings. Columns: meter_id, building_id,
    utility, kind ("day" up to a day's readings, else "month")."""
    params: list = [first_day, last_day]
    scope = scope_sql(campus, building, params)
    if utility is not None:
        scope += " AND m.utility = ?"
        params.append(utility)
    return db.read_df(
        f"""
        SELECT m.meter_id, b.building_id, m.utility,
               CASE WHEN min(d.covered_s / d.readings) <= 86400 * 1.05 THEN 'day' ELSE 'month' END AS kind
        {DAILY_FROM}
        WHERE m.parent_meter_id IS NULL AND d.day BETWEEN ? AND ? AND d.readings > 0 {scope}
        GROUP BY m.meter_id, b.building_id, m.utility HAVING min(d.covered_s / d.readings) > 3600 ORDER BY 1
        """,
        params,
    )


@cached
def daily_by_building(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                      building: str | None = None) -> pd.DataFrame:
    """Use per building and local day (kWh for energy). Columns: building_id, campus_id, day, kwh."""
    params: list = [utility, first_day, last_day]
    scope = scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT b.building_id, b.campus_id, d.day, sum({DAY_QTY_SQL}) AS kwh
        {DAILY_FROM}
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND d.day BETWEEN ? AND ? {scope}
        GROUP BY b.building_id, b.campus_id, d.day ORDER BY 1, 3
        """,
        params,
    )


@cached
def hourly_by_building(utility: str, first_day: dt.date, last_day: dt.date, campus: str | None = None,
                       building: str | None = None) -> pd.DataFrame:
    """Use per building and UTC hour in kWh (main meters). Columns: building_id, start (UTC), kwh."""
    lo, hi = local_bounds(first_day, last_day)
    params: list = [utility, lo, hi]
    scope = scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT b.building_id, {utc_hour_sql()} AS start, sum({KWH_SQL}) AS kwh
        {READINGS_FROM}
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY 1, 2 ORDER BY 1, 2
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
    scope = scope_sql(campus, building, params)
    return db.read_df(
        f"""
        WITH h AS (
            SELECT {utc_hour_sql()} AS hour_utc, sum({KWH_SQL}) AS kwh
            {READINGS_FROM}
            WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
              AND r."end" - r.start <= INTERVAL '1 hour'
            GROUP BY 1
        )
        SELECT CAST(extract(isodow FROM timezone('{TIMEZONE}', hour_utc)) AS BIGINT) AS weekday,
               CAST(extract(hour FROM timezone('{TIMEZONE}', hour_utc)) AS BIGINT) AS hour, avg(kwh) AS kwh
        FROM h GROUP BY 1, 2 ORDER BY 1, 2
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
    scope = scope_sql(campus, building, params)
    return db.read_df(
        f"""
        SELECT {utc_hour_sql()} AS start, {UNIT_SQL} AS unit, sum({QTY_SQL}) AS quantity
        {READINGS_FROM}
        WHERE m.utility = ? AND m.parent_meter_id IS NULL AND r.start >= ? AND r.start < ? {scope}
        GROUP BY 1, 2 ORDER BY 1
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


# ------------------------------------------------------------------------------------ compositions


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


def energy_totals(first_day: dt.date, last_day: dt.date, campus: str | None = None) -> dict[str, float]:
    """Totals per utility in the period (kWh for energy, native units otherwise; sub-meters left out)."""
    return totals_by_utility(use_by_meter.uncached(first_day, last_day, campus))


def energy_totals_by_year(first_year: int, last_year: int, campus: str | None = None) -> dict[int, dict[str, float]]:
    """``energy_totals`` of each local calendar year from ``first_year`` to ``last_year``, in one query.

    Only years with readings appear.
    """
    by_meter = use_by_meter.uncached(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), campus, by_year=True)
    return {int(year): totals_by_utility(rows) for year, rows in by_meter.groupby("year")}


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


