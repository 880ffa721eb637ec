"""The KPI contract of DESIGN.md: one dict per year (and campus), every number computed from the store.

``null`` (None) where nothing is stored, never 0; no rounding; counts are integers. Each section is a
function of (year, campus) registered in ``SECTIONS``; later features add theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from heg_dash import db, kpi_economy, kpi_energy, kpi_international, kpi_sustainability, queries
from heg_dash.metrics.facilities import area_in_use_m2, m2_per_aarselev
from heg_dash.metrics.progress import progress_status, target_for_year
from heg_dash.queries.cache import cached


class UnknownCampus(ValueError):
    pass


def _target(key: str) -> dict | None:
    targets = queries.table("targets")
    row = targets[targets["key"] == key]
    if row.empty:
        return None
    record = row.iloc[0].to_dict()
    return {k: (None if pd.isna(v) else v) for k, v in record.items()}


def _float_or_none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def aarselever_value(year: int, campus: str | None) -> float | None:
    totals = queries.aarselever_by_year(campus)
    return _float_or_none(totals.get(year))


def aarselever_section(year: int, campus: str | None) -> dict:
    """Årselever in ``year`` against the target path (school-wide only: the target is the school's)."""
    value = aarselever_value(year, campus)
    target = _target("aarselever")
    if campus is not None or target is None:
        return {"value": value, "target": None, "status": "no_data"}
    status = progress_status(
        value, year, target["baseline_value"], target["baseline_year"], target["value"], target["year"],
        target["direction"],
    )
    return {
        "value": value,
        "target": target_for_year(target["value"], target["year"], year, target["annual_rate"]),
        "status": status,
    }


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
    target = _target(key)
    if target is None:
        return None, "no_data"
    baseline = target["baseline_value"] if campus is None else value_in(int(target["baseline_year"]), campus)
    status = progress_status(
        value, year, baseline, target["baseline_year"], target["value"], target["year"], target["direction"],
    )
    return target, status


def m2_section(year: int, campus: str | None) -> dict:
    """m² per årselev against the target value (25 m² in every year); see :func:`intensity_status`."""
    value = m2_per_aarselev_value(year, campus)
    target, status = intensity_status("m2_per_aarselev", value, year, campus, m2_per_aarselev_value)
    return {"value": value, "target": None if target is None else float(target["value"]), "status": status}


def partial_year(year: int) -> bool:
    """True when the year's meter data end before 31 December (an "år til dato")."""
    _, last = queries.reading_span()
    if last is None:
        return False
    last_date = last.date() if isinstance(last, pd.Timestamp) else last
    return last_date.year == year and last_date < dt.date(year, 12, 31)


SECTIONS: dict[str, Callable[[int, str | None], object]] = {
    "aarselever": aarselever_section,
    "m2_per_aarselev": m2_section,
    "energy": kpi_energy.energy_section,
    "co2e_t": kpi_sustainability.co2e_section,
    "sdg": kpi_sustainability.sdg_section,
    "mobilities": kpi_international.mobilities_section,
    "economy": kpi_economy.economy_section,
}


def compute(year: int, campus: str | None = None) -> dict:
    """The KPI object for ``year`` (and one campus); raises UnknownCampus for an unknown campus_id."""
    with db.session():
        if campus is not None and campus not in set(queries.table("campuses")["campus_id"]):
            raise UnknownCampus(campus)
        result: dict[str, object] = {"year": year, "campus": campus, "partial_year": partial_year(year)}
        for key, section in SECTIONS.items():
            result[key] = section(year, campus)
    return result
