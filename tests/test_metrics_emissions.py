"""Unit tests of heg_dash.metrics.emissions: each expected value is worked out by hand in a comment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from heg_dash import datasets
from heg_dash.metrics import emissions

HOBRO = (56.6383, 9.7906)
BARCELONA = (41.3874, 2.1686)


def vincenty_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Vincenty's inverse formula on WGS84 (1975), written out here to check pyproj independently."""
    a, f = 6378137.0, 1 / 298.257223563
    b = a * (1 - f)
    big_l = math.radians(lon2 - lon1)
    u1, u2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2)))
        if abs(lam - previous) < 1e-13:
            break
    u_sq = cos2_alpha * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    d_sigma = big_b * sin_sigma * (cos_2sm + big_b / 4 * (
        cos_sigma * (-1 + 2 * cos_2sm**2) - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)))
    return b * big_a * (sigma - d_sigma) / 1000


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float, radius_km: float = 6371.0088) -> float:
    """Great circle on a sphere of the earth's mean radius: within ~0.5 % of the ellipsoid."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius_km * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------------------------------
# Scopes
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("utility", "scope"), [
    ("gas", 1), ("oil", 1), ("electricity", 2), ("district_heating", 2),
    ("water", 3), ("travel_air", 3), ("travel_mixed", 3), ("solar_pv", None),
])
def test_scope_of(utility, scope):
    assert emissions.scope_of(utility) == scope


def test_every_declared_utility_has_a_scope_and_unknown_is_refused():
    for utility in datasets.UTILITIES + datasets.DATASETS["emission_factors"].column("utility").allowed:
        emissions.scope_of(utility)  # no ValueError
    with pytest.raises(ValueError):
        emissions.scope_of("steam")


# --------------------------------------------------------------------------------------------------
# Location- and market-based electricity
# --------------------------------------------------------------------------------------------------


def test_location_based_hour_by_hour_with_fallback_hour_counted():
    use = pd.DataFrame({"start": pd.to_datetime(["2025-01-15T10:00Z", "2025-01-15T11:00Z", "2025-01-15T12:00Z"]),
                        "kwh": [10.0, 20.0, 30.0]})
    grid = pd.DataFrame({"start": pd.to_datetime(["2025-01-15T10:00Z", "2025-01-15T11:00Z", "2025-01-15T13:00Z"]),
                         "g_co2e_per_kwh": [100.0, 200.0, 999.0]})
    # 10 × 0.100 + 20 × 0.200 + 30 × 0.150 (12:00 has no intensity: fallback) = 1 + 4 + 4.5 = 9.5 kg; 1 hour.
    kg, hours = emissions.location_based_electricity_kg(use, grid, 0.150)
    assert kg == pytest.approx(9.5)
    assert hours == 1 and isinstance(hours, int)


def test_location_based_matches_instants_across_time_zones_and_resolutions():
    # 13:00 local (+01:00) is 12:00 UTC; four quarters of 2.5 kWh = 10 kWh in that hour.
    use = pd.DataFrame({
        "start": pd.date_range(pd.Timestamp("2025-01-15 13:00", tz="Europe/Copenhagen"), periods=4, freq="15min"),
        "kwh": 2.5,
    })
    # Grid naive = UTC; 5-minute values 90 and 110 in the 12:00 UTC hour average 100; 13:00 UTC must not be used.
    grid = pd.DataFrame({"start": pd.to_datetime(["2025-01-15 12:00", "2025-01-15 12:05", "2025-01-15 13:00"]),
                         "g_co2e_per_kwh": [90.0, 110.0, 999.0]})
    # 10 kWh × 100 g = 1,000 g = 1.0 kg; no fallback needed, so None is fine.
    assert emissions.location_based_electricity_kg(use, grid, None) == (pytest.approx(1.0), 0)


def test_location_based_edge_cases():
    use = pd.DataFrame({"start": pd.to_datetime(["2025-01-15T10:00Z", "2025-01-15T11:00Z"]), "kwh": [5.0, 0.0]})
    no_grid = pd.DataFrame({"start": pd.to_datetime([], utc=True), "g_co2e_per_kwh": []})
    # Both hours lack intensity (the 0 kWh hour is counted too): 5 × 0.2 = 1.0 kg, 2 hours.
    assert emissions.location_based_electricity_kg(use, no_grid, 0.2) == (pytest.approx(1.0), 2)
    # No fallback factor for the missing hours: kg unknown, hours still reported.
    assert emissions.location_based_electricity_kg(use, no_grid, None) == (None, 2)
    empty = use.iloc[0:0]
    assert emissions.location_based_electricity_kg(empty, no_grid, 0.2) == (None, 0)


def test_market_based():
    assert emissions.market_based_kg(10_000, 0.12) == pytest.approx(1_200.0)  # 10,000 × 0.12
    assert emissions.market_based_kg(0, 0.12) == 0.0
    assert emissions.market_based_kg(None, 0.12) is None
    assert emissions.market_based_kg(10_000, float("nan")) is None


# --------------------------------------------------------------------------------------------------
# Distance and travel
# --------------------------------------------------------------------------------------------------


def test_great_circle_hobro_barcelona():
    km = emissions.great_circle_km(*HOBRO, *BARCELONA)
    # Independent checks: Vincenty on WGS84 (≈ 1,782.7 km) to the metre, and the spherical formula to 1 %.
    assert km == pytest.approx(vincenty_km(*HOBRO, *BARCELONA), abs=0.001)
    assert km == pytest.approx(haversine_km(*HOBRO, *BARCELONA), rel=0.01)
    assert 1780 < km < 1785
    assert isinstance(km, float)


def test_great_circle_along_the_equator_is_semi_major_axis_times_angle():
    # On the equator the geodesic is an arc of radius a = 6,378,137 m: 1° = 6378.137 × π / 180 = 111.3195 km.
    assert emissions.great_circle_km(0, 0, 0, 1) == pytest.approx(6378.137 * math.pi / 180, rel=1e-9)
    assert emissions.great_circle_km(*HOBRO, *HOBRO) == 0.0


def test_great_circle_vectorised_keeps_index_and_nan():
    lat2 = pd.Series([0.0, np.nan], index=["x", "y"])
    km = emissions.great_circle_km(0.0, 0.0, lat2, pd.Series([1.0, 1.0], index=["x", "y"]))
    assert list(km.index) == ["x", "y"]
    assert km["x"] == pytest.approx(111.3195, abs=1e-4) and math.isnan(km["y"])
    arrays = emissions.great_circle_km(np.array([0.0, 0.0]), np.array([0.0, 0.0]), np.array([0.0, 0.0]),
                                       np.array([1.0, 2.0]))
    assert arrays == pytest.approx([111.3195, 222.6390], abs=1e-3)


def test_travel_co2e_round_trip_per_participant():
    trips = pd.DataFrame({
        "origin_lat": [0.0, 0.0, 0.0], "origin_lon": [0.0, 0.0, 0.0],
        "lat": [0.0, 0.0, 0.0], "lon": [1.0, 1.0, 1.0],
        "participants": [3, 2, 1], "travel_mode": ["air", "train", "bus"],
    }, index=[10, 11, 12])
    one_way = 6378.137 * math.pi / 180  # 111.3195 km
    result = emissions.travel_co2e_kg(trips, {"air": 0.2, "travel_train": 0.03})
    assert list(result.index) == [10, 11, 12]
    # Air: 2 × 111.3195 × 3 × 0.2 = 133.58 kg; train (keyed as the utility): 2 × 111.3195 × 2 × 0.03 = 13.36 kg.
    assert result[10] == pytest.approx(2 * one_way * 3 * 0.2)
    assert result[11] == pytest.approx(2 * one_way * 2 * 0.03)
    assert math.isnan(result[12])  # no bus factor: unknown, not 0


def test_travel_co2e_empty():
    trips = pd.DataFrame(columns=["origin_lat", "origin_lon", "lat", "lon", "participants", "travel_mode"])
    assert emissions.travel_co2e_kg(trips, {"air": 0.2}).empty
