"""The ``energy`` section of the KPI contract (DESIGN.md), computed from stored readings.

Calendar year in Danish local time, a reading belongs to the year of its start, kWh whatever the
meter's unit. ``None`` where nothing is stored, never 0; no rounding. Readings follow meter →
building → campus, so ``--campus`` narrows every figure.

Also the weighted-EUI tile of the Strategy 2028 scorecard (Faciliteter). Module-level imports stay free
of ``kpis`` and ``scorecard`` (they import this module).
"""

from __future__ import annotations

import datetime as dt

from heg_dash.kpis import common
from heg_dash.kpis.common import Tile
from heg_dash.metrics.energy import weighted_eui
from heg_dash.metrics.progress import target_for_year, trend
from heg_dash.queries import energy as qe
from heg_dash.queries import energy_analysis as qa

EUI_TARGET_KEY = "eui_weighted_kwh_m2"
SPARKLINE_YEARS = 8  # the scorecard's tiles show at most this many years


def _eui_from_totals(totals: dict[str, float], year: int, campus: str | None) -> float | None:
    """Weighted EUI from one year's totals per utility; a missing district-heating total counts 0 (a site may
    have none), a missing electricity total gives None."""
    electricity = totals.get("electricity")
    if electricity is None:
        return None

    heat = totals.get("district_heating")
    return weighted_eui(electricity, heat if heat is not None else 0.0, common.heated_area_m2(year, campus))


def eui_weighted_value(year: int, campus: str | None) -> float | None:
    """(electricity × 1.9 + district heating × 0.85) ÷ heated m² in use in ``year``, in kWh/m².

    The year's readings as stored: in a year whose readings end before 31 December this is the year to
    date over the whole year's area. None without electricity readings or buildings.
    """
    totals = qe.energy_totals(dt.date(year, 1, 1), dt.date(year, 12, 31), campus)
    return _eui_from_totals(totals, year, campus)


def energy_section(year: int, campus: str | None) -> dict:
    """electricity_kwh, district_heating_kwh, heat_normalised_kwh, water_m3, pv_kwh, eui_weighted_kwh_m2.

    - electricity_kwh: grid electricity meters without a parent meter; pv_kwh: production, nothing netted.
    - heat_normalised_kwh: the sum over campuses of each campus's heat normalised with its own degree
      days (queries.energy_analysis.normalised_heat); None when any campus with heat cannot be normalised.
    - eui_weighted_kwh_m2 = (electricity × 1.9 + district heating × 0.85) ÷ heated m² in use; a
      missing district-heating total counts 0 (a site may have none), a missing electricity total
      gives None.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    totals = qe.energy_totals(first, last, campus)
    heat = totals.get("district_heating")
    normal = None
    if heat is not None:
        per_campus = qa.normalised_heat(first, last, campus)
        with_heat = per_campus[per_campus["kwh"].notna() & (per_campus["kwh"] > 0)]
        if not with_heat.empty and with_heat["normalised_kwh"].notna().all():
            normal = float(with_heat["normalised_kwh"].sum())
        elif with_heat.empty:
            normal = 0.0 if heat == 0 else None
    return {
        "electricity_kwh": totals.get("electricity"),
        "district_heating_kwh": heat,
        "heat_normalised_kwh": normal,
        "water_m3": totals.get("water"),
        "pv_kwh": totals.get("solar_pv"),
        "eui_weighted_kwh_m2": _eui_from_totals(totals, year, campus),
    }


# --------------------------------------------------------------------------------------- scorecard tile

def eui_status(value: float | None, year: int, campus: str | None, partial: bool) -> tuple[float | None, str]:
    """(target for the year, status) of a full year's weighted EUI against the ``eui_weighted_kwh_m2`` target.

    An intensity, so the target applies to one campus too (``common.intensity_status``, as m² per årselev). A
    year to date gets (None, no_data): the full-year target cannot judge it.
    """

    if partial:
        return None, "no_data"
    target, status = common.intensity_status(EUI_TARGET_KEY, value, year, campus, eui_weighted_value)
    if target is None:
        return None, status
    return target_for_year(target["value"], target["year"], year, target["annual_rate"]), status


def eui_tiles(year: int, campus: str | None) -> list[Tile]:
    """One tile under Faciliteter: weighted EUI in ``year`` against the ``eui_weighted_kwh_m2`` target.

    The sparkline holds the full years with readings among the last eight up to ``year``, read in one
    query with the value itself. A year whose readings end before 31 December is shown as "år til dato",
    without target, status or trend and outside the sparkline: it is compared with no full-year figure.
    """
    from heg_dash.i18n import t

    partial = common.partial_year(year)
    totals = qe.energy_totals_by_year(year - SPARKLINE_YEARS + 1, year, campus)
    by_year = {y: _eui_from_totals(year_totals, y, campus) for y, year_totals in totals.items()}
    value = by_year.get(year)
    history = [(y, v) for y, v in sorted(by_year.items()) if v is not None and not (partial and y == year)]
    target, status = eui_status(value, year, campus, partial)
    known = value is not None and not partial and len(history) > 1
    tendency = trend(history[-2][1], history[-1][1], "lower") if known else "no_data"
    label = t("energy.tile.eui_ytd") if partial else t("energy.tile.eui")
    return [Tile("faciliteter", EUI_TARGET_KEY, label, value, "kWh/m²", 0, target, status, tendency, "lower",
                 tuple(history), year)]
