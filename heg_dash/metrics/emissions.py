"""Emission metrics: scopes, location- and market-based electricity, travel distance and travel CO₂e.

Every function is pure. Emission factors are always passed in as data from the ``emission_factors`` and
``grid_co2`` datasets, with their source and year; this module holds none.

- ``scope_of(utility) -> 1 | 2 | 3 | None``
- ``location_based_electricity_kg(hourly_use, grid, fallback_kg_per_kwh) -> (kg | None, hours_without_intensity)``
- ``location_based_from_sums(kg_with_grid, kwh_without_grid, hours_without, fallback) -> float | None``
- ``market_based_kg(kwh, factor_kg_per_kwh) -> float | None``
- ``great_circle_km(lat1, lon1, lat2, lon2)`` (scalars, arrays or Series; geodesic on WGS84 via pyproj)
- ``travel_co2e_kg(trips, factors) -> Series`` (2 × one-way km × participants × kg per person-km)

Timestamps: tz-aware values may be in any zone. Naive values are read as UTC, because the store keeps UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Geod

# The GHG Protocol scope of each utility and travel source (see scope_of for the reasons).
_SCOPES: dict[str, int | None] = {
    "gas": 1,
    "oil": 1,
    "electricity": 2,
    "district_heating": 2,
    "water": 3,
    "solar_pv": None,
    "travel_air": 3,
    "travel_train": 3,
    "travel_bus": 3,
    "travel_car": 3,
    "travel_mixed": 3,
}

_WGS84 = Geod(ellps="WGS84")


def _is_missing(value: Any) -> bool:
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def _utc_hour(values: pd.Series) -> np.ndarray:
    """The UTC hour each timestamp falls in, as whole hours since 1970; naive input is read as UTC.

    Integer keys, not floored tz-aware timestamps: grouping and matching them is several times faster, and a
    ledger matches a year of hours per campus and period (dozens of times on a page).
    """
    stamps = pd.to_datetime(values)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    # datetime64 → hours floors (towards the past), like Timestamp.floor("h").
    hours = stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[h]")
    # A missing time belongs to no hour (NaN, dropped by the callers like groupby drops a missing key).
    return np.where(np.isnat(hours), np.nan, hours.astype(np.int64).astype(float))


def _per_hour(starts: pd.Series, values: pd.Series, how: str) -> pd.Series | None:
    """``values`` (numbers; missing ones left out) summed or averaged per UTC hour (``_utc_hour`` keys);
    None when no value is left. Plain arrays into one Series groupby: a ledger calls this dozens of times."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(numbers)
    if not keep.any():
        return None
    return getattr(pd.Series(numbers[keep]).groupby(_utc_hour(starts)[keep]), how)()


def scope_of(utility: str) -> int | None:
    """The GHG Protocol scope of a utility's emissions.

    - 1 for ``gas`` and ``oil``: own combustion.
    - 2 for ``electricity`` and ``district_heating``: bought energy.
    - 3 for ``water`` and ``travel_*``. Water supply and wastewater treatment are bought services
      (scope 3, category 1). Business travel is scope 3, category 6. So neither is ever counted in
      scope 1 or 2. Water counts in scope 3 only when an ``emission_factors`` row for water exists.
    - None for ``solar_pv``: own production has no emissions to count. It is never netted against use.
    ValueError for an unknown utility.
    """
    try:
        return _SCOPES[utility]
    except KeyError:
        raise ValueError(f"unknown utility {utility!r}; known: {', '.join(_SCOPES)}") from None


