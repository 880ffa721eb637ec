"""Unit tests of heg_dash.metrics.economy: each expected value is worked out by hand in a comment."""

from __future__ import annotations

import pytest

from heg_dash.datasets import COST_ITEMS
from heg_dash.metrics import economy

ITEMS = {
    "revenue": 200_000_000.0,
    "result": 4_000_000.0,
    "equity": 30_000_000.0,
    "total_assets": 150_000_000.0,
    "current_assets": 45_000_000.0,
    "short_term_debt": 50_000_000.0,
    "long_term_debt": 80_000_000.0,
    "tangible_fixed_assets": 100_000_000.0,
    "cost_teaching": 120_000_000.0,
    "cost_marketing": 4_000_000.0,
    "cost_admin": 26_000_000.0,
    "cost_buildings": 30_000_000.0,
    "cost_other": 20_000_000.0,
}


def test_key_ratios_hand_computed():
    assert economy.key_ratios(ITEMS) == pytest.approx({
        "overskudsgrad": 2.0,  # 4 M × 100 / 200 M
        "likviditetsgrad": 90.0,  # 45 M × 100 / 50 M
        "soliditetsgrad": 20.0,  # 30 M × 100 / 150 M
        "finansieringsgrad": 80.0,  # 80 M × 100 / 100 M
    })


def test_negative_result_and_equity_give_negative_ratios():
    items = {**ITEMS, "result": -3_000_000.0, "equity": -1_500_000.0}
    ratios = economy.key_ratios(items)
    assert ratios["overskudsgrad"] == pytest.approx(-1.5)  # −3 M × 100 / 200 M
    assert ratios["soliditetsgrad"] == pytest.approx(-1.0)  # −1.5 M × 100 / 150 M


def test_missing_input_or_zero_divisor_is_none_never_zero():
    ratios = economy.key_ratios({**ITEMS, "revenue": None, "short_term_debt": 0.0, "equity": float("nan")})
    assert ratios["overskudsgrad"] is None
    assert ratios["likviditetsgrad"] is None
    assert ratios["soliditetsgrad"] is None
    assert ratios["finansieringsgrad"] == pytest.approx(80.0)
    assert economy.key_ratios({}) == dict.fromkeys(
        ("overskudsgrad", "likviditetsgrad", "soliditetsgrad", "finansieringsgrad"))
    # A zero numerator is a real 0 %.
    assert economy.overskudsgrad(0.0, 100.0) == 0.0


def test_ratio_warnings_boundaries():
    assert economy.ratio_warnings(economy.key_ratios(ITEMS)) == ["likviditetsgrad"]  # 90 < 100
    assert economy.ratio_warnings({"likviditetsgrad": 100.0, "soliditetsgrad": 0.0}) == []  # the limits themselves
    assert economy.ratio_warnings({"likviditetsgrad": 99.99, "soliditetsgrad": -0.01}) == [
        "likviditetsgrad", "soliditetsgrad"]
    assert economy.ratio_warnings({"likviditetsgrad": None, "soliditetsgrad": None}) == []
    # Overskudsgrad and finansieringsgrad have no warning limit.
    assert economy.ratio_warnings({"overskudsgrad": -50.0, "finansieringsgrad": 500.0}) == []


def test_cost_per_aarselev():
    # 120 + 4 + 26 + 30 + 20 = 200 M DKK over 1,600 årselever = 125,000 DKK.
    assert economy.cost_per_aarselev(ITEMS, 1600) == pytest.approx(125_000.0)
    assert economy.cost_per_aarselev(ITEMS, 0) is None
    assert economy.cost_per_aarselev(ITEMS, None) is None
    assert economy.cost_per_aarselev({**ITEMS, "cost_marketing": None}, 1600) is None  # a partial sum would mislead
    missing_one = {k: v for k, v in ITEMS.items() if k != "cost_other"}
    assert economy.cost_per_aarselev(missing_one, 1600) is None


def test_cost_per_aarselev_by_item():
    by_item = economy.cost_per_aarselev_by_item({**ITEMS, "cost_admin": None}, 1600)
    assert list(by_item) == list(COST_ITEMS)
    # 120 M / 1600 = 75,000; 4 M / 1600 = 2,500; missing admin → None; 30 M / 1600 = 18,750; 20 M / 1600 = 12,500.
    assert by_item == {
        "cost_teaching": 75_000.0, "cost_marketing": 2_500.0, "cost_admin": None,
        "cost_buildings": 18_750.0, "cost_other": 12_500.0,
    }
    assert set(economy.cost_per_aarselev_by_item(ITEMS, 0).values()) == {None}


def test_growth_needed():
    # 1,000 → 1,210 in 2 years: 1.21^(1/2) − 1 = 1.1 − 1 = 10 %.
    assert economy.growth_needed(1000, 2026, 1210, 2028) == pytest.approx(0.10)
    # 2,000 → 1,000 in 1 year: 0.5 − 1 = −50 %.
    assert economy.growth_needed(2000, 2027, 1000, 2028) == pytest.approx(-0.5)
    # HEG: 1,384 (2023) → 1,800 (2028): (1800/1384)^(1/5) − 1 = 1.30058^0.2 − 1 ≈ 5.40 %.
    assert economy.growth_needed(1384, 2023, 1800, 2028) == pytest.approx(0.05397, abs=1e-5)
    # Already at the target: 0 growth needed.
    assert economy.growth_needed(1800, 2025, 1800, 2028) == 0.0


@pytest.mark.parametrize("args", [
    (1000, 2028, 1800, 2028),  # no years left
    (1000, 2029, 1800, 2028),  # past the target year
    (0, 2025, 1800, 2028),  # no base to grow from
    (-5, 2025, 1800, 2028),
    (1000, 2025, -1, 2028),
    (None, 2025, 1800, 2028),
    (1000, 2025, float("nan"), 2028),
])
def test_growth_needed_undefined_is_none(args):
    assert economy.growth_needed(*args) is None
