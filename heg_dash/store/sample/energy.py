"""The sample's energy: meters and their readings (hourly electricity with planted faults, PV, daily district
heating from the weather, monthly water and gas), the weather itself, grid intensity, prices, emission factors
and benchmarks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.store.sample import savings
from heg_dash.store.sample.base import (
    FIRST_DAY,
    LAST_DAY,
    YEARS,
    buildings_master,
    random_for,
    sample_days,
)


def weather() -> pd.DataFrame:
    """Daily mean temperature: seasonal cycle for Himmerland (≈ 8.5 °C mean) plus red noise."""
    days = sample_days()
    doy = days.day_of_year.to_numpy()
    seasonal = 8.6 - 8.2 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    rng = random_for(1)
    noise = np.zeros(len(days))
    shocks = rng.normal(0, 1.6, len(days))
    for i in range(1, len(days)):
        noise[i] = 0.72 * noise[i - 1] + shocks[i]
    frames = []
    for campus_id, offset in (("HOB", 0.0), ("AAR", -0.3)):
        frames.append(pd.DataFrame({
            "campus_id": campus_id, "date": days.date, "mean_temp_c": np.round(seasonal + noise + offset, 1),
        }))
    return pd.concat(frames, ignore_index=True)


def meters() -> pd.DataFrame:
    rows = []
    units = {"HOB-A": "MWh", "AAR-A": "GJ"}
    for i, b in enumerate(buildings_master().itertuples()):
        if b.status == "planned":
            continue
        gsrn = f"5713131{b.Index:02d}{100000000 + i * 7919:09d}"[:18]
        rows.append((f"{b.building_id}-EL", b.building_id, "electricity", "kWh", gsrn, None))
        rows.append((f"{b.building_id}-FV", b.building_id, "district_heating", units.get(b.building_id, "kWh"),
                     None, None))
        rows.append((f"{b.building_id}-VAND", b.building_id, "water", "m3", None, None))
    # A sub-meter under the workshop's main meter (must not be counted twice), PV on the hhx/htx roof,
    # and gas for the Aars workshop's forges (scope 1).
    rows.append(("HOB-B-EL-VENT", "HOB-B", "electricity", "kWh", "571313100000099101", "HOB-B-EL"))
    rows.append(("HOB-F-PV", "HOB-F", "solar_pv", "kWh", "571313100000099202", None))
    rows.append(("AAR-B-GAS", "AAR-B", "gas", "Nm3", None, None))
    rows += savings.meters()  # the measured initiatives' sub-meters (store.sample.savings)
    return pd.DataFrame(rows, columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])


def sample_hours() -> pd.DatetimeIndex:
    start = pd.Timestamp(FIRST_DAY, tz=TIMEZONE).tz_convert("UTC")
    end = pd.Timestamp(LAST_DAY + dt.timedelta(days=1), tz=TIMEZONE).tz_convert("UTC")
    return pd.date_range(start, end, freq="h", inclusive="left")


def _in_use_mask(b, stamps_local: pd.DatetimeIndex) -> np.ndarray:
    days = stamps_local.date
    mask = days >= b.in_use_from
    if b.in_use_to is not None and not pd.isna(b.in_use_to):
        mask &= days <= b.in_use_to
    return np.asarray(mask)


def _electricity(hours: pd.DatetimeIndex, holidays: set[dt.date]) -> pd.DataFrame:
    local = hours.tz_convert(TIMEZONE)
    hour = local.hour.to_numpy()
    weekday = local.day_of_week.to_numpy()
    day_index = np.asarray(pd.Index(local.date).isin(list(holidays)))
    school_day = (weekday < 5) & ~day_index
    doy = local.day_of_year.to_numpy()
    winter = 1 + 0.18 * np.cos(2 * np.pi * (doy - 15) / 365.25)  # more light and ventilation in winter
    years_since = (local.year.to_numpy() - 2019) + doy / 365.25
    frames = []
    for b in buildings_master().itertuples():
        if b.status == "planned":
            continue
        rng = random_for(100 + b.Index)
        annual = b.heated_area_m2 * b.el_kwh_m2
        base_kw = annual * 0.42 / 8766  # ≈ 42 % of the year's use is base load
        day_profile = np.where((hour >= 7) & (hour < 16), 1.0, np.where((hour >= 16) & (hour < 21), 0.35, 0.0))
        if b.use == "housing":  # student housing: evenings and weekends, not school hours
            day_profile = np.where((hour >= 16) & (hour < 23), 1.0, 0.25)
            active = np.ones_like(school_day)
        elif b.use == "sports":
            day_profile = np.where((hour >= 8) & (hour < 22), 1.0, 0.0)
            active = school_day | ((weekday >= 5) & (hour >= 9) & (hour < 17))
        else:
            active = school_day
        peak_kw = (annual - base_kw * 8766) / (np.mean(day_profile * active) * 8766)
        trend = (1 - 0.012) ** years_since  # slow efficiency gains, ≈ 1.2 %/yr
        kwh = (base_kw + peak_kw * day_profile * active) * winter * trend
        kwh *= rng.lognormal(0, 0.08, len(hours))
        kwh = _plant_electricity_faults(b.building_id, kwh, local, base_kw)
        mask = _in_use_mask(b, local)
        frames.append(pd.DataFrame({
            "meter_id": f"{b.building_id}-EL", "start": hours[mask], "value": np.round(kwh[mask], 3),
        }))
        if b.building_id == "HOB-B":  # the ventilation sub-meter: a steady part of the workshop's use
            vent = np.round(kwh[mask] * 0.22, 3)
            frames.append(pd.DataFrame({"meter_id": "HOB-B-EL-VENT", "start": hours[mask], "value": vent}))
    out = pd.concat(frames, ignore_index=True)
    out["end"] = out["start"] + pd.Timedelta(hours=1)
    return out


def _plant_electricity_faults(building_id: str, kwh: np.ndarray, local: pd.DatetimeIndex,
                              base_kw: float) -> np.ndarray:
    hour = local.hour.to_numpy()
    day = np.asarray(local.date)
    weekday = local.day_of_week.to_numpy()
    if building_id == "AAR-B":  # workshop left running at night for three weeks
        night = (hour < 6) | (hour >= 20)
        window = (day >= dt.date(2025, 11, 3)) & (day <= dt.date(2025, 11, 23))
        kwh = np.where(window & night, kwh + base_kw * 2.6, kwh)
    if building_id == "HOB-D":  # ventilation left on through the weekends of February 2026
        window = (day >= dt.date(2026, 2, 1)) & (day <= dt.date(2026, 3, 1)) & (weekday >= 5)
        kwh = np.where(window, kwh + base_kw * 2.2, kwh)
    return kwh


def _pv(hours: pd.DatetimeIndex) -> pd.DataFrame:
    """A 120 kWp roof system on HOB-F from 2021: clear-sky shape × seasonal height × cloud noise."""
    local = hours.tz_convert(TIMEZONE)
    utc_hour = hours.hour.to_numpy() + 0.5
    doy = hours.day_of_year.to_numpy()
    day_length = 12 + 5.2 * np.sin(2 * np.pi * (doy - 80) / 365.25)
    solar_noon = 11.3  # UTC, at 9.8° E
    x = (utc_hour - solar_noon) / (day_length / 2)
    shape = np.clip(np.cos(np.pi / 2 * x), 0, None) * (np.abs(x) < 1)
    height = 0.35 + 0.65 * np.clip(np.sin(2 * np.pi * (doy - 80) / 365.25) * 0.5 + 0.5, 0, 1)
    rng = random_for(7)
    clouds = np.repeat(rng.uniform(0.25, 1.0, len(hours) // 24 + 2), 24)[: len(hours)]
    kwh = 120 * 0.78 * shape * height * clouds
    mask = np.asarray(local.date >= dt.date(2021, 4, 1))
    out = pd.DataFrame({"meter_id": "HOB-F-PV", "start": hours[mask], "value": np.round(kwh[mask], 3)})
    out["end"] = out["start"] + pd.Timedelta(hours=1)
    return out[out["value"] > 0].reset_index(drop=True)


def _local_midnights(days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return days.tz_localize(TIMEZONE).tz_convert("UTC")


def _district_heating(temps: pd.DataFrame, holidays: set[dt.date]) -> pd.DataFrame:
    days = sample_days()
    starts = _local_midnights(days)
    ends = _local_midnights(days + pd.Timedelta(days=1))
    frames = []
    meter_units = meters().set_index("meter_id")["unit"]
    for b in buildings_master().itertuples():
        if b.status == "planned":
            continue
        t = temps[temps["campus_id"] == b.campus_id]["mean_temp_c"].to_numpy()
        dd = np.clip(17 - t, 0, None)
        annual = b.heated_area_m2 * b.heat_kwh_m2
        hot_water = annual * 0.2 / 365.25
        per_dd = annual * 0.8 / 3000
        rng = random_for(200 + b.Index)
        kwh = (hot_water + per_dd * dd) * rng.lognormal(0, 0.05, len(days))
        closed = np.asarray(pd.Index(days.date).isin(list(holidays))) | (days.day_of_week.to_numpy() >= 5)
        kwh = np.where(closed, kwh * 0.85, kwh)  # setback on closed days
        kwh *= (1 - 0.01) ** ((days.year.to_numpy() - 2019) + days.day_of_year.to_numpy() / 365.25)
        if b.building_id == "HOB-A":  # stuck valve
            window = (days.date >= dt.date(2026, 1, 12)) & (days.date <= dt.date(2026, 1, 25))
            kwh = np.where(window, kwh * 1.45, kwh)
        meter_id = f"{b.building_id}-FV"
        unit = meter_units[meter_id]
        value = kwh / {"kWh": 1.0, "MWh": 1000.0, "GJ": 277.7777777777778}[unit]
        mask = _in_use_mask(b, days)
        frames.append(pd.DataFrame({
            "meter_id": meter_id, "start": starts[mask], "end": ends[mask], "value": np.round(value[mask], 4),
        }))
    return pd.concat(frames, ignore_index=True)


def _monthly(meter_suffix: str, per_m2_month: float, salt: int) -> pd.DataFrame:
    months = pd.date_range(FIRST_DAY, LAST_DAY, freq="MS")
    starts = _local_midnights(months)
    ends = _local_midnights(months + pd.offsets.MonthBegin(1))
    frames = []
    for b in buildings_master().itertuples():
        if b.status == "planned":
            continue
        rng = random_for(salt + b.Index)
        summer = np.isin(months.month, [7])
        value = b.heated_area_m2 * per_m2_month * np.where(summer, 0.35, 1.0) * rng.lognormal(0, 0.1, len(months))
        mask = _in_use_mask(b, months)
        frames.append(pd.DataFrame({
            "meter_id": f"{b.building_id}-{meter_suffix}", "start": starts[mask], "end": ends[mask],
            "value": np.round(value[mask], 2),
        }))
    return pd.concat(frames, ignore_index=True)


def _gas() -> pd.DataFrame:
    months = pd.date_range(FIRST_DAY, LAST_DAY, freq="MS")
    rng = random_for(400)
    value = 950 * np.where(np.isin(months.month, [7]), 0.1, 1.0) * rng.lognormal(0, 0.12, len(months))
    return pd.DataFrame({
        "meter_id": "AAR-B-GAS", "start": _local_midnights(months),
        "end": _local_midnights(months + pd.offsets.MonthBegin(1)), "value": np.round(value, 1),
    })


def readings(temps: pd.DataFrame, holidays: set[dt.date]) -> pd.DataFrame:
    hours = sample_hours()
    parts = [
        _electricity(hours, holidays), _pv(hours), _district_heating(temps, holidays),
        _monthly("VAND", 0.028, 300), _gas(),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["quality"] = "measured"
    out.loc[random_for(9).random(len(out)) < 0.002, "quality"] = "estimated"
    # Appended after the draw above, so every other meter's readings stay exactly as they were.
    submeters = savings.series(hours, temps, holidays)
    submeters["quality"] = "measured"
    out = pd.concat([out, submeters], ignore_index=True)
    return out[["meter_id", "start", "end", "value", "quality"]]


def grid_co2(hours: pd.DatetimeIndex) -> pd.DataFrame:
    """Hourly DK1 intensity: falling trend, more wind in winter nights; the last 10 days left missing."""
    local = hours.tz_convert(TIMEZONE)
    years = (local.year.to_numpy() - 2019) + local.day_of_year.to_numpy() / 365.25
    hour = local.hour.to_numpy()
    rng = random_for(11)
    daily = 1 + 0.25 * np.sin(2 * np.pi * (hour - 12) / 24)
    weather_swings = np.repeat(rng.lognormal(0, 0.35, len(hours) // 24 + 2), 24)[: len(hours)]
    g = 210 * (0.87 ** years) * daily * weather_swings
    keep = np.asarray(local.date <= LAST_DAY - dt.timedelta(days=10))
    return pd.DataFrame({
        "start": hours[keep], "price_area": "DK1", "g_co2e_per_kwh": np.round(g[keep], 1), "source": "declaration",
    })


def energy_prices(hours: pd.DatetimeIndex) -> pd.DataFrame:
    """Hourly spot prices plus yearly tariff and tax rows; all-in prices for heat, water and gas."""
    local = hours.tz_convert(TIMEZONE)
    rng = random_for(12)
    level = np.select(
        [local.year == 2021, local.year == 2022, local.year == 2023],
        [0.65, 1.45, 0.72], default=0.45,
    )
    hour = local.hour.to_numpy()
    shape = 1 + 0.3 * ((hour >= 7) & (hour < 10)) + 0.45 * ((hour >= 17) & (hour < 20)) - 0.25 * (hour < 5)
    spot = np.round(level * shape * rng.lognormal(0, 0.25, len(hours)), 4)
    rows = [pd.DataFrame({
        "utility": "electricity", "start": hours, "end": hours + pd.Timedelta(hours=1),
        "dkk_per_unit": spot, "unit": "kWh", "kind": "spot", "source": "Eksempel (spotpris DK1)",
    })]
    yearly = []
    tax = {2019: 0.889, 2020: 0.889, 2021: 0.900, 2022: 0.903, 2023: 0.697, 2024: 0.727, 2025: 0.727, 2026: 0.008}
    for year in YEARS:
        start = pd.Timestamp(dt.date(year, 1, 1), tz=TIMEZONE).tz_convert("UTC")
        end = pd.Timestamp(dt.date(year + 1, 1, 1), tz=TIMEZONE).tz_convert("UTC")
        yearly += [
            ("electricity", start, end, 0.31, "kWh", "tariff", "Eksempel (net- og systemtarif)"),
            ("electricity", start, end, tax[year], "kWh", "tax", "Eksempel (elafgift)"),
            ("district_heating", start, end, 0.62 + 0.03 * (year - 2019), "kWh", "all_in", "Eksempel (fjernvarme)"),
            ("water", start, end, 68.0 + 2 * (year - 2019), "m3", "all_in", "Eksempel (vand og afledning)"),
            ("gas", start, end, 9.5 if year in (2022, 2023) else 6.2, "Nm3", "all_in", "Eksempel (naturgas)"),
        ]
    rows.append(pd.DataFrame(yearly, columns=["utility", "start", "end", "dkk_per_unit", "unit", "kind", "source"]))
    return pd.concat(rows, ignore_index=True)


def emission_factors() -> pd.DataFrame:
    rows = []
    for year in YEARS:
        k = year - 2019
        rows += [
            ("electricity", year, round(0.180 * 0.87 ** k, 4), "kWh", "location",
             "Eksempel (Energinet miljødeklaration, 125 %-metoden)"),
            ("electricity", year, round(0.390 * 0.95 ** k, 4), "kWh", "market", "Eksempel (restmiks, AIB)"),
            ("district_heating", year, round(0.095 * 0.9 ** k, 4), "kWh", "location",
             "Eksempel (lokal fjernvarmedeklaration)"),
            ("district_heating", year, round(0.095 * 0.9 ** k, 4), "kWh", "market",
             "Eksempel (lokal fjernvarmedeklaration)"),
            ("gas", year, 2.18, "Nm3", "location", "Eksempel (Energistyrelsen, standardfaktor)"),
            ("gas", year, 2.18, "Nm3", "market", "Eksempel (Energistyrelsen, standardfaktor)"),
            ("oil", year, 2.67, "l", "location", "Eksempel (Energistyrelsen, standardfaktor)"),
            ("water", year, 0.33, "m3", "location", "Eksempel (vandforsyning)"),
            ("travel_air", year, 0.156, "pkm", "location", "Eksempel (DEFRA, kortdistancefly)"),
            ("travel_train", year, 0.035, "pkm", "location", "Eksempel (DEFRA, tog)"),
            ("travel_bus", year, 0.027, "pkm", "location", "Eksempel (DEFRA, bus)"),
            ("travel_car", year, 0.110, "pkm", "location", "Eksempel (DEFRA, bil, 2 personer)"),
            ("travel_mixed", year, 0.090, "pkm", "location", "Eksempel (blandet)"),
        ]
    return pd.DataFrame(rows, columns=["utility", "year", "kg_co2e_per_unit", "unit", "method", "source"])


def benchmarks() -> pd.DataFrame:
    src = "Eksempel (typiske nøgletal for uddannelsesbygninger)"
    rows = [
        ("teaching", "electricity", 32), ("teaching", "district_heating", 95),
        ("workshop", "electricity", 55), ("workshop", "district_heating", 105),
        ("office", "electricity", 35), ("office", "district_heating", 85),
        ("sports", "electricity", 28), ("sports", "district_heating", 100),
        ("canteen", "electricity", 65), ("canteen", "district_heating", 80),
        ("housing", "electricity", 30), ("housing", "district_heating", 90),
        ("storage", "electricity", 15), ("storage", "district_heating", 50),
    ]
    frame = pd.DataFrame(rows, columns=["use", "utility", "kwh_per_m2"])
    frame["kwh_per_m2"] = frame["kwh_per_m2"].astype(float)
    frame["source"] = src
    return frame
