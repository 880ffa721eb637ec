"""The KPI contract of DESIGN.md: one dict per year (and campus), every number computed from the store.

``null`` (None) where nothing is stored, never 0; no rounding; counts are integers. Each section is a
function of (year, campus) registered in ``SECTIONS``; later features add theirs.
"""

from __future__ import annotations

from collections.abc import Callable

from heg_dash import queries
from heg_dash.kpis import economy, energy, international, strategy, sustainability
from heg_dash.kpis.common import partial_year
from heg_dash.store import db


class UnknownCampus(ValueError):
    pass


SECTIONS: dict[str, Callable[[int, str | None], object]] = {
    "aarselever": strategy.aarselever_section,
    "m2_per_aarselev": strategy.m2_section,
    "energy": energy.energy_section,
    "co2e_t": sustainability.co2e_section,
    "sdg": sustainability.sdg_section,
    "mobilities": international.mobilities_section,
    "economy": economy.economy_section,
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
