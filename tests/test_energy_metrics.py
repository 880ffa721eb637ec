"""Pure energy helpers with hand-computed answers: cost from price components, chart resolutions, what-if paths."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from heg_dash.metrics.cost import cost_dkk, price_in_force
from heg_dash.metrics.resolution import coarsen_resolution, periods_between
from heg_dash.metrics.scenario import annual_growth, project

UTC = "UTC"


def _price(kind, start, end, dkk, unit="kWh"):
    return (kind, pd.Timestamp(start, tz=UTC), pd.Timestamp(end, tz=UTC), dkk, unit)


def _prices(*rows):
    return pd.DataFrame(list(rows), columns=["kind", "start", "end", "dkk_per_unit", "unit"])


def test_cost_is_use_times_spot_plus_tariff_plus_tax():
    prices = _prices(
        _price("spot", "2025-01-01 00:00", "2025-01-01 01:00", 0.40),
        _price("spot", "2025-01-01 01:00", "2025-01-01 02:00", 1.00),
        _price("tariff", "2025-01-01", "2026-01-01", 0.30),
        _price("tax", "2025-01-01", "2026-01-01", 0.70),
    )
    use = pd.DataFrame({"start": pd.to_datetime(["2025-01-01 00:00", "2025-01-01 01:00"], utc=True),
                        "kwh": [10.0, 2.0]})
    assert cost_dkk(use, prices).tolist() == pytest.approx([10 * 1.40, 2 * 2.00])


def test_spot_alone_is_never_cost_and_nothing_in_force_is_nan():
    prices = _prices(_price("spot", "2025-01-01 00:00", "2025-01-01 01:00", 0.40))
    at = pd.Series(pd.to_datetime(["2025-01-01 00:30", "2025-01-02 00:00"], utc=True))
    assert price_in_force(prices, at).isna().all()


def test_all_in_wins_and_energy_prices_convert_to_per_kwh():
    prices = _prices(
        _price("all_in", "2025-01-01", "2026-01-01", 500.0, "MWh"),  # 0.50 DKK/kWh
        _price("tariff", "2025-01-01", "2026-01-01", 9.0),
    )
    at = pd.Series(pd.to_datetime(["2025-06-01"], utc=True))
    assert price_in_force(prices, at).tolist() == [pytest.approx(0.5)]
    # A price per GJ: 100 DKK/GJ = 0.36 DKK/kWh (1 kWh = 0.0036 GJ)
    gj = _prices(_price("all_in", "2025-01-01", "2026-01-01", 100.0, "GJ"))
    assert price_in_force(gj, at).tolist() == [pytest.approx(0.36)]


def test_price_end_is_exclusive_and_water_needs_a_matching_unit():
    prices = _prices(_price("all_in", "2025-01-01", "2025-02-01", 70.0, "m3"))
    at = pd.Series(pd.to_datetime(["2025-01-31 23:00", "2025-02-01 00:00"], utc=True))
    assert price_in_force(prices, at, "m3").tolist()[0] == 70.0
    assert np.isnan(price_in_force(prices, at, "m3").tolist()[1])
    assert price_in_force(prices, at, "kWh").isna().all()  # m3 cannot price kWh


@pytest.mark.parametrize(("res", "expected"), [("hour", 365 * 24), ("day", 365), ("week", 53), ("month", 12),
                                                ("year", 1)])
def test_periods_in_2025(res, expected):
    # 2025-01-01 is a Wednesday: ISO weeks touched run from week 1 (starting 30 Dec 2024) to week 1 of 2026.
    assert periods_between(dt.date(2025, 1, 1), dt.date(2025, 12, 31), res) == expected


def test_coarsen_resolution_keeps_a_chart_under_the_limit():
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert coarsen_resolution(*year, "hour", 1, 5000) == "day"  # 8,760 hours > 5,000
    assert coarsen_resolution(*year, "day", 11, 5000) == "day"  # 4,015 points
    assert coarsen_resolution(*year, "day", 14, 5000) == "week"  # 5,110 > 5,000
    assert coarsen_resolution(dt.date(2025, 1, 1), dt.date(2025, 1, 31), "hour", 2, 5000) == "hour"
    assert coarsen_resolution(dt.date(1900, 1, 1), dt.date(2025, 1, 1), "month", 100, 5000) == "year"


def test_annual_growth_and_projection():
    values = pd.Series({2021: 1000.0, 2022: 1100.0, 2023: 1210.0})
    assert annual_growth(values) == pytest.approx(0.10)
    assert annual_growth(pd.Series({2023: 5.0})) is None
    path = project(values, 0.05, 2025)
    assert path.loc[2023] == 1210.0
    assert path.loc[2025] == pytest.approx(1210 * 1.05**2)
    assert project(values, None, 2025).index.max() == 2023


def test_a_wild_growth_rate_leaves_out_the_years_it_cannot_reach_instead_of_failing():
    """A generated school's first years gave a rate whose power overflowed: Faciliteter failed (hypothesis)."""
    import pandas as pd

    from heg_dash.metrics.scenario import project

    values = pd.Series({2022: 1.0, 2023: 2.0}, name="aarselever")
    projected = project(values, 1e200, 2028)
    assert list(projected.index) == [2022, 2023, 2024] and projected.name == "aarselever"
    assert projected[2024] == 2e200
    assert list(project(values, 0.1, 2025).round(6)) == [1.0, 2.0, 2.2, 2.42]
