"""CO₂e accounting helpers: a meter's quantity in its factor's unit, and the path to a target.

Pure functions. Factors come from the ``emission_factors`` dataset (never constants here); the scope of a
utility is ``metrics.emissions.scope_of``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

# kWh in one unit of energy (the units a factor or a meter may be stated in).
_KWH_IN = {"kWh": 1.0, "MWh": 1000.0, "GJ": 1 / 0.0036}


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def quantity_in_factor_unit(native: float | None, meter_unit: str, kwh: float | None,
                            factor_unit: str) -> float | None:
    """The metered quantity expressed in the unit the emission factor is per.

    - Same unit: the native quantity (gas in Nm3 with a factor per Nm3, oil in l, water in m3).
    - An energy factor (per kWh or MWh) and an energy meter (kWh, MWh, GJ): the use in kWh, converted.
    - Anything else (gas metered in Nm3 with a factor per kWh, a volume against an energy factor) cannot be
      converted without a calorific value that is not stored: None, so the caller reports it instead of
      guessing.
    """
    if meter_unit == factor_unit:
        return None if _missing(native) else float(native)
    if factor_unit in _KWH_IN and meter_unit in _KWH_IN:
        energy = kwh if not _missing(kwh) else (None if _missing(native) else native * _KWH_IN[meter_unit])
        return None if energy is None else float(energy) / _KWH_IN[factor_unit]
    return None


def kg_per_kwh(kg_per_unit: float | None, unit: str) -> float | None:
    """A factor per kWh from a factor per kWh, MWh or GJ (None for units that are not energy)."""
    if _missing(kg_per_unit) or unit not in _KWH_IN:
        return None
    return float(kg_per_unit) / _KWH_IN[unit]


def path_to_target(baseline_year: int, baseline_value: float, target_year: int, target_value: float,
                   years: Iterable[int]) -> list[float | None]:
    """The value the target path asks for in each year, from the baseline to the target year.

    The same rule ``metrics.progress.progress_status`` measures against: constant compound yearly change
    when baseline and target are positive, linear otherwise. None before the baseline year; the target
    value itself from the target year on.
    """
    span = max(target_year - baseline_year, 1)
    compound = baseline_value > 0 and target_value > 0
    out: list[float | None] = []
    for year in years:
        if year < baseline_year:
            out.append(None)
        elif year >= target_year:
            out.append(float(target_value))
        elif compound:
            out.append(float(baseline_value * (target_value / baseline_value) ** ((year - baseline_year) / span)))
        else:
            out.append(float(baseline_value + (target_value - baseline_value) * (year - baseline_year) / span))
    return out


def per_unit(total: float | None, divisor: float | None) -> float | None:
    """``total ÷ divisor``; None when either is missing or the divisor is not positive."""
    if _missing(total) or _missing(divisor) or divisor <= 0:
        return None
    return float(total) / float(divisor)
