"""The CO₂e ledger on a small hand-built store: every expected number is worked out by hand in a comment."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from heg_dash.datasets import DATASETS
from heg_dash.kpis import sustainability as kpi_sustainability
from heg_dash.metrics.footprint import path_to_target, per_unit, quantity_in_factor_unit
from heg_dash.metrics.progress import progress_status
from heg_dash.queries import factors, sustainability
from heg_dash.store import db, sample

UTC = "UTC"
ONE_DEGREE_KM = 6378.137 * math.pi / 180  # the geodesic along the equator: 111.3195 km


def _frame(dataset: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=DATASETS[dataset].column_names)


def _load(frames: dict[str, pd.DataFrame], extra_grid: pd.DataFrame | None = None) -> None:
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        for name, frame in frames.items():
            sample.insert_frame(con, name, frame, batch)
        if extra_grid is not None:
            sample.insert_frame(con, "grid_co2", extra_grid, batch)


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=UTC)


@pytest.fixture
def small_store(empty_db):
    """Campus C on the equator at 0° E (so a trip to 0° N 1° E is 111.3195 km), one building, every utility."""
    campuses = _frame("campuses", [("C", "Campus", "Vej 1", 0.0, 0.0), ("D", "Tom campus", "Vej 2", 0.0, 0.0)])
    buildings = _frame("buildings", [("B", "C", "Hus", "teaching", 1990, 1000.0, 1, "C", "in_use",
                                      dt.date(1990, 1, 1), None)])
    meters = _frame("meters", [
        ("EL", "B", "electricity", "kWh", None, None), ("SUB", "B", "electricity", "kWh", None, "EL"),
        ("GAS", "B", "gas", "Nm3", None, None), ("GASK", "B", "gas", "kWh", None, None),
        ("FV", "B", "district_heating", "MWh", None, None), ("W", "B", "water", "m3", None, None),
        ("PV", "B", "solar_pv", "kWh", None, None),
    ])
    month = (_t("2025-01-31 23:00"), _t("2025-02-28 23:00"))  # February 2025 in Danish local time
    readings = _frame("readings", [
        ("EL", _t("2025-01-15 10:00"), _t("2025-01-15 11:00"), 10.0, "measured"),
        ("EL", _t("2025-01-15 11:00"), _t("2025-01-15 12:00"), 20.0, "measured"),
        ("EL", _t("2025-01-15 12:00"), _t("2025-01-15 13:00"), 30.0, "measured"),
        ("SUB", _t("2025-01-15 10:00"), _t("2025-01-15 11:00"), 5.0, "measured"),
        ("GAS", *month, 100.0, "measured"),
        ("GASK", *month, 50.0, "measured"),
        ("FV", *month, 2.0, "measured"),
        ("W", *month, 10.0, "measured"),
        ("PV", _t("2025-01-15 11:00"), _t("2025-01-15 12:00"), 7.0, "measured"),
    ])
    grid = _frame("grid_co2", [
        # 10:00 has a declaration (100) and 5-minute co2emis values: the declaration wins.
        (_t("2025-01-15 10:00"), "DK1", 100.0, "declaration"),
        (_t("2025-01-15 10:05"), "DK1", 500.0, "co2emis"),
        (_t("2025-01-15 10:10"), "DK1", 700.0, "co2emis"),
        # 11:00 has co2emis 180 and 220 (average 200) and an import: co2emis wins.
        (_t("2025-01-15 11:00"), "DK1", 180.0, "co2emis"),
        (_t("2025-01-15 11:05"), "DK1", 220.0, "co2emis"),
        (_t("2025-01-15 11:10"), "DK1", 999.0, "import"),
        # 12:00 has no DK1 value (DK2 is another price area): the yearly factor is used.
        (_t("2025-01-15 12:00"), "DK2", 50.0, "declaration"),
    ])
    factor_rows = [
        ("electricity", 2025, 0.15, "kWh", "location", "test loc"),
        ("electricity", 2025, 400.0, "MWh", "market", "test residual mix"),  # 0.4 kg per kWh
        ("gas", 2025, 2.0, "Nm3", "location", "test gas"),
        ("district_heating", 2025, 0.05, "kWh", "location", "test heat"),
        ("district_heating", 2025, 0.06, "kWh", "market", "test heat market"),
        ("water", 2024, 0.3, "m3", "location", "test water 2024"),  # no 2025 row: the nearest earlier year
        ("travel_air", 2025, 0.2, "pkm", "location", "test air"),
    ]
    exchanges = _frame("exchanges", [
        ("X1", "out", "student", "Erasmus+", "eud", "C", "P", "ES", "By", 0.0, 1.0, dt.date(2025, 3, 1),
         dt.date(2025, 3, 14), 2, "air", False, None),
        ("X2", "out", "staff", "Erasmus+", "eud", "C", "P", "ES", "By", 0.0, 1.0, dt.date(2025, 4, 1),
         dt.date(2025, 4, 5), 1, "bus", True, None),  # no bus factor: counted as a trip without factor
        ("X3", "in", "student", "Erasmus+", "eud", "C", "P", "ES", "By", 0.0, 1.0, dt.date(2025, 5, 1),
         dt.date(2025, 5, 14), 4, "air", False, None),  # inbound: not the school's travel
        ("X4", "out", "student", "Erasmus+", "eud", "C", "P", "ES", "By", 0.0, 1.0, dt.date(2024, 5, 1),
         dt.date(2024, 5, 14), 3, "air", False, None),  # another year
    ])
    _load({"campuses": campuses, "buildings": buildings, "meters": meters, "readings": readings, "grid_co2": grid,
           "emission_factors": _frame("emission_factors", factor_rows), "exchanges": exchanges})


def test_grid_intensity_applies_source_precedence_per_hour(small_store):
    grid = sustainability.grid_intensity(dt.date(2025, 1, 15), dt.date(2025, 1, 15))
    assert grid["start"].tolist() == [_t("2025-01-15 10:00"), _t("2025-01-15 11:00")]
    assert grid["g_co2e_per_kwh"].tolist() == pytest.approx([100.0, 200.0])


def test_ledger_matches_hand_computed_scopes(small_store):
    ledger = sustainability.co2e_ledger(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    # Location electricity: 10 × 0.100 + 20 × 0.200 + 30 × 0.15 (fallback) = 1 + 4 + 4.5 = 9.5 kg; 1 hour fell back.
    assert (ledger.hours_with_use, ledger.hours_without_intensity) == (3, 1)
    assert ledger.fallback["kg_co2e_per_unit"] == 0.15
    rows = ledger.rows.set_index(["source", "method"])
    assert rows.loc[("electricity", "location"), "kg"] == pytest.approx(9.5)
    # Market: 60 kWh (the sub-meter is not counted again) × 400 kg/MWh = 60 × 0.4 = 24 kg.
    assert rows.loc[("electricity", "market"), ["quantity", "unit", "kg"]].tolist() == [pytest.approx(0.06), "MWh",
                                                                                       pytest.approx(24.0)]
    # Gas: 100 Nm3 × 2.0 = 200 kg; the gas meter in kWh cannot meet a factor per Nm3 and is reported, not guessed.
    assert rows.loc[("gas", "location"), "kg"] == pytest.approx(200.0)
    assert ("gas", "kWh", "unit:Nm3") in ledger.unconverted
    # District heating: 2 MWh = 2,000 kWh × 0.05 = 100 kg (location), × 0.06 = 120 kg (market).
    assert rows.loc[("district_heating", "location"), "kg"] == pytest.approx(100.0)
    assert rows.loc[("district_heating", "market"), "kg"] == pytest.approx(120.0)
    # Water: 10 m3 × 0.3 (the 2024 factor, the nearest earlier year) = 3 kg, scope 3.
    assert rows.loc[("water", "location"), ["scope", "kg", "factor_year"]].tolist() == [3, pytest.approx(3.0), 2024]
    # Travel: X1 only: 2 × 111.3195 km × 2 participants × 0.2 = 89.0556 kg; X2 (bus) has no factor.
    assert rows.loc[("travel_air", "location"), "kg"] == pytest.approx(2 * ONE_DEGREE_KM * 2 * 0.2)
    assert (ledger.trips, ledger.trips_without_factor) == (2, 1)
    assert "solar_pv" not in set(ledger.rows["source"])
    # Tonnes: scope 2 location (9.5 + 100) / 1000; market (24 + 120) / 1000.
    assert ledger.tonnes("location", 2) == pytest.approx(0.1095)
    assert ledger.tonnes("market", 2) == pytest.approx(0.144)
    assert ledger.tonnes("market", 1) == ledger.tonnes("location", 1) == pytest.approx(0.2)


def test_kpi_section_sums_scopes_and_is_null_where_nothing_is_stored(small_store):
    section = kpi_sustainability.co2e_section(2025, None)
    travel = 2 * ONE_DEGREE_KM * 2 * 0.2 / 1000
    assert section == {
        "scope1": pytest.approx(0.2), "scope2_location": pytest.approx(0.1095), "scope2_market": pytest.approx(0.144),
        "scope3": pytest.approx(0.003 + travel),
        "total_location": pytest.approx(0.2 + 0.1095 + 0.003 + travel),  # 0.4015556
    }
    # Campus D has no meters and no trips; 2023 has nothing at all.
    empty = dict.fromkeys(("scope1", "scope2_location", "scope2_market", "scope3", "total_location"))
    assert kpi_sustainability.co2e_section(2025, "D") == empty
    assert kpi_sustainability.co2e_section(2023, None) == empty
    # 2024 has only the X4 trip: scope 3 alone, and the total is that trip (3 people, no air factor for 2024 is
    # stored, so the 2025 one applies as the oldest later year): 2 × 111.3195 × 3 × 0.2 = 133.58 kg.
    only_travel = kpi_sustainability.co2e_section(2024, None)
    assert only_travel["scope1"] is None and only_travel["scope2_location"] is None
    assert only_travel["scope3"] == only_travel["total_location"] == pytest.approx(2 * ONE_DEGREE_KM * 3 * 0.2 / 1000)


def test_travel_co2e_is_per_outbound_trip_for_other_pages(small_store):
    trips = sustainability.travel_co2e(2025)
    assert trips["exchange_id"].tolist() == ["X1", "X2"]
    assert trips["km_one_way"].tolist() == pytest.approx([ONE_DEGREE_KM, ONE_DEGREE_KM])
    assert trips.loc[0, "co2e_kg"] == pytest.approx(2 * ONE_DEGREE_KM * 2 * 0.2)
    assert math.isnan(trips.loc[1, "co2e_kg"]) and math.isnan(trips.loc[1, "factor_kg_per_pkm"])
    assert sustainability.travel_co2e(2025, "D").empty
    assert sustainability.travel_co2e(2025, until=dt.date(2025, 3, 31))["exchange_id"].tolist() == ["X1"]


def test_missing_grid_hours_fall_back_with_the_right_count_on_the_sample(sample_db):
    # The sample leaves the last 10 days of October 2026 without grid intensity: 22–31 October local time,
    # 9 days of 24 hours and 25 October (the end of summer time) with 25 = 241 hours of use.
    ledger = sustainability.co2e_ledger(dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    assert ledger.hours_without_intensity == 241
    assert ledger.hours_with_use == 304 * 24  # 1 January to 31 October 2026: 304 days; DST adds and removes one hour
    assert sustainability.co2e_ledger(dt.date(2025, 1, 1), dt.date(2025, 12, 31)).hours_without_intensity == 0


@pytest.mark.parametrize(("utility", "method"), [("electricity", "location"), ("electricity", "market"),
                                                 ("oil", "location"), ("water", "market"), ("travel_air", "location")])
@pytest.mark.parametrize("year", [2010, 2019, 2023, 2026, 2031])
def test_pick_factor_follows_the_rule_of_emission_factor(sample_db, utility, method, year):
    assert sustainability.pick_factor(sustainability.factor_rows(), utility, year, method) == \
        factors.emission_factor(utility, year, method)


def test_quantity_in_the_factors_unit():
    assert quantity_in_factor_unit(100.0, "Nm3", None, "Nm3") == 100.0
    assert quantity_in_factor_unit(3.6, "GJ", 1000.0, "MWh") == pytest.approx(1.0)  # 3.6 GJ = 1,000 kWh = 1 MWh
    assert quantity_in_factor_unit(2.0, "MWh", None, "kWh") == pytest.approx(2000.0)
    assert quantity_in_factor_unit(50.0, "kWh", 50.0, "Nm3") is None  # needs a calorific value: not guessed
    assert quantity_in_factor_unit(10.0, "m3", None, "kWh") is None


def test_path_to_target_is_what_the_status_method_measures_against():
    # Compound: 100 → 25 over 2 years halves each year: 100, 50, 25; before the baseline nothing.
    assert path_to_target(2020, 100, 2022, 25, [2019, 2020, 2021, 2022, 2023]) == [None, 100, pytest.approx(50), 25, 25]
    # Linear from a baseline of 0: 0, 5, 10.
    assert path_to_target(2020, 0, 2022, 10, [2020, 2021, 2022]) == [0, 5, 10]
    # A value exactly on the path is on track (R = 1).
    assert progress_status(50, 2021, 100, 2020, 25, 2022, "lower") == "on_track"
    assert per_unit(454.5, 1500) == pytest.approx(0.303) and per_unit(1.0, 0) is None and per_unit(None, 2) is None


def test_use_read_for_many_years_at_once_equals_use_by_meter(sample_db):
    from heg_dash.queries import usage

    periods = ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 3, 15)))
    together = sustainability._use_by_meter_and_year(periods, "AAR")
    for first_day, last_day in periods:
        alone = usage.use_by_meter(first_day, last_day, "AAR").set_index("meter_id")
        mine = together[together["year"] == first_day.year].set_index("meter_id")
        assert list(mine.index) == list(alone.index)
        for column in ("native", "kwh", "readings"):
            pd.testing.assert_series_equal(mine[column], alone[column], check_dtype=False, check_names=False)
