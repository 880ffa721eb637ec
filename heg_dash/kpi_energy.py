"""The ``energy`` section of the KPI contract (DESIGN.md), computed from stored readings.

Calendar year in Danish local time, a reading belongs to the year of its start, kWh whatever the
meter's unit. ``None`` where nothing is stored, never 0; no rounding. Readings follow meter →
building → campus, so ``--campus`` narrows every figure.
"""

from __future__ import annotations

import datetime as dt

from heg_dash.metrics.energy import weighted_eui
from heg_dash.queries import energy as qe


def energy_section(year: int, campus: str | None) -> dict:
    """electricity_kwh, district_heating_kwh, heat_normalised_kwh, water_m3, pv_kwh, eui_weighted_kwh_m2.

    - electricity_kwh: grid electricity meters without a parent meter; pv_kwh: production, nothing netted.
    - heat_normalised_kwh: the sum over campuses of each campus's heat normalised with its own degree
      days (queries.energy.normalised_heat); None when any campus with heat cannot be normalised.
    - eui_weighted_kwh_m2 = (electricity × 1.9 + district heating × 0.85) ÷ heated m² in use; a
      missing district-heating total counts 0 (a site may have none), a missing electricity total
      gives None.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    totals = qe.energy_totals(first, last, campus)
    electricity = totals.get("electricity")
    heat = totals.get("district_heating")
    normal = None
    if heat is not None:
        per_campus = qe.normalised_heat(first, last, campus)
        with_heat = per_campus[per_campus["kwh"].notna() & (per_campus["kwh"] > 0)]
        if not with_heat.empty and with_heat["normalised_kwh"].notna().all():
            normal = float(with_heat["normalised_kwh"].sum())
        elif with_heat.empty:
            normal = 0.0 if heat == 0 else None
    eui = None
    if electricity is not None:
        from heg_dash.kpis import heated_area_m2  # the same areas as m² per årselev (kpis imports this module)

        eui = weighted_eui(electricity, heat if heat is not None else 0.0, heated_area_m2(year, campus))
    return {
        "electricity_kwh": electricity,
        "district_heating_kwh": heat,
        "heat_normalised_kwh": normal,
        "water_m3": totals.get("water"),
        "pv_kwh": totals.get("solar_pv"),
        "eui_weighted_kwh_m2": eui,
    }