def location_based_electricity_kg(
    hourly_use: pd.DataFrame,
    grid: pd.DataFrame,
    fallback_kg_per_kwh: float | None,
) -> tuple[float | None, int]:
    """Location-based electricity emissions, matching use and grid intensity hour by hour.

    kg = Σ over hours of kWh(h) × g CO₂e/kWh(h) ÷ 1000.
    - ``hourly_use`` has ``start`` and ``kwh``. Rows are summed per UTC hour, so 15-minute data and
      several meters work.
    - ``grid`` has ``start`` and ``g_co2e_per_kwh``, for one price area (DK1) and one source per
      hour, with the store's precedence already applied. Values within an hour are averaged, so
      5-minute CO2Emis data work.
    - An hour of use with no grid value uses ``fallback_kg_per_kwh``: the year's ``emission_factors``
      row for electricity, method ``location``. Such hours are counted and returned as
      ``hours_without_intensity``. This includes hours with 0 kWh, because the number reports how
      much of the period lacked grid data.
    - When hours lack an intensity and there is no fallback (None), kg is None.
    - With no use rows, kg is None and the count is 0.
    """
    use = _per_hour(hourly_use["start"], hourly_use["kwh"], "sum")
    if use is None:
        return None, 0
    intensity = _per_hour(grid["start"], grid["g_co2e_per_kwh"], "mean")
    if intensity is None:
        intensity = pd.Series(dtype=float)
    g_per_kwh = intensity.reindex(use.index)
    missing = g_per_kwh.isna()
    hours_without = int(missing.sum())
    kg_with_grid = float((use[~missing] * g_per_kwh[~missing]).sum()) / 1000
    kwh_without_grid = float(use[missing].sum())
    return location_based_from_sums(kg_with_grid, kwh_without_grid, hours_without, fallback_kg_per_kwh), \
        hours_without


def location_based_from_sums(kg_with_grid: float | None, kwh_without_grid: float | None, hours_without: int,
                             fallback_kg_per_kwh: float | None) -> float | None:
    """Location-based kg from sums already matched hour by hour (the per-day sums of ``heg_dash.store.rollup``).

    kg = the kg of the hours with a grid intensity + the kWh of the hours without one × the fallback
    factor; None when hours lack an intensity and there is no fallback.
    """
    if hours_without and _is_missing(fallback_kg_per_kwh):
        return None
    with_grid = 0.0 if _is_missing(kg_with_grid) else float(kg_with_grid)
    without = 0.0 if _is_missing(kwh_without_grid) else float(kwh_without_grid)
    return with_grid + (without * float(fallback_kg_per_kwh) if hours_without else 0.0)


def market_based_kg(kwh: float | None, factor_kg_per_kwh: float | None) -> float | None:
    """Market-based emissions: kWh × the year's market factor (kg CO₂e per kWh). None when either is missing."""
    if _is_missing(kwh) or _is_missing(factor_kg_per_kwh):
        return None
    return float(kwh * factor_kg_per_kwh)


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Shortest distance over the earth in km: the geodesic on the WGS84 ellipsoid, from ``pyproj.Geod.inv``.

    This is the "great-circle distance" used for Erasmus+ bands and travel CO₂e. Inputs are degrees
    and may be scalars, arrays or Series. A scalar gives a float. A Series gives a Series on the
    first Series' index. Other inputs give an ndarray. Missing coordinates give NaN.
    """
    index = next((v.index for v in (lat1, lon1, lat2, lon2) if isinstance(v, pd.Series)), None)
    arrays = [np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2)]
    _, _, metres = _WGS84.inv(*np.broadcast_arrays(*arrays))
    km = np.asarray(metres, dtype=float) / 1000
    if index is not None:
        return pd.Series(km, index=index, name="km")
    return float(km) if km.ndim == 0 else km


def travel_co2e_kg(trips: pd.DataFrame, factors: Mapping[str, float]) -> pd.Series:
    """Travel CO₂e per trip in kg: 2 × one-way great-circle km × participants × the mode's factor (kg per person-km).

    - ``trips`` has origin_lat, origin_lon (the home campus), lat, lon (the destination),
      participants and travel_mode.
    - The round trip is counted once, on the outbound exchange. The caller passes outbound trips
      only, so an inbound guest's journey is not counted as the school's travel.
    - ``factors`` are keyed by travel mode (``air``) or by the ``emission_factors`` utility
      (``travel_air``). A mode with no factor gives NaN for that trip, so the caller can name it.
    Returns a Series on the trips' index.
    """
    if trips.empty:
        return pd.Series(dtype=float, index=trips.index, name="co2e_kg")
    km = great_circle_km(trips["origin_lat"], trips["origin_lon"], trips["lat"], trips["lon"])
    factor = trips["travel_mode"].map(lambda mode: factors.get(mode, factors.get(f"travel_{mode}", np.nan)))
    co2e = 2 * km * pd.to_numeric(trips["participants"], errors="coerce") * pd.to_numeric(factor, errors="coerce")
    return co2e.rename("co2e_kg")
