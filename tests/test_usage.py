"""Metered use in DuckDB: local calendar years, unit conversion, sub-meters, DST days."""

import datetime as dt

import pandas as pd
import pytest

from heg_dash.queries import factors, usage
from heg_dash.store import db, sample


def _load(frames: dict[str, pd.DataFrame]) -> None:
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        for name, frame in frames.items():
            sample.insert_frame(con, name, frame, batch)


@pytest.fixture
def small_store(empty_db):
    campuses = pd.DataFrame([("C", "Campus", "Vej 1", 56.6, 9.8)], columns=["campus_id", "name", "address", "lat",
                                                                            "lon"])
    buildings = pd.DataFrame([("B", "C", "Hus", "teaching", 1990, 1000.0, 1, "C", "in_use", dt.date(1990, 1, 1),
                               None)], columns=sample.DATASETS["buildings"].column_names)
    meters = pd.DataFrame([
        ("EL", "B", "electricity", "kWh", None, None), ("SUB", "B", "electricity", "kWh", None, "EL"),
        ("FV", "B", "district_heating", "GJ", None, None), ("FV2", "B", "district_heating", "MWh", None, None),
        ("W", "B", "water", "m3", None, None),
    ], columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])
    # Every UTC hour of the local day 27 October 2024 (25 hours) and of 31 March 2024 (23 hours), 1 kWh each.
    hours = []
    for day in (dt.date(2024, 3, 31), dt.date(2024, 10, 27)):
        lo, hi = usage.local_bounds(day, day)
        hours += list(pd.date_range(lo, hi, freq="h", inclusive="left"))
    el = pd.DataFrame({"meter_id": "EL", "start": hours})
    el["end"] = el["start"] + pd.Timedelta(hours=1)
    el["value"], el["quality"] = 1.0, "measured"
    sub = el.assign(meter_id="SUB", value=0.5)
    lo, _ = usage.year_bounds(2024)
    other = pd.DataFrame([
        ("FV", lo, lo + pd.Timedelta(days=1), 3.6, "measured"),  # 3.6 GJ = 1000 kWh
        ("FV2", lo, lo + pd.Timedelta(days=1), 2.0, "measured"),  # 2 MWh = 2000 kWh
        ("W", lo, lo + pd.Timedelta(days=31), 12.5, "measured"),
        # 23:30 UTC on 31 Dec 2024 is 00:30 local on 1 Jan 2025: it belongs to 2025
        ("EL", pd.Timestamp("2024-12-31 23:30", tz="UTC"), pd.Timestamp("2025-01-01 00:30", tz="UTC"), 99.0,
         "measured"),
    ], columns=["meter_id", "start", "end", "value", "quality"])
    _load({"campuses": campuses, "buildings": buildings, "meters": meters, "readings": pd.concat([el, sub, other])})


def test_totals_convert_units_and_skip_sub_meters(small_store):
    by_meter = usage.use_by_meter(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    totals = usage.totals_by_utility(by_meter)
    assert totals == pytest.approx({"electricity": 48.0, "district_heating": 3000.0, "water": 12.5})
    assert set(by_meter["meter_id"]) == {"EL", "SUB", "FV", "FV2", "W"}


def test_dst_days_have_23_and_25_hours(small_store):
    spring = usage.hourly_use("electricity", dt.date(2024, 3, 31), dt.date(2024, 3, 31))
    autumn = usage.hourly_use("electricity", dt.date(2024, 10, 27), dt.date(2024, 10, 27))
    assert (len(spring), spring["kwh"].sum()) == (23, 23.0)
    assert (len(autumn), autumn["kwh"].sum()) == (25, 25.0)


def test_a_reading_belongs_to_the_local_year_of_its_start(small_store):
    assert usage.totals_by_utility(usage.use_by_meter(dt.date(2025, 1, 1), dt.date(2025, 12, 31))) == {
        "electricity": 99.0}


def test_nothing_stored_gives_no_key_not_zero(empty_db):
    assert usage.totals_by_utility(usage.use_by_meter(dt.date(2024, 1, 1), dt.date(2024, 12, 31))) == {}


def test_emission_factor_falls_back_to_the_nearest_earlier_year(sample_db):
    assert factors.emission_factor("electricity", 2026, "location")["year"] == 2026
    assert factors.emission_factor("electricity", 2031, "location")["year"] == 2026
    assert factors.emission_factor("electricity", 2010, "location")["year"] == 2019
    assert factors.emission_factor("steam", 2025, "location") is None
