"""What the KPI sections share: a target row, årselever and heated area (the same figures everywhere they are
divided by), the status of a per-unit figure, whether a year is partial, and the scorecard's tile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from heg_dash import queries
from heg_dash.metrics.facilities import area_in_use_m2, m2_per_aarselev
from heg_dash.metrics.progress import progress_status
from heg_dash.queries.cache import cached


@dataclass(frozen=True)
class Tile:
    focus_area: str
    key: str
    label: str  # already in the current language (catalogue text or the indicator's stored name)
    value: float | None
    unit: str
    decimals: int
    target: float | None
    status: str
    trend: str
    direction: str
    history: tuple[tuple[int, float], ...] = field(default_factory=tuple)  # (year, value), for the sparkline
    value_year: int | None = None  # the year the value is from (an indicator's latest ≤ the chosen year)

    def __post_init__(self) -> None:
        # No value, no trend: the history's last two years are then older ones, and an arrow beside "–"
        # would speak of them. Whatever the tile's source.
        if self.value is None:
            object.__setattr__(self, "trend", "no_data")


def target_row(key: str) -> dict | None:
    """The stored target ``key`` (a row of the targets dataset, missing values as None), or None."""
    targets = queries.table("targets")
    row = targets[targets["key"] == key]
    if row.empty:
        return None
    record = row.iloc[0].to_dict()
    return {k: (None if pd.isna(v) else v) for k, v in record.items()}


def float_or_none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def aarselever_value(year: int, campus: str | None) -> float | None:
    totals = queries.aarselever_by_year(campus)
    return float_or_none(totals.get(year))


@cached
def heated_area_m2(year: int, campus: str | None, include_planned: bool = True) -> float | None:
    """Heated m² in use in ``year`` (each building by its days in use); None without buildings."""
    buildings = queries.table("buildings")
    if campus is not None:
        buildings = buildings[buildings["campus_id"] == campus]
    if not include_planned:
        buildings = buildings[buildings["status"] != "planned"]
    if buildings.empty:
        return None
    return float(area_in_use_m2(buildings, year).sum())


def m2_per_aarselev_value(year: int, campus: str | None) -> float | None:
    return m2_per_aarselev(heated_area_m2(year, campus), aarselever_value(year, campus))


def intensity_status(key: str, value: float | None, year: int, campus: str | None,
                     value_in: Callable[[int, str], float | None]) -> tuple[dict | None, str]:
    """(the target row of ``key``, the status of ``value`` in ``year`` against it) for a per-unit figure,
    whose target applies to one campus too.

    School-wide the baseline is the target's stored baseline; for one campus it is that campus's own value
    in the baseline year (``value_in(year, campus)``), so its progress is measured against where it started.
    """
    target = target_row(key)
    if target is None:
        return None, "no_data"
    baseline = target["baseline_value"] if campus is None else value_in(int(target["baseline_year"]), campus)
    status = progress_status(
        value, year, baseline, target["baseline_year"], target["value"], target["year"], target["direction"],
    )
    return target, status


def partial_year(year: int) -> bool:
    """True when the year's meter data end before 31 December (an "år til dato")."""
    _, last = queries.reading_span()
    if last is None:
        return False
    last_date = last.date() if isinstance(last, pd.Timestamp) else last
    return last_date.year == year and last_date < dt.date(year, 12, 31)
