"""Energy reads in DuckDB on a constructed store with known answers (DST days of 23 and 25 hours, unit
conversion, sub-meters, degree-day normalisation, EUI, cost) and the planted faults of the sample data."""

import datetime as dt
import json

import pandas as pd
import pytest

from heg_dash.queries import energy as qe
from heg_dash.queries import energy_analysis as qa
from heg_dash.queries import usage
from heg_dash.store import db, sample
from tests.test_cli import run_cli

SPRING, AUTUMN = dt.date(2024, 3, 31), dt.date(2024, 10, 27)  # both Sundays: 23 and 25 local hours


def _load(frames: dict[str, pd.DataFrame]) -> None:
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        for name, frame in frames.items():
            sample.insert_frame(con, name, frame[sample.DATASETS[name].column_names], batch)


def _hours(day: dt.date) -> list[pd.Timestamp]:
    lo, hi = usage.local_bounds(day, day)
    return list(pd.date_range(lo, hi, freq="h", inclusive="left"))


def _readings(meter: str, starts: list, value: float, length: pd.Timedelta) -> pd.DataFrame:
    frame = pd.DataFrame({"meter_id": meter, "start": starts})
    frame["end"] = frame["start"] + length
    frame["value"], frame["quality"] = value, "measured"
    return frame


@pytest.fixture
def store(empty_db, monkeypatch):
    monkeypatch.setenv("HEG_DASH_NORMAL_DEGREE_DAYS", "3000")
    monkeypatch.setenv("HEG_DASH_HOT_WATER_SHARE", "0.25")
    cols = sample.DATASETS["buildings"].column_names
    campuses = pd.DataFrame([("C", "Campus C", "Vej 1", 56.6, 9.8), ("D", "Campus D", "Vej 2", 56.8, 9.5)],
                            columns=["campus_id", "name", "address", "lat", "lon"])
    buildings = pd.DataFrame([
        ("B", "C", "Hus", "teaching", 1990, 1000.0, 2, "C", "in_use", dt.date(1990, 1, 1), None),
        ("E", "D", "Hal", "sports", 1990, 500.0, 1, "D", "in_use", dt.date(1990, 1, 1), None),
    ], columns=cols)
    meters = pd.DataFrame([
        ("EL", "B", "electricity", "kWh", None, None), ("SUB", "B", "electricity", "kWh", None, "EL"),
        ("FV", "B", "district_heating", "MWh", None, None), ("W", "B", "water", "m3", None, None),
        ("PV", "B", "solar_pv", "kWh", None, None), ("EL2", "E", "electricity", "kWh", None, None),
    ], columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])
    hours = _hours(SPRING) + _hours(AUTUMN)
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    midnights = list(days.tz_localize("Europe/Copenhagen").tz_convert("UTC"))
    lo, _ = usage.year_bounds(2024)
    readings = pd.concat([
        _readings("EL", hours, 1.0, pd.Timedelta(hours=1)),
        _readings("SUB", hours, 0.5, pd.Timedelta(hours=1)),
        _readings("FV", midnights, 1.0, pd.Timedelta(days=1)),  # 1 MWh every day of 2024 = 366,000 kWh
        _readings("W", [lo], 12.5, pd.Timedelta(days=31)),
        _readings("PV", [lo + pd.Timedelta(hours=11), lo + pd.Timedelta(hours=12)], 5.0, pd.Timedelta(hours=1)),
        _readings("EL2", [lo], 2.0, pd.Timedelta(hours=1)),
    ], ignore_index=True)
    weather = pd.DataFrame({"campus_id": "C", "date": days.date, "mean_temp_c": 7.0})  # 10 degree days a day
    year = (pd.Timestamp("2024-01-01", tz="Europe/Copenhagen").tz_convert("UTC"),
            pd.Timestamp("2025-01-01", tz="Europe/Copenhagen").tz_convert("UTC"))
    prices = pd.DataFrame([
        ("electricity", *year, 0.50, "kWh", "spot", "test"), ("electricity", *year, 0.25, "kWh", "tariff", "test"),
        ("electricity", *year, 0.75, "kWh", "tax", "test"), ("district_heating", *year, 500.0, "MWh", "all_in", "test"),
    ], columns=["utility", "start", "end", "dkk_per_unit", "unit", "kind", "source"])
    benchmarks = pd.DataFrame([("teaching", "electricity", 30.0, "Testkilde"),
                               ("teaching", "district_heating", 90.0, "Testkilde")],
                              columns=["use", "utility", "kwh_per_m2", "source"])
    _load({"campuses": campuses, "buildings": buildings, "meters": meters, "readings": readings, "weather": weather,
           "energy_prices": prices, "benchmarks": benchmarks})


