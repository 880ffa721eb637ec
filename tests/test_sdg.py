"""The 17 SDGs and the roll-up of stored indicators into a goal's status and trend (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from heg_dash.datasets import DATASETS
from heg_dash.kpis import sustainability as kpi_sustainability
from heg_dash.metrics import sdg
from heg_dash.queries import sdg as sdg_queries
from heg_dash.store import db, sample


def test_seventeen_goals_in_order_with_official_colours_and_danish_names():
    assert [g.number for g in sdg.GOALS] == list(range(1, 18))
    assert len({g.colour for g in sdg.GOALS}) == 17
    assert sdg.GOAL_BY_NUMBER[13].colour == "#3F7E44" and sdg.GOAL_BY_NUMBER[13].name_da == "Klimaindsats"
    assert sdg.GOAL_BY_NUMBER[4].name_da == "Kvalitetsuddannelse"
    assert sdg.GOAL_BY_NUMBER[17].name_en == "Partnerships for the goals"
    # Text on the tile: white on the dark red of goal 4, dark on the light yellow of goal 7.
    assert sdg.text_colour("#C5192D") == "#FFFFFF" and sdg.text_colour("#FCC30B") == "#111111"


def _store(indicators: list[tuple], values: list[tuple], initiatives: list[tuple] = ()) -> None:
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        # the rows give every column but the optional English name, which stays empty
        given = [c for c in DATASETS["indicators"].column_names if c != "name_en"]
        frame = pd.DataFrame(indicators, columns=given).reindex(columns=DATASETS["indicators"].column_names)
        sample.insert_frame(con, "indicators", frame, batch)
        sample.insert_frame(con, "indicator_values", pd.DataFrame(values, columns=["indicator_id", "year", "value"]),
                            batch)
        if initiatives:
            # the rows give the first columns; the optional savings columns (issue 23) stay empty
            given = [c for c in DATASETS["initiatives"].column_names if c != "title_en"]
            frame = pd.DataFrame(initiatives, columns=given[:len(initiatives[0])])
            frame = frame.reindex(columns=DATASETS["initiatives"].column_names)
            sample.insert_frame(con, "initiatives", frame, batch)


@pytest.fixture
def goals_store(empty_db):
    # (id, focus, goal, target, name, unit, direction, baseline year/value, target year/value)
    indicators = [
        ("a", "baeredygtighed", 7, None, "A", "%", "higher", 2020, 10.0, 2030, 20.0),
        ("b", "baeredygtighed", 7, None, "B", "%", "higher", 2020, 0.0, 2030, 100.0),
        ("c", "baeredygtighed", 7, None, "C", "t", "lower", 2020, 100.0, 2030, 50.0),
        ("d", "baeredygtighed", 12, None, "D", "%", "higher", 2020, 40.0, 2030, 60.0),
        ("e", "baeredygtighed", 4, None, "E", "%", "higher", 2020, 80.0, 2030, 90.0),
        ("f", "baeredygtighed", None, None, "F (no goal)", "%", "higher", 2020, 1.0, 2030, 2.0),
    ]
    values = [
        ("a", 2023, 19.0), ("a", 2024, 21.0),  # 2024: 21 ≥ 20 → achieved (rank 5); 19 → 21 improving
        # b is linear from 0: needed 10 a year; 2024: (30 − 0) / 4 = 7.5 a year → R = 0.75 acceleration_needed (3);
        # 2022 → 2024: 28 → 30 improving. 2026 lies after the year asked for and is ignored.
        ("b", 2022, 28.0), ("b", 2024, 30.0), ("b", 2026, 0.0),
        # c: 2023: 100 → 101 is the wrong way → deterioration (1); 2021 → 2023: 100.5 → 101 is under 1 %: stable
        ("c", 2021, 100.5), ("c", 2023, 101.0),
        # d: one value only: 38 < baseline 40 → deterioration, trend no_data
        ("d", 2024, 38.0),
        # e: only a value after the year → no_data
        ("e", 2025, 85.0),
        ("f", 2024, 1.5),
    ]
    initiatives = [
        ("I1", "Én", "Ejer", "active", dt.date(2024, 1, 1), None, "baeredygtighed", "17"),
        ("I2", "To", "Ejer", "done", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "faciliteter", "4;9;11"),
        ("I3", "Tre", "Ejer", "planned", dt.date(2025, 1, 1), None, "omverden", " 1 ; 7"),
        ("I4", "Fire", "Ejer", "active", dt.date(2022, 1, 1), None, "laering", None),
    ]
    _store(indicators, values, initiatives)


def test_goal_roll_up_over_stored_indicators(goals_store):
    goals = sdg.goal_progress(sdg_queries.sdg_indicator_values(), 2024).set_index("goal")
    assert list(goals.index) == list(range(1, 18))
    # Goal 7: ranks 5, 3, 1 → the two worst 3 and 1 average 2 → limited_progress.
    # Trend: improving + improving + stable = +2 → improving.
    assert goals.loc[7, ["status", "trend", "indicators", "with_data"]].tolist() == [
        "limited_progress", "improving", 3, 3]
    assert goals.loc[12, ["status", "trend"]].tolist() == ["deterioration", "no_data"]  # one indicator stands alone
    assert goals.loc[4, ["status", "trend", "indicators", "with_data"]].tolist() == ["no_data", "no_data", 1, 0]
    assert goals.loc[13, ["status", "trend", "indicators"]].tolist() == ["no_data", "no_data", 0]


def test_indicator_progress_uses_the_latest_value_up_to_the_year(goals_store):
    per = sdg.indicator_progress(sdg_queries.sdg_indicator_values(), 2024).set_index("indicator_id")
    assert "f" not in per.index  # no SDG goal: not part of the SDG roll-up
    assert per.loc["b", ["latest_year", "latest", "previous", "status"]].tolist() == [
        2024, 30.0, 28.0, "acceleration_needed"]
    assert pd.isna(per.loc["e", "latest"]) and per.loc["e", "status"] == "no_data"
    # In 2023 goal 7's indicator a is not yet achieved: 19 in 2023, (19/10)^(1/3) − 1 = 23.9 %/yr against
    # (20/10)^(1/10) − 1 = 7.2 %/yr needed → on_track.
    assert sdg.indicator_progress(sdg_queries.sdg_indicator_values(), 2023).set_index("indicator_id").loc[
        "a", "status"] == "on_track"


def test_kpi_sdg_section_is_school_wide(goals_store):
    school = kpi_sustainability.sdg_section(2024, None)
    assert school == kpi_sustainability.sdg_section(2024, "HOB")
    assert [g["goal"] for g in school] == list(range(1, 18))
    assert school[6] == {"goal": 7, "status": "limited_progress", "trend": "improving"}


def test_initiatives_are_matched_by_whole_goal_numbers(goals_store):
    assert sdg_queries.initiatives_for_goal(1)["initiative_id"].tolist() == ["I3"]  # not "17" nor "11"
    assert sdg_queries.initiatives_for_goal(11)["initiative_id"].tolist() == ["I2"]
    assert sdg_queries.initiatives_for_goal(17)["initiative_id"].tolist() == ["I1"]
    assert sdg_queries.initiatives_for_goal(7)["initiative_id"].tolist() == ["I3"]
    assert sdg_queries.initiatives_for_goal(2).empty
