"""Energy cost: use × the price components in force (spot + tariff + tax, or an all-in price).

Pure functions over frames. Spot alone is never presented as cost: an instant with only a spot price
in force has no cost (NaN), because the tariffs and taxes that make up most of a Danish bill are missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heg_dash.datasets import KWH_PER_UNIT

COMPONENTS = ("spot", "tariff", "tax")


def _utc(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values)
    stamps = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
    return stamps.dt.as_unit("ns")  # one resolution, so merge_asof accepts both sides


def _per_use_unit(prices: pd.DataFrame, use_unit: str) -> pd.Series:
    """DKK per ``use_unit``: an energy price (per kWh, MWh or GJ) becomes DKK per kWh; otherwise the
    price unit must equal the use unit, or the price is unusable (NaN)."""
    dkk = pd.to_numeric(prices["dkk_per_unit"], errors="coerce").astype(float)
    unit = prices["unit"].astype(str)
    if use_unit == "kWh":
        factor = unit.map(KWH_PER_UNIT).astype(float)
        return dkk / factor
    return dkk.where(unit == use_unit)


def price_in_force(prices: pd.DataFrame, at: pd.Series, use_unit: str = "kWh") -> pd.Series:
    """The price per ``use_unit`` in force at each instant of ``at``.

    ``prices`` has kind (spot, tariff, tax, all_in), start, end (end exclusive), dkk_per_unit, unit.
    - An ``all_in`` price in force wins: it already contains every component.
    - Otherwise the sum of the spot, tariff and tax prices in force, provided at least one of tariff or
      tax is among them. Spot alone gives NaN: spot is not cost.
    - Nothing in force gives NaN.
    Naive instants are read as UTC (the store's convention). Returns a Series aligned with ``at``.
    """
    instants = _utc(pd.Series(at).reset_index(drop=True))
    out_index = pd.Series(at).index
    if prices.empty or instants.empty:
        return pd.Series(np.nan, index=out_index, dtype=float)
    frame = prices.assign(start=_utc(prices["start"]), end=_utc(prices["end"]),
                          per_unit=_per_use_unit(prices, use_unit))
    probe = pd.DataFrame({"at": instants, "row": np.arange(len(instants))}).sort_values("at")
    found: dict[str, np.ndarray] = {}
    for kind in (*COMPONENTS, "all_in"):
        rows = frame[frame["kind"] == kind].dropna(subset=["start"]).sort_values("start")
        if rows.empty:
            found[kind] = np.full(len(instants), np.nan)
            continue
        joined = pd.merge_asof(probe, rows[["start", "end", "per_unit"]], left_on="at", right_on="start",
                               direction="backward")
        in_force = joined["per_unit"].where(joined["at"] < joined["end"])
        values = np.full(len(instants), np.nan)
        values[joined["row"].to_numpy()] = in_force.to_numpy(dtype=float)
        found[kind] = values
    parts = np.vstack([found[k] for k in COMPONENTS])
    components_sum = np.nansum(parts, axis=0)
    has_non_spot = ~np.isnan(found["tariff"]) | ~np.isnan(found["tax"])
    summed = np.where(has_non_spot, components_sum, np.nan)
    price = np.where(~np.isnan(found["all_in"]), found["all_in"], summed)
    return pd.Series(price, index=out_index, dtype=float)


def cost_dkk(use: pd.DataFrame, prices: pd.DataFrame, value: str = "kwh", use_unit: str = "kWh") -> pd.Series:
    """DKK per row of ``use`` (columns ``start`` and ``value``): use × the price in force at its start.

    Pass hourly (or finer) use where the price changes by the hour (electricity spot); daily or
    monthly readings are priced at their start, which suits yearly tariffs and all-in prices. NaN
    where no complete price is in force (see ``price_in_force``).
    """
    quantity = pd.to_numeric(use[value], errors="coerce").astype(float)
    return quantity * price_in_force(prices, use["start"], use_unit).to_numpy()
