"""Economy metrics: the ministry's key ratios, cost per årselev, and growth towards a target.

Every function is pure. ``items`` is a mapping of finance item to ``amount_dkk``, with the item names
of ``datasets.FINANCE_ITEMS``. A missing item is absent, None or NaN. A ratio whose input is missing,
or whose divisor is 0, is None, never 0. Ratios are in per cent (× 100) and are not rounded.

- ``overskudsgrad(result, revenue)``, ``likviditetsgrad(current_assets, short_term_debt)``,
  ``soliditetsgrad(equity, total_assets)``, ``finansieringsgrad(long_term_debt, tangible_fixed_assets)``
- ``key_ratios(items) -> dict[str, float | None]`` (the four above, by name)
- ``ratio_warnings(ratios) -> list[str]`` (likviditetsgrad below 100, soliditetsgrad below 0)
- ``cost_per_aarselev(items, aarselever) -> float | None``
- ``cost_per_aarselev_by_item(items, aarselever) -> dict[str, float | None]``
- ``growth_needed(current_value, current_year, target_value, target_year) -> float | None``
- The target path itself is ``metrics.progress.target_for_year`` (one place for the KPI rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from heg_dash.datasets import COST_ITEMS

# A ratio below its limit is a warning sign in the ministry's key figures (strictly below; the limit itself is fine).
WARNING_LIMITS = {"likviditetsgrad": 100.0, "soliditetsgrad": 0.0}


def _is_missing(value: Any) -> bool:
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def _percent(numerator: float | None, denominator: float | None) -> float | None:
    """numerator × 100 / denominator; None when either is missing or the denominator is 0."""
    if _is_missing(numerator) or _is_missing(denominator) or denominator == 0:
        return None
    return float(numerator) * 100 / float(denominator)


def overskudsgrad(result: float | None, revenue: float | None) -> float | None:
    """Overskudsgrad (profit margin) = result × 100 / revenue."""
    return _percent(result, revenue)


def likviditetsgrad(current_assets: float | None, short_term_debt: float | None) -> float | None:
    """Likviditetsgrad (current ratio) = current assets × 100 / short-term debt. Below 100 is a warning."""
    return _percent(current_assets, short_term_debt)


def soliditetsgrad(equity: float | None, total_assets: float | None) -> float | None:
    """Soliditetsgrad (equity ratio) = equity × 100 / total assets. Below 0 is a warning."""
    return _percent(equity, total_assets)


def finansieringsgrad(long_term_debt: float | None, tangible_fixed_assets: float | None) -> float | None:
    """Finansieringsgrad = long-term debt × 100 / tangible fixed assets: how much of them is financed by loans."""
    return _percent(long_term_debt, tangible_fixed_assets)


def key_ratios(items: Mapping[str, float | None]) -> dict[str, float | None]:
    """The ministry's four key ratios for one year, in per cent, from finance items (None where not computable)."""
    return {
        "overskudsgrad": overskudsgrad(items.get("result"), items.get("revenue")),
        "likviditetsgrad": likviditetsgrad(items.get("current_assets"), items.get("short_term_debt")),
        "soliditetsgrad": soliditetsgrad(items.get("equity"), items.get("total_assets")),
        "finansieringsgrad": finansieringsgrad(items.get("long_term_debt"), items.get("tangible_fixed_assets")),
    }


def ratio_warnings(ratios: Mapping[str, float | None]) -> list[str]:
    """The ratios that are strictly below their warning limit, in ``WARNING_LIMITS`` order.

    The limits are likviditetsgrad < 100 and soliditetsgrad < 0. A missing ratio gives no warning;
    it shows as missing instead.
    """
    return [
        key for key, limit in WARNING_LIMITS.items()
        if not _is_missing(ratios.get(key)) and ratios[key] < limit
    ]


def _valid_aarselever(aarselever: float | None) -> bool:
    return not _is_missing(aarselever) and aarselever > 0


def cost_per_aarselev(items: Mapping[str, float | None], aarselever: float | None) -> float | None:
    """Cost per årselev = (teaching + marketing + admin + buildings + other costs) ÷ årselever.

    The five items are ``datasets.COST_ITEMS``. The result is None when any of the five is missing,
    because a partial sum would understate the cost. It is also None when årselever is missing, 0 or
    negative.
    """
    costs = [items.get(item) for item in COST_ITEMS]
    if not _valid_aarselever(aarselever) or any(_is_missing(cost) for cost in costs):
        return None
    return float(sum(costs)) / float(aarselever)


def cost_per_aarselev_by_item(items: Mapping[str, float | None], aarselever: float | None) -> dict[str, float | None]:
    """Each of the five cost items ÷ årselever, keyed by item in ``COST_ITEMS`` order.

    A missing item is None on its own. Every value is None when årselever is missing, 0 or negative.
    """
    valid = _valid_aarselever(aarselever)
    return {
        item: None if not valid or _is_missing(items.get(item)) else float(items[item]) / float(aarselever)
        for item in COST_ITEMS
    }


def growth_needed(
    current_value: float | None,
    current_year: int,
    target_value: float | None,
    target_year: int,
) -> float | None:
    """The compound yearly growth still needed: (target / current)^(1 / (target_year − current_year)) − 1.

    For example, 0.05 means 5 % a year. The result is negative when the value must fall. It is None
    when:
    - a value is missing;
    - the current value is 0 or less, since compound growth from there is undefined;
    - the target is negative;
    - no years are left (target_year ≤ current_year).
    """
    if _is_missing(current_value) or _is_missing(target_value) or current_value <= 0 or target_value < 0:
        return None
    years = target_year - current_year
    if years <= 0:
        return None
    return float((target_value / current_value) ** (1 / years) - 1)
