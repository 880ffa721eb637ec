"""The sample generator: deterministic, anchored on HEG's real figures, right over DST."""

import datetime as dt

import pandas as pd
import pytest

from heg_dash.datasets import DATASETS
from heg_dash.store import sample


@pytest.fixture(scope="module")
def frames():
    return sample.generate()


def test_every_dataset_is_generated_in_its_declared_columns(frames):
    assert set(frames) == set(DATASETS)
    for name, frame in frames.items():
        assert list(frame.columns) == DATASETS[name].column_names, name
        assert len(frame) > 0, name


def test_generation_is_deterministic(frames):
    again = sample.generate()
    for name in ("readings", "exchanges", "weather"):
        pd.testing.assert_frame_equal(frames[name], again[name])


def test_real_anchors(frames):
    totals = frames["activity"].groupby("year")["aarselever"].sum()
    assert totals[2023] == pytest.approx(1384, abs=1e-9)
    assert totals[2023] / totals[2022] == pytest.approx(1.05, abs=1e-4)
    campuses = frames["campuses"].set_index("campus_id")
    assert campuses.loc["HOB", "address"] == "Kirketoften 7, 9500 Hobro"
    values = frames["indicator_values"]
    completion = values[(values.indicator_id == "gennemfoersel_eud") & (values.year == 2023)]
    assert completion["value"].item() == 92
    targets = frames["targets"].set_index("key")
    assert targets.loc["aarselever", ["value", "year", "annual_rate", "source"]].tolist() == [
        1800, 2028, 0.05, "Strategi 2028"]
    assert targets.loc["m2_per_aarselev", "value"] == 25


def test_one_planned_building_at_the_harbour(frames):
    planned = frames["buildings"][frames["buildings"]["status"] == "planned"]
    assert len(planned) == 1 and "Havn" in planned["name"].item()
    assert planned["in_use_from"].item() > sample.LAST_DAY


def test_hourly_electricity_has_23_and_25_hour_dst_days(frames):
    r = frames["readings"]
    el = r[r["meter_id"] == "HOB-A-EL"].copy()
    el["day"] = el["start"].dt.tz_convert("Europe/Copenhagen").dt.date
    hours = el.groupby("day").size()
    assert hours[dt.date(2024, 3, 31)] == 23
    assert hours[dt.date(2024, 10, 27)] == 25
    assert hours[dt.date(2024, 10, 28)] == 24
    assert el["start"].is_unique


def test_range_is_2019_to_october_2026(frames):
    local = frames["readings"]["start"].dt.tz_convert("Europe/Copenhagen")
    assert local.min().date() == dt.date(2019, 1, 1)
    assert local.max().date() == dt.date(2026, 10, 31)


def test_planted_night_fault_is_visible_in_the_data(frames):
    r = frames["readings"]
    el = r[r["meter_id"] == "AAR-B-EL"].copy()
    local = el["start"].dt.tz_convert("Europe/Copenhagen")
    night = el[(local.dt.hour == 2)]
    night_local = local[local.dt.hour == 2].dt.date
    in_fault = night[(night_local >= dt.date(2025, 11, 3)) & (night_local <= dt.date(2025, 11, 23))]["value"].mean()
    before = night[(night_local >= dt.date(2025, 10, 1)) & (night_local <= dt.date(2025, 10, 31))]["value"].mean()
    assert in_fault > 2.5 * before


def test_exchanges_per_year_within_range(frames):
    per_year = frames["exchanges"].groupby(pd.to_datetime(frames["exchanges"]["start_date"]).dt.year).size()
    assert per_year[[2019, 2023, 2024, 2025]].between(60, 150).all()
