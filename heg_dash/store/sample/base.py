"""What the sample's parts share: its seed and period, the two campuses and the building register, the
school calendar (Danish school holidays), and a random generator per part (each part its own salt)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from dateutil.easter import easter

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


def random_for(salt: int) -> np.random.Generator:
    return np.random.default_rng([SEED, salt])


def buildings_master() -> pd.DataFrame:
    frame = pd.DataFrame(_BUILDINGS, columns=_BUILDING_COLUMNS)
    for col in ("in_use_from", "in_use_to"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


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


def sample_days() -> pd.DatetimeIndex:
    return pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
