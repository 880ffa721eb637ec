import datetime as dt
from datetime import date

import pandas as pd
import pytest

from heg_dash.metrics.facilities import area_in_use_m2, m2_per_aarselev


def test_area_counts_each_building_by_its_days_in_use():
    buildings = pd.DataFrame({
        "building_id": ["A", "B", "C"],
        "heated_area_m2": [1000, 730, 500],
        "in_use_from": [dt.date(1990, 1, 1), dt.date(2025, 7, 2), dt.date(2030, 1, 1)],
        "in_use_to": [None, None, None],
    })
    area = area_in_use_m2(buildings, 2025)
    # B: 2 July – 31 December = 183 days of 365 -> 730 * 183 / 365 = 366
    assert area.to_dict() == pytest.approx({"A": 1000.0, "B": 366.0, "C": 0.0})


def test_m2_per_aarselev():
    assert m2_per_aarselev(36000, 1440) == 25
    assert m2_per_aarselev(36000, 0) is None
    assert m2_per_aarselev(36000, None) is None


def buildings_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["building_id", "heated_area_m2", "status", "in_use_from", "in_use_to"])


def test_area_in_use_weights_by_days_in_use():
    frame = buildings_frame([
        ("whole", 1000.0, "in_use", date(2000, 1, 1), None),
        ("from_july", 366.0, "planned", date(2024, 7, 1), None),
        ("sold_march", 732.0, "sold", date(1990, 1, 1), date(2024, 3, 1)),
        ("planned_no_date", 500.0, "planned", None, None),
        ("in_use_no_date", 200.0, "in_use", None, None),
        ("sold_before", 300.0, "sold", date(1990, 1, 1), date(2023, 12, 31)),
        ("opens_later", 400.0, "planned", date(2025, 1, 1), None),
        ("last_day_only", 366.0, "in_use", date(2024, 12, 31), None),
        ("first_day_only", 366.0, "sold", date(2020, 1, 1), date(2024, 1, 1)),
        ("end_before_start", 100.0, "in_use", date(2024, 6, 1), date(2024, 5, 1)),
    ])
    area = area_in_use_m2(frame, 2024)  # leap year: 366 days
    assert area.index.name == "building_id"
    assert area.to_dict() == pytest.approx({
        "whole": 1000.0,
        "from_july": 184.0,  # 1 Jul–31 Dec = 31+31+30+31+30+31 = 184 days; 366 × 184/366
        "sold_march": 122.0,  # 1 Jan–1 Mar = 31+29+1 = 61 days; 732 × 61/366
        "planned_no_date": 0.0,  # planned and no start date: not yet in use
        "in_use_no_date": 200.0,  # in use, dates unknown: the whole year
        "sold_before": 0.0,  # ended 31 Dec 2023
        "opens_later": 0.0,  # starts 2025
        "last_day_only": 1.0,  # 1 day: 366 × 1/366
        "first_day_only": 1.0,  # in_use_to is the last day in use, included
        "end_before_start": 0.0,
    })


def test_area_in_use_common_year_and_dates_win_over_status():
    frame = buildings_frame([
        ("new", 365.0, "planned", date(2025, 7, 1), None),
        # Status says sold, but no end date: the dates say it is still in use.
        ("sold_no_end", 100.0, "sold", date(2010, 1, 1), None),
        # Status says in use, but the dates ended it in 2024.
        ("ended", 100.0, "in_use", date(2010, 1, 1), date(2024, 6, 30)),
    ])
    area = area_in_use_m2(frame, 2025)  # 365 days
    # 1 Jul–31 Dec 2025 = 184 days → 365 × 184/365 = 184.
    assert area.to_dict() == pytest.approx({"new": 184.0, "sold_no_end": 100.0, "ended": 0.0})
    assert area_in_use_m2(frame, 2024)["new"] == 0.0


def test_area_in_use_accepts_strings_and_timestamps():
    frame = buildings_frame([
        ("a", 730.0, "in_use", "2024-07-01", pd.NaT),
        ("b", 366.0, "in_use", pd.Timestamp("2023-01-01"), pd.Timestamp("2024-01-31")),
    ])
    # a: 184/366 × 730 = 367.0…; b: 31 days → 366 × 31/366 = 31.
    assert area_in_use_m2(frame, 2024).tolist() == pytest.approx([730 * 184 / 366, 31.0])
