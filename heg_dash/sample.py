"""Deterministic sample data ("Eksempeldata") for every dataset, 2019-01-01 to 2026-10-31.

Real anchors: 1,384 årselever in 2023 (+5 % on 2022), 230 staff in 2023, 92 % completion on eud in
2023, Campus Hobro at Kirketoften 7, 9500 Hobro. Everything else is illustrative. Meter data are
generated on UTC hours and shaped by Danish local time, so DST days have 23 and 25 hours as they should.
Planted faults for the anomaly detection: AAR-B's workshop left running at night for three weeks in
November 2025, HOB-D's sports-hall ventilation running through the weekends of February 2026, and a
stuck heating valve in HOB-A for two weeks in January 2026.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from dateutil.easter import easter
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import Polygon

from heg_dash import db, rollup
from heg_dash.config import TIMEZONE
from heg_dash.datasets import DATASETS

SEED = 2028
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
YEARS = range(FIRST_DAY.year, LAST_DAY.year + 1)
COMPLETE_YEARS = range(FIRST_DAY.year, LAST_DAY.year)  # yearly figures (activity, finance) up to 2025

CAMPUSES = pd.DataFrame(
    [
        ("HOB", "Campus Hobro", "Kirketoften 7, 9500 Hobro", 56.6408, 9.7880),
        ("AAR", "Campus Aars", "Møllevej 6, 9600 Aars", 56.8040, 9.5170),
    ],
    columns=["campus_id", "name", "address", "lat", "lon"],
)

# building_id, campus, name, use, year_built, heated m², floors, label, status, from, to,
# offset east/north of the campus point in metres, electricity intensity kWh/m²/yr, heat kWh/m²/yr
_BUILDINGS = [
    ("HOB-A", "HOB", "Hovedbygning", "teaching", 1974, 7800, 3, "D", "in_use", "1974-08-01", None, 0, 0, 34, 105),
    ("HOB-B", "HOB", "Værkstedshal Nord", "workshop", 1981, 6200, 1, "E", "in_use", "1981-08-01", None,
     140, 40, 62, 118),
    ("HOB-C", "HOB", "Administration", "office", 1990, 1400, 2, "C", "in_use", "1990-01-01", None, -90, 60, 38, 90),
    ("HOB-D", "HOB", "Idrætshal", "sports", 1978, 3100, 1, "E", "in_use", "1978-08-01", None, -40, -120, 30, 110),
    ("HOB-E", "HOB", "Kantine og bibliotek", "canteen", 2006, 1300, 2, "B", "in_use", "2006-08-01", None,
     80, -70, 72, 75),
    ("HOB-F", "HOB", "Gymnasiebygning (hhx/htx)", "teaching", 2012, 4300, 3, "A2010", "in_use", "2012-08-01",
     None, -150, 10, 29, 52),
    ("HOB-H", "HOB", "Campus Hobro Havn", "teaching", 2028, 6500, 4, "A2020", "planned", "2028-08-01", None,
     1200, -900, 25, 35),
    ("AAR-A", "AAR", "Hovedbygning Aars", "teaching", 1967, 6100, 2, "D", "in_use", "1967-08-01", None, 0, 0, 36, 112),
    ("AAR-B", "AAR", "Værksted Aars", "workshop", 1985, 4700, 1, "E", "in_use", "1985-08-01", None, 120, 30, 65, 120),
    ("AAR-C", "AAR", "Elevboliger", "housing", 1994, 2200, 2, "C", "in_use", "1994-08-01", None, -110, 90, 31, 95),
    ("AAR-D", "AAR", "Lager og maskinhus", "storage", 1979, 900, 1, "F", "in_use", "1979-01-01", None,
     60, -110, 18, 60),
    ("AAR-E", "AAR", "Pavillon (solgt)", "teaching", 1972, 1100, 1, "G", "sold", "1972-08-01", "2021-06-30",
     -60, -80, 40, 140),
]
_BUILDING_COLUMNS = [
    "building_id", "campus_id", "name", "use", "year_built", "heated_area_m2", "floors", "energy_label",
    "status", "in_use_from", "in_use_to", "dx", "dy", "el_kwh_m2", "heat_kwh_m2",
]


def _rng(salt: int) -> np.random.Generator:
    return np.random.default_rng([SEED, salt])


def _buildings_master() -> pd.DataFrame:
    frame = pd.DataFrame(_BUILDINGS, columns=_BUILDING_COLUMNS)
    for col in ("in_use_from", "in_use_to"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


# ------------------------------------------------------------------------------------------ calendar

def school_holidays(years: range = YEARS) -> pd.DataFrame:
    """Danish school holidays and closed days (vocational-school pattern), one row per date."""
    rows: list[tuple[dt.date, str, str]] = []

    def span(start: dt.date, end: dt.date, kind: str, name: str) -> None:
        day = start
        while day <= end:
            rows.append((day, kind, name))
            day += dt.timedelta(days=1)

    for year in years:
        e = easter(year)
        span(dt.date(year, 1, 1), dt.date(year, 1, 2), "holiday", "Juleferie")
        winter = dt.date.fromisocalendar(year, 7, 1)
        span(winter, winter + dt.timedelta(days=4), "holiday", "Vinterferie")
        span(e - dt.timedelta(days=3), e + dt.timedelta(days=1), "holiday", "Påskeferie")
        span(e + dt.timedelta(days=39), e + dt.timedelta(days=40), "closed", "Kr. himmelfart")
        span(e + dt.timedelta(days=50), e + dt.timedelta(days=50), "holiday", "2. pinsedag")
        span(dt.date(year, 6, 5), dt.date(year, 6, 5), "closed", "Grundlovsdag")
        summer = dt.date.fromisocalendar(year, 27, 1)
        span(summer, dt.date.fromisocalendar(year, 31, 5), "holiday", "Sommerferie")
        autumn = dt.date.fromisocalendar(year, 42, 1)
        span(autumn, autumn + dt.timedelta(days=4), "holiday", "Efterårsferie")
        span(dt.date(year, 12, 21), dt.date(year, 12, 31), "holiday", "Juleferie")
        exam = dt.date.fromisocalendar(year, 24, 1)
        span(exam, exam + dt.timedelta(days=4), "exam", "Eksamen")
    frame = pd.DataFrame(rows, columns=["date", "kind", "name"])
    # Weekend days inside a holiday are still holidays, but keep one row per date (the first kind wins).
    frame = frame.drop_duplicates("date").sort_values("date").reset_index(drop=True)
    return frame[(frame["date"] >= FIRST_DAY) & (frame["date"] <= LAST_DAY)].reset_index(drop=True)


# ------------------------------------------------------------------------------------------- weather

def _days() -> pd.DatetimeIndex:
    return pd.date_range(FIRST_DAY, LAST_DAY, freq="D")


def weather() -> pd.DataFrame:
    """Daily mean temperature: seasonal cycle for Himmerland (≈ 8.5 °C mean) plus red noise."""
    days = _days()
    doy = days.day_of_year.to_numpy()
    seasonal = 8.6 - 8.2 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    rng = _rng(1)
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


# ------------------------------------------------------------------------------------------- meters

def meters() -> pd.DataFrame:
    rows = []
    units = {"HOB-A": "MWh", "AAR-A": "GJ"}
    for i, b in enumerate(_buildings_master().itertuples()):
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
    return pd.DataFrame(rows, columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])


def _hours() -> pd.DatetimeIndex:
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
    for b in _buildings_master().itertuples():
        if b.status == "planned":
            continue
        rng = _rng(100 + b.Index)
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
    rng = _rng(7)
    clouds = np.repeat(rng.uniform(0.25, 1.0, len(hours) // 24 + 2), 24)[: len(hours)]
    kwh = 120 * 0.78 * shape * height * clouds
    mask = np.asarray(local.date >= dt.date(2021, 4, 1))
    out = pd.DataFrame({"meter_id": "HOB-F-PV", "start": hours[mask], "value": np.round(kwh[mask], 3)})
    out["end"] = out["start"] + pd.Timedelta(hours=1)
    return out[out["value"] > 0].reset_index(drop=True)


def _local_midnights(days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return days.tz_localize(TIMEZONE).tz_convert("UTC")


def _district_heating(temps: pd.DataFrame, holidays: set[dt.date]) -> pd.DataFrame:
    days = _days()
    starts = _local_midnights(days)
    ends = _local_midnights(days + pd.Timedelta(days=1))
    frames = []
    meter_units = meters().set_index("meter_id")["unit"]
    for b in _buildings_master().itertuples():
        if b.status == "planned":
            continue
        t = temps[temps["campus_id"] == b.campus_id]["mean_temp_c"].to_numpy()
        dd = np.clip(17 - t, 0, None)
        annual = b.heated_area_m2 * b.heat_kwh_m2
        hot_water = annual * 0.2 / 365.25
        per_dd = annual * 0.8 / 3000
        rng = _rng(200 + b.Index)
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
    for b in _buildings_master().itertuples():
        if b.status == "planned":
            continue
        rng = _rng(salt + b.Index)
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
    rng = _rng(400)
    value = 950 * np.where(np.isin(months.month, [7]), 0.1, 1.0) * rng.lognormal(0, 0.12, len(months))
    return pd.DataFrame({
        "meter_id": "AAR-B-GAS", "start": _local_midnights(months),
        "end": _local_midnights(months + pd.offsets.MonthBegin(1)), "value": np.round(value, 1),
    })


def readings(temps: pd.DataFrame, holidays: set[dt.date]) -> pd.DataFrame:
    hours = _hours()
    parts = [
        _electricity(hours, holidays), _pv(hours), _district_heating(temps, holidays),
        _monthly("VAND", 0.028, 300), _gas(),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["quality"] = "measured"
    out.loc[_rng(9).random(len(out)) < 0.002, "quality"] = "estimated"
    return out[["meter_id", "start", "end", "value", "quality"]]


# --------------------------------------------------------------------------------- grid, prices, factors

def grid_co2(hours: pd.DatetimeIndex) -> pd.DataFrame:
    """Hourly DK1 intensity: falling trend, more wind in winter nights; the last 10 days left missing."""
    local = hours.tz_convert(TIMEZONE)
    years = (local.year.to_numpy() - 2019) + local.day_of_year.to_numpy() / 365.25
    hour = local.hour.to_numpy()
    rng = _rng(11)
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
    rng = _rng(12)
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


# ----------------------------------------------------------------------------- school and strategy data

_AREA_SHARES = {"eud": 0.44, "eux": 0.11, "hhx": 0.16, "htx": 0.11, "amu": 0.18}
_CAMPUS_SHARES = {"HOB": 0.62, "AAR": 0.38}
_AARSELEVER = {2019: 1262.0, 2020: 1240.0, 2021: 1285.0, 2022: 1318.1, 2023: 1384.0, 2024: 1431.0, 2025: 1468.0}


def activity() -> pd.DataFrame:
    """Årselever per year, campus and area; the cells of a year sum exactly to its total (0.1 precision)."""
    rows = []
    for year, total in _AARSELEVER.items():
        cells = [(c, a, cs * as_) for c, cs in _CAMPUS_SHARES.items() for a, as_ in _AREA_SHARES.items()]
        values = [round(total * share, 1) for *_, share in cells]
        values[-1] = round(total - sum(values[:-1]), 1)
        rows += [(year, c, a, v) for (c, a, _), v in zip(cells, values, strict=True)]
    return pd.DataFrame(rows, columns=["year", "campus_id", "education_area", "aarselever"])


def finance() -> pd.DataFrame:
    rows = []
    for year, aarselever in _AARSELEVER.items():
        revenue = round(aarselever * 131_500 * (1.02 ** (year - 2019)), -3)
        costs = {
            "cost_teaching": 0.605, "cost_marketing": 0.012, "cost_admin": 0.118,
            "cost_buildings": 0.148, "cost_other": 0.093,
        }
        margin = {2019: 0.021, 2020: 0.012, 2021: 0.018, 2022: -0.004, 2023: 0.015, 2024: 0.019, 2025: 0.017}[year]
        cost_total = revenue * (1 - margin)
        items = {k: round(cost_total * v / sum(costs.values()), -3) for k, v in costs.items()}
        items["revenue"] = revenue
        items["result"] = revenue - sum(v for k, v in items.items() if k.startswith("cost_"))
        items["total_assets"] = round(revenue * 1.32, -3)
        items["equity"] = round(items["total_assets"] * (0.22 + 0.006 * (year - 2019)), -3)
        items["current_assets"] = round(revenue * 0.24, -3)
        items["short_term_debt"] = round(revenue * (0.19 if year != 2022 else 0.25), -3)
        items["long_term_debt"] = round(items["total_assets"] * 0.48, -3)
        items["tangible_fixed_assets"] = round(items["total_assets"] - items["current_assets"], -3)
        rows += [(year, item, float(amount)) for item, amount in items.items()]
    return pd.DataFrame(rows, columns=["year", "item", "amount_dkk"])


# Partner cities: (partner_id, name, kind, country, city, lat, lon, since)
_PARTNERS = [
    ("P01", "Colegio Técnico Barcelona", "school", "ES", "Barcelona", 41.3874, 2.1686, 2016),
    ("P02", "Berufskolleg Kiel", "school", "DE", "Kiel", 54.3233, 10.1228, 2014),
    ("P03", "ROC Friese Poort", "school", "NL", "Leeuwarden", 53.2012, 5.7999, 2018),
    ("P04", "Lycée Professionnel Rennes", "school", "FR", "Rennes", 48.1173, -1.6778, 2017),
    ("P05", "Istituto Tecnico Bologna", "school", "IT", "Bologna", 44.4949, 11.3426, 2019),
    ("P06", "Malta College of Arts, Science and Technology", "school", "MT", "Paola", 35.8728, 14.5075, 2015),
    ("P07", "Stadin ammattiopisto", "school", "FI", "Helsinki", 60.1699, 24.9384, 2018),
    ("P08", "Göteborgs tekniska gymnasium", "school", "SE", "Göteborg", 57.7089, 11.9746, 2013),
    ("P09", "Tallinn Polytechnic School", "school", "EE", "Tallinn", 59.4370, 24.7536, 2020),
    ("P10", "Dublin Technical College", "school", "IE", "Dublin", 53.3498, -6.2603, 2019),
    ("P11", "Escola Profissional Lisboa", "school", "PT", "Lisboa", 38.7223, -9.1393, 2021),
    ("P12", "Kraków Vocational Centre", "school", "PL", "Kraków", 50.0647, 19.9450, 2022),
    ("P13", "Oslo fagskole", "school", "NO", "Oslo", 59.9139, 10.7522, 2016),
    ("P14", "Hochschule Flensburg", "university", "DE", "Flensburg", 54.7937, 9.4470, 2020),
    ("P15", "Tianjin Vocational Institute", "school", "CN", "Tianjin", 39.3434, 117.3616, 2019),
    ("P16", "Himmerland Maskinfabrik", "company", "DK", "Hobro", 56.6420, 9.8000, 2010),
    ("P17", "Aars Stålindustri", "company", "DK", "Aars", 56.8000, 9.5100, 2012),
    ("P18", "Vesthimmerlands Kommune", "public", "DK", "Aars", 56.8030, 9.5180, 2008),
    ("P19", "Mariagerfjord Kommune", "public", "DK", "Hobro", 56.6380, 9.7930, 2008),
    ("P20", "Nordjysk Elektro A/S", "company", "DK", "Aalborg", 57.0488, 9.9217, 2015),
    ("P21", "Hotel Valencia Mar", "company", "ES", "Valencia", 39.4699, -0.3763, 2018),
    ("P22", "Autohaus München", "company", "DE", "München", 48.1351, 11.5820, 2019),
    ("P23", "Aalborg Universitet", "university", "DK", "Aalborg", 57.0151, 9.9861, 2017),
    ("P24", "Byggefirmaet Himmerland", "company", "DK", "Hobro", 56.6300, 9.8100, 2011),
]


def partners() -> pd.DataFrame:
    return pd.DataFrame(_PARTNERS, columns=["partner_id", "name", "kind", "country", "city", "lat", "lon", "since"])


def exchanges() -> pd.DataFrame:
    """About 60–150 mobilities a year; a dip in 2020–21; mostly Europe, mostly Erasmus+."""
    rng = _rng(20)
    abroad = [p for p in _PARTNERS if p[3] != "DK"]
    weights = np.array([5, 6, 3, 3, 4, 4, 2, 3, 2, 2, 2, 2, 3, 2, 1, 0, 0, 0, 0, 0, 3, 3, 0, 0][: len(abroad)], float)
    weights = weights[: len(abroad)] + 0.5
    weights /= weights.sum()
    per_year = {2019: 118, 2020: 34, 2021: 52, 2022: 96, 2023: 122, 2024: 134, 2025: 141, 2026: 118}
    rows = []
    n = 0
    for year, count in per_year.items():
        last_month = 10 if year == LAST_DAY.year else 12
        for _ in range(count):
            p = abroad[rng.choice(len(abroad), p=weights)]
            n += 1
            direction = "out" if rng.random() < 0.8 else "in"
            participant = "student" if rng.random() < 0.78 else "staff"
            programme = "PIU" if (participant == "student" and rng.random() < 0.22) else (
                "Nordplus" if p[3] in ("SE", "NO", "FI", "EE") and rng.random() < 0.5 else "Erasmus+")
            if p[3] == "CN":
                programme = "other"
            month = int(rng.integers(1, last_month + 1))
            start = dt.date(year, month, int(rng.integers(1, 28)))
            if participant == "staff":
                days = int(rng.integers(3, 8))
            elif programme == "PIU" or rng.random() < 0.2:
                days = int(rng.integers(90, 180))
            else:
                days = int(rng.integers(14, 36))
            end = min(start + dt.timedelta(days=days - 1), dt.date(year + 1, 6, 30))
            participants = 1 if programme == "PIU" else int(rng.integers(1, 9 if participant == "student" else 3))
            near = p[3] in ("DE", "SE", "NO", "NL")
            travel_mode = (rng.choice(["train", "bus", "car"]) if near else
                           ("air" if rng.random() < 0.85 else "mixed"))
            green = bool(travel_mode in ("train", "bus") or (travel_mode == "mixed" and rng.random() < 0.5))
            area = rng.choice(["eud", "eux", "hhx", "htx"], p=[0.45, 0.2, 0.2, 0.15])
            campus = "HOB" if rng.random() < 0.64 else "AAR"
            rows.append((f"EX{year}-{n:04d}", direction, participant, programme, str(area), campus, p[1], p[3], p[4],
                         p[5], p[6], start, end, participants, str(travel_mode), green, None))
    frame = pd.DataFrame(rows, columns=DATASETS["exchanges"].column_names)
    frame["activity"] = frame["activity"].astype("str")
    frame["activity"] = None
    return frame


_FOCUS_AREAS = [
    ("laering", "Læring",
     "Den enkelte indfrier sit fulde læringspotentiale og får en stærk karakterdannelse og dannelse gennem "
     "innovativ individuel læring i praksis",
     "Every student reaches their full learning potential through innovative, individual, practice-based learning"),
    ("rekruttering", "Rekruttering",
     "HEG vil opfylde behovet for kvalificeret arbejdskraft ved at være førstevalget for individuel praksisnær "
     "læring og udvikling",
     "First choice for individual, practice-near learning, meeting the need for skilled labour"),
    ("organisation", "Organisation",
     "Vi vil være en engageret og kompetent organisation med stærke samarbejdsrelationer og fokus på målene",
     "An engaged, competent organisation with strong collaboration, focused on the goals"),
    ("faciliteter", "Faciliteter",
     "HEG's faciliteter skal bestå af moderne og inspirerende bæredygtige rammer, der effektivt skaber optimale "
     "vilkår for læring og trivsel",
     "Modern, inspiring, sustainable facilities that efficiently create optimal conditions for learning and "
     "well-being"),
    ("omverden", "Omverden",
     "I et tæt samspil mellem virksomheder og samfund bidrager HEG til at forme fremtidens arbejdsmarked ved at "
     "tilbyde innovative uddannelser og træne kompetencer",
     "Shaping tomorrow's labour market in close interplay with companies and society"),
    ("oekonomi", "Økonomi",
     "HEG skal drive en økonomisk bæredygtig skole med en solid økonomisk base og effektiv ressourceudnyttelse, "
     "der understøtter vores elevers læring og trivsel",
     "An economically sustainable school with a solid base and efficient use of resources"),
    ("internationalt", "Internationalt",
     "HEG vil skabe et internationalt læringsmiljø, der fremmer interkulturel forståelse og globalt udsyn for "
     "elever og medarbejdere",
     "An international learning environment that builds intercultural understanding and global outlook"),
    ("baeredygtighed", "Bæredygtighed",
     "HEG vil være en bæredygtig uddannelsesinstitution, der tager ansvar for eksempelvis ligestilling, klima og "
     "miljø og bidrager væsentligt til en positiv udvikling",
     "A sustainable institution taking responsibility for e.g. equality, climate and environment"),
]


def focus_areas() -> pd.DataFrame:
    frame = pd.DataFrame(_FOCUS_AREAS, columns=["key", "name_da", "goal_da", "goal_en"])
    frame["source"] = "Strategi 2028"
    return frame


# indicator_id, focus_area, sdg_goal, sdg_target, name, unit, direction, baseline year/value, target year/value,
# values 2019..2025
_INDICATORS = [
    ("gennemfoersel_eud", "laering", 4, "4.3", "Gennemførelse på eud", "%", "higher", 2021, 88.0, 2028, 95.0,
     [87.5, 88.4, 88.0, 90.1, 92.0, 92.6, 93.1]),
    ("trivsel", "laering", 4, "4.a", "Elevtrivsel (ETU, 1–5)", "point", "higher", 2021, 3.9, 2028, 4.2,
     [3.85, 3.80, 3.90, 3.92, 3.95, 3.97, 4.0]),
    ("medarbejdere", "organisation", None, None, "Medarbejdere (årsværk)", "årsværk", "higher", 2022, 219, 2028, 250,
     [205, 208, 212, 219, 230, 236, 240]),
    ("sygefravaer", "organisation", 8, "8.8", "Sygefravær pr. medarbejder", "dage", "lower", 2021, 9.8, 2028, 7.0,
     [9.1, 8.7, 9.8, 10.2, 9.4, 9.1, 9.3]),
    ("kvinder_teknisk", "baeredygtighed", 5, "5.5", "Kvinder på tekniske uddannelser", "%", "higher", 2021, 14.0,
     2028, 25.0, [13.0, 13.5, 14.0, 14.8, 15.9, 16.4, 17.2]),
    ("vedvarende_andel", "baeredygtighed", 7, "7.2", "Egen solcellestrøm af elforbruget", "%", "higher", 2021, 1.5,
     2028, 8.0, [0.0, 0.0, 1.5, 2.2, 2.4, 2.5, 2.6]),
    ("laerepladser", "omverden", 8, "8.6", "Elever med læreplads (eud)", "%", "higher", 2021, 71.0, 2028, 85.0,
     [70.0, 68.0, 71.0, 74.0, 77.5, 79.0, 80.2]),
    ("affaldssortering", "baeredygtighed", 12, "12.5", "Sorteret affald", "%", "higher", 2021, 38.0, 2028, 70.0,
     [30.0, 33.0, 38.0, 41.0, 44.0, 43.0, 42.5]),
    # The school's own yearly figure, as its sample ledger (location-based) gives it ÷ årselever.
    ("co2e_pr_aarselev", "baeredygtighed", 13, "13.2", "CO₂e pr. årselev", "kg", "lower", 2019, 688.6, 2028, 167.0,
     [688.6, 564.2, 482.3, 440.3, 419.7, 348.3, 309.6]),
    ("partnerskaber", "omverden", 17, "17.17", "Aktive partnerskaber", "partnerskaber", "higher", 2021, 18, 2028, 30,
     [14, 15, 18, 19, 21, 23, 24]),
    ("internationale_partnere", "internationalt", 17, "17.16", "Internationale partnerskoler", "skoler", "higher",
     2021, 11, 2028, 18, [9, 10, 11, 12, 13, 14, 15]),
    ("ophold_udland", "internationalt", 4, "4.7", "Elever med ophold i udlandet", "%", "higher", 2021, 3.0, 2028,
     12.0, [6.8, 1.6, 3.0, 5.9, 7.4, 8.1, 8.6]),
]


def indicators() -> tuple[pd.DataFrame, pd.DataFrame]:
    meta_rows, value_rows = [], []
    for ind_id, area, goal, target, name, unit, direction, by, bv, ty, tv, values in _INDICATORS:
        meta_rows.append((ind_id, area, goal, target, name, unit, direction, by, float(bv), ty, float(tv)))
        value_rows += [(ind_id, year, float(v)) for year, v in zip(COMPLETE_YEARS, values, strict=True)]
    meta = pd.DataFrame(meta_rows, columns=DATASETS["indicators"].column_names)
    meta["sdg_goal"] = meta["sdg_goal"].astype("Int64")
    return meta, pd.DataFrame(value_rows, columns=["indicator_id", "year", "value"])


def initiatives() -> pd.DataFrame:
    rows = [
        ("I01", "Solceller på alle tage", "Driftschef", "active", "2021-04-01", None, "baeredygtighed", "7;13"),
        ("I02", "Natsænkning af ventilation", "Driftschef", "done", "2022-09-01", "2023-03-31", "faciliteter", "7;13"),
        ("I03", "Campus Hobro Havn", "Direktion", "active", "2024-01-01", "2028-08-01", "faciliteter", "4;9;11"),
        ("I04", "Affaldssortering i kantinerne", "Bæredygtighedskoordinator", "active", "2023-01-15", None,
         "baeredygtighed", "12"),
        ("I05", "Flere kvinder i tekniske fag", "Uddannelseschef eud", "active", "2022-08-01", None, "rekruttering",
         "5;4"),
        ("I06", "Grøn rejsepolitik for udveksling", "International koordinator", "active", "2023-08-01", None,
         "internationalt", "13;17"),
        ("I07", "Talentspor og eliteidræt", "Uddannelseschef", "active", "2022-08-01", None, "laering", "4"),
        ("I08", "Praktikpladsopsøgende team", "Praktikcenter", "active", "2021-01-01", None, "omverden", "8"),
        ("I09", "Energiledelse ISO 50001", "Driftschef", "planned", "2027-01-01", "2027-12-31", "faciliteter", "7"),
        ("I10", "Erasmus+ akkreditering 2021–2027", "International koordinator", "active", "2021-01-01",
         "2027-12-31", "internationalt", "4;17"),
        ("I11", "Digital ressourcestyring", "Økonomichef", "done", "2020-01-01", "2021-12-31", "oekonomi", None),
        ("I12", "LED-belysning i værksteder", "Driftschef", "stopped", "2020-03-01", "2020-12-31", "faciliteter",
         "7"),
    ]
    frame = pd.DataFrame(rows, columns=DATASETS["initiatives"].column_names)
    for col in ("start_date", "end_date"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def targets(m2_baseline: float) -> pd.DataFrame:
    rows = [
        ("aarselever", 1800.0, 2028, "higher", 2023, 1384.0, 0.05, "Strategi 2028"),
        ("m2_per_aarselev", 25.0, 2028, "lower", 2023, round(m2_baseline, 2), None, "Strategi 2028"),
        ("co2e_t", 300.0, 2028, "lower", 2019, 869.0, None, "eksempel"),  # −65 % on the sample's 2019 ledger
        ("eui_weighted_kwh_m2", 110.0, 2028, "lower", 2019, 167.0, None, "eksempel"),  # the sample's 2019 EUI (166.6)
        ("green_travel_share", 0.4, 2028, "higher", 2022, 0.2, None, "eksempel"),
        ("overskudsgrad", 2.0, 2028, "higher", 2022, -0.4, None, "eksempel"),
    ]
    return pd.DataFrame(rows, columns=DATASETS["targets"].column_names)


# ------------------------------------------------------------------------------------------ footprints

def footprints() -> pd.DataFrame:
    """Rectangles near each campus point, sized heated area ÷ floors (HOB-D's is deliberately 35 % small)."""
    to_utm = Transformer.from_crs(4326, 25832, always_xy=True)
    to_wgs = Transformer.from_crs(25832, 4326, always_xy=True)
    campuses = CAMPUSES.set_index("campus_id")
    rows = []
    for b in _buildings_master().itertuples():
        cx, cy = to_utm.transform(campuses.loc[b.campus_id, "lon"], campuses.loc[b.campus_id, "lat"])
        area = b.heated_area_m2 / b.floors * (0.65 if b.building_id == "HOB-D" else 1.0)
        width = (area / 1.8) ** 0.5
        length = area / width
        x0, y0 = cx + b.dx, cy + b.dy
        rect = Polygon([(x0, y0), (x0 + length, y0), (x0 + length, y0 + width), (x0, y0 + width)])
        rect = affinity.rotate(rect, 12 if b.campus_id == "HOB" else -8, origin="centroid")
        lon, lat = to_wgs.transform(*rect.exterior.coords.xy)
        rows.append((b.building_id, Polygon(zip(lon, lat, strict=True)).wkt))
    return pd.DataFrame(rows, columns=["building_id", "geometry_wkt"])


# ------------------------------------------------------------------------------------------ assemble

def buildings() -> pd.DataFrame:
    return _buildings_master()[DATASETS["buildings"].column_names].copy()


def generate() -> dict[str, pd.DataFrame]:
    """Every dataset, in the declared columns (same seed, same data)."""
    holidays_frame = school_holidays()
    closed = set(holidays_frame.loc[holidays_frame["kind"].isin(["holiday", "closed"]), "date"])
    temps = weather()
    hours = _hours()
    meta, values = indicators()
    b = buildings()
    in_use_2023 = b[(b["status"] != "planned") & (b["in_use_from"] <= dt.date(2023, 1, 1))
                    & b["in_use_to"].isna()]["heated_area_m2"].sum()
    frames = {
        "campuses": CAMPUSES.copy(),
        "buildings": b,
        "building_footprints": footprints(),
        "meters": meters(),
        "readings": readings(temps, closed),
        "weather": temps,
        "calendar": holidays_frame,
        "emission_factors": emission_factors(),
        "grid_co2": grid_co2(hours),
        "energy_prices": energy_prices(hours),
        "benchmarks": benchmarks(),
        "activity": activity(),
        "finance": finance(),
        "exchanges": exchanges(),
        "partners": partners(),
        "focus_areas": focus_areas(),
        "initiatives": initiatives(),
        "indicators": meta,
        "indicator_values": values,
        "targets": targets(in_use_2023 / _AARSELEVER[2023]),
    }
    return {name: frame[DATASETS[name].column_names] for name, frame in frames.items()}


def insert_frame(con, dataset: str, frame: pd.DataFrame, batch_id: int, *, refresh_rollup: bool = True) -> int:
    """Append a frame in the declared columns to a dataset's table under ``batch_id``.

    The per-day sums (``heg_dash.rollup``) follow at once unless ``refresh_rollup`` is False: a bulk
    load that inserts several frames rebuilds them once at the end instead.
    """
    cols = DATASETS[dataset].column_names
    con.register("incoming_frame", frame[cols])
    try:
        col_sql = ", ".join(db.q(c) for c in cols)
        con.execute(
            f"INSERT INTO {db.q(dataset)} ({col_sql}, batch_id) SELECT {col_sql}, ? FROM incoming_frame",
            [batch_id],
        )
    finally:
        con.unregister("incoming_frame")
    if refresh_rollup:
        rollup.mark_batch(con, dataset, batch_id)
        rollup.refresh(con)
    return len(frame)


def load(path: str | Path | None = None) -> None:
    """Fill an empty database with the sample data, one sample batch per dataset, in one transaction."""
    frames = generate()
    with db.transaction(path) as con:
        for name, frame in frames.items():
            batch_id = db.new_batch(con, name, "sample", user="eksempeldata", note="Eksempeldata")
            added = insert_frame(con, name, frame, batch_id, refresh_rollup=False)
            con.execute("UPDATE import_batches SET rows_added = ? WHERE batch_id = ?", [added, batch_id])
        rollup.rebuild(con)
