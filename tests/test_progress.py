"""The status function every KPI uses, with hand-computed boundaries."""

import pytest

from heg_dash.metrics.progress import goal_status, goal_trend, progress_status, target_for_year, trend


def test_target_path_runs_back_from_the_target_at_the_annual_rate():
    # 1800 / 1.05^5 = 1800 / 1.2762815625 = 1410.347...
    assert target_for_year(1800, 2028, 2023, 0.05) == pytest.approx(1410.347, abs=1e-3)
    assert target_for_year(1800, 2028, 2028, 0.05) == 1800
    assert target_for_year(1800, 2028, 2030, 0.05) == 1800
    assert target_for_year(25, 2028, 2023, None) == 25


def _status_for_ratio(ratio: float) -> str:
    # Linear case (baseline 0): needed = (100 - 0) / 10 = 10 a year; after 1 year, observed = value.
    return progress_status(10 * ratio, 2021, 0, 2020, 100, 2030, "higher")


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.95, "on_track"), (0.9499, "acceleration_needed"), (0.60, "acceleration_needed"),
        (0.5999, "limited_progress"), (0.0, "limited_progress"), (-0.01, "deterioration"),
    ],
)
def test_status_boundaries(ratio, expected):
    assert _status_for_ratio(ratio) == expected


def test_compound_growth_is_compared_with_the_growth_needed():
    # needed: (1800/1384)^(1/5) - 1 = 5.395 %; observed 2025: (1468/1384)^(1/2) - 1 = 2.989 %; R = 0.554
    assert progress_status(1468, 2025, 1384, 2023, 1800, 2028, "higher") == "limited_progress"
    # observed 2024: 1460/1384 - 1 = 5.49 % -> R = 1.02
    assert progress_status(1460, 2024, 1384, 2023, 1800, 2028, "higher") == "on_track"


def test_lower_is_better_targets_are_direction_aware():
    # needed: (25/30)^(1/5) - 1 = -3.58 %/yr; observed (29/30) - 1 = -3.33 % -> R = 0.93
    assert progress_status(29, 2024, 30, 2023, 25, 2028, "lower") == "acceleration_needed"
    assert progress_status(31, 2024, 30, 2023, 25, 2028, "lower") == "deterioration"
    assert progress_status(24.9, 2024, 30, 2023, 25, 2028, "lower") == "achieved"


def test_no_data_without_value_or_before_the_baseline():
    assert progress_status(None, 2025, 1384, 2023, 1800, 2028, "higher") == "no_data"
    assert progress_status(1384, 2023, 1384, 2023, 1800, 2028, "higher") == "no_data"
    assert progress_status(1900, 2023, 1384, 2023, 1800, 2028, "higher") == "achieved"


def test_trend_is_stable_under_one_percent():
    assert trend(100, 100.99, "higher") == "stable"
    assert trend(100, 101, "higher") == "improving"
    assert trend(100, 101, "lower") == "worsening"
    assert trend(None, 3, "higher") == "no_data"
    assert trend(0, 0, "higher") == "stable"


def test_goal_status_averages_the_two_worst_and_rounds_down():
    # the two worst: limited_progress 2 and on_track 4 -> 3 (acceleration_needed); achieved 5 is left out
    assert goal_status(["achieved", "limited_progress", "on_track"]) == "acceleration_needed"
    # 5 and 2 -> floor(3.5) = 3
    assert goal_status(["achieved", "limited_progress"]) == "acceleration_needed"
    # 4 and 1 -> floor(2.5) = 2
    assert goal_status(["on_track", "deterioration", "achieved"]) == "limited_progress"
    assert goal_status(["on_track"]) == "on_track"
    assert goal_status(["no_data", "deterioration"]) == "deterioration"
    assert goal_status(["no_data"]) == "no_data"
    assert goal_status([]) == "no_data"


def test_goal_trend_is_the_sign_of_the_sum():
    assert goal_trend(["improving", "worsening", "improving"]) == "improving"
    assert goal_trend(["improving", "worsening"]) == "stable"
    assert goal_trend(["worsening", "stable"]) == "worsening"
    assert goal_trend(["no_data"]) == "no_data"


def test_status_counts_best_first():
    from heg_dash.kpis.common import Tile
    from heg_dash.kpis.scorecard import FocusArea, status_counts

    def tile(status):
        return Tile("laering", "k", "x", 1.0, "", 0, 2.0, status, "stable", "higher")

    areas = [FocusArea("laering", "Læring", "", "", "", (tile("deterioration"), tile("on_track"), tile("on_track")))]
    assert list(status_counts(areas).items()) == [("on_track", 2), ("deterioration", 1)]