def test_hour_resolution_gives_23_and_25_hours_with_exact_totals(store):
    spring = qe.consumption("electricity", SPRING, SPRING, "hour")
    autumn = qe.consumption("electricity", AUTUMN, AUTUMN, "hour")
    assert (len(spring), spring["value"].sum()) == (23, 23.0)
    assert (len(autumn), autumn["value"].sum()) == (25, 25.0)
    assert pd.Timestamp("2024-03-31 02:00") not in set(spring["period"])  # the hour that does not exist
    assert (autumn["period"] == pd.Timestamp("2024-10-27 02:00")).sum() == 2  # the hour that repeats


def test_day_week_month_buckets_are_local_and_sub_meters_are_left_out(store):
    day = qe.consumption("electricity", SPRING, AUTUMN, "day", campus="C")
    assert dict(zip(day["period"].dt.date, day["value"], strict=True)) == {SPRING: 23.0, AUTUMN: 25.0}
    month = qe.consumption("electricity", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "month", campus="C")
    assert month.set_index("period")["value"].to_dict() == {pd.Timestamp("2024-03-01"): 23.0,
                                                            pd.Timestamp("2024-10-01"): 25.0}
    week = qe.consumption("electricity", SPRING, AUTUMN, "week", campus="C")
    assert list(week["period"]) == [pd.Timestamp("2024-03-25"), pd.Timestamp("2024-10-21")]  # ISO Mondays
    # Units: MWh → kWh; water stays in m³
    heat = qe.consumption("district_heating", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year")
    assert heat["value"].tolist() == [366_000.0] and heat["unit"].tolist() == ["kWh"]
    assert qe.consumption("water", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year")["unit"].tolist() == ["m3"]


def test_series_by_campus_and_building_and_shifted_last_year(store):
    by_campus = qe.consumption("electricity", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year", by="campus")
    assert by_campus.set_index("series")["value"].to_dict() == {"C": 48.0, "D": 2.0}
    shifted = qe.consumption("electricity", SPRING, SPRING, "day", campus="C", shift_days=7)
    assert shifted["period"].tolist() == [pd.Timestamp("2024-04-07")]


def test_cost_is_use_times_complete_price(store):
    electricity = qe.cost("electricity", dt.date(2024, 1, 1), dt.date(2024, 12, 31), campus="C")
    assert electricity["dkk"] == pytest.approx(48 * 1.50) and electricity["priced_share"] == 1.0
    heat = qe.cost("district_heating", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert heat["dkk"] == pytest.approx(366_000 * 0.5)
    assert qe.cost("water", dt.date(2024, 1, 1), dt.date(2024, 12, 31))["dkk"] is None  # no water price stored


def test_normalised_heat_hand_computed(store):
    heat = qa.normalised_heat(dt.date(2024, 1, 1), dt.date(2024, 12, 31)).set_index("campus_id")
    # DD actual = 366 × 10 = 3,660; a full (leap) year is one normal year = 3,000;
    # normal = 366,000 × (0.75 × 3,000 / 3,660 + 0.25) = 91,500 + 225,000
    assert heat.loc["C", "dd_actual"] == pytest.approx(3660)
    assert heat.loc["C", "dd_normal"] == pytest.approx(3000)
    assert heat.loc["C", "normalised_kwh"] == pytest.approx(316_500)
    # Half a year: normal degree days scale to the days covered (flat climatology → 182/366 of a year).
    half = qa.normalised_heat(dt.date(2024, 1, 1), dt.date(2024, 6, 30)).set_index("campus_id")
    assert half.loc["C", "dd_normal"] == pytest.approx(3000 * 182 / 366)


def test_building_eui_and_benchmark(store):
    eui = qe.building_eui(2024, "C").set_index("building_id")
    assert eui.loc["B", "eui_electricity"] == pytest.approx(48 / 1000)
    assert eui.loc["B", "eui_heat"] == pytest.approx(366)
    assert eui.loc["B", "eui_weighted"] == pytest.approx((48 * 1.9 + 366_000 * 0.85) / 1000)
    assert eui.loc["B", "bench_weighted"] == pytest.approx(30 * 1.9 + 90 * 0.85)
    assert eui.loc["B", "bench_source"] == "Testkilde"


def test_load_profile_over_dst_sundays(store):
    profile = qa.load_profiles(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "C").set_index("building_id")
    assert profile.loc["B", "base_load_kw"] == 1.0
    assert profile.loc["B", "weekend"] == 1.0  # both days are Sundays
    # Night 22–06: 7 hours on the 23-hour day, 9 on the 25-hour day: 16 of 48 kWh.
    assert profile.loc["B", "night"] == pytest.approx(16 / 48)
    heat_map = qe.hour_weekday_profile("electricity", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "C")
    assert set(heat_map["weekday"]) == {7}
    assert heat_map.set_index("hour")["kwh"].to_dict()[2] == 1.0  # the repeated hour averages two 1 kWh hours


def test_energy_kpis_from_the_command_line(store, empty_db):
    result = run_cli("kpis", "--year", "2024", "--json", db=empty_db)
    assert result.returncode == 0, result.stderr
    energy = json.loads(result.stdout)["energy"]
    assert list(energy) == ["electricity_kwh", "district_heating_kwh", "heat_normalised_kwh", "water_m3", "pv_kwh",
                            "eui_weighted_kwh_m2"]
    assert energy["electricity_kwh"] == pytest.approx(50.0)  # 48 + 2; the sub-meter is not counted
    assert energy["district_heating_kwh"] == pytest.approx(366_000)
    assert energy["heat_normalised_kwh"] == pytest.approx(316_500)
    assert energy["water_m3"] == 12.5 and energy["pv_kwh"] == 10.0
    assert energy["eui_weighted_kwh_m2"] == pytest.approx((50 * 1.9 + 366_000 * 0.85) / 1500)
    campus_d = json.loads(run_cli("kpis", "--year", "2024", "--campus", "D", "--json", db=empty_db).stdout)["energy"]
    assert campus_d == {"electricity_kwh": 2.0, "district_heating_kwh": None, "heat_normalised_kwh": None,
                        "water_m3": None, "pv_kwh": None, "eui_weighted_kwh_m2": pytest.approx(2 * 1.9 / 500)}
    empty_year = json.loads(run_cli("kpis", "--year", "2023", "--json", db=empty_db).stdout)["energy"]
    assert set(empty_year.values()) == {None}


def _flagged(found: pd.DataFrame, utility: str, building: str) -> set[dt.date]:
    return set(found[(found["utility"] == utility) & (found["building_id"] == building)]["day"])


def test_planted_faults_are_found_with_their_cost(sample_db):
    found_2025 = qa.anomalies(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    night_running = {dt.date(2025, 11, 3) + dt.timedelta(days=i) for i in range(21)}
    assert _flagged(found_2025, "electricity", "AAR-B") == night_running
    assert set(zip(found_2025["utility"], found_2025["building_id"], strict=True)) == {("electricity", "AAR-B")}
    assert (found_2025["excess_dkk"] > 0).all()

    found_2026 = qa.anomalies(dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    feb_weekends = {d.date() for d in pd.date_range("2026-02-01", "2026-03-01") if d.weekday() >= 5}
    assert feb_weekends <= _flagged(found_2026, "electricity", "HOB-D")
    valve = {dt.date(2026, 1, 12) + dt.timedelta(days=i) for i in range(14)}
    assert _flagged(found_2026, "district_heating", "HOB-A") == valve
    flagged_pairs = set(zip(found_2026["utility"], found_2026["building_id"], strict=True))
    assert flagged_pairs == {("electricity", "HOB-D"), ("district_heating", "HOB-A")}


def test_energy_kpis_on_the_sample_match_the_shared_totals(sample_db):
    from heg_dash.kpis import energy as kpi_energy

    section = kpi_energy.energy_section(2025, None)
    totals = usage.totals_by_utility(usage.use_by_meter(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert section["electricity_kwh"] == pytest.approx(totals["electricity"])
    assert section["pv_kwh"] == pytest.approx(totals["solar_pv"])
    assert section["heat_normalised_kwh"] > 0 and 100 < section["eui_weighted_kwh_m2"] < 250
