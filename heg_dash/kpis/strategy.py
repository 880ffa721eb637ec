"""The ``aarselever`` and ``m2_per_aarselev`` sections of the KPI contract: Strategy 2028's two hard numbers."""

from __future__ import annotations

from heg_dash.kpis.common import aarselever_value, intensity_status, m2_per_aarselev_value, target_row
from heg_dash.metrics.progress import progress_status, target_for_year


def aarselever_section(year: int, campus: str | None) -> dict:
    """Årselever in ``year`` against the target path (school-wide only: the target is the school's)."""
    value = aarselever_value(year, campus)
    target = target_row("aarselever")
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


def m2_section(year: int, campus: str | None) -> dict:
    """m² per årselev against the target value (25 m² in every year); see :func:`intensity_status`."""
    value = m2_per_aarselev_value(year, campus)
    target, status = intensity_status("m2_per_aarselev", value, year, campus, m2_per_aarselev_value)
    return {"value": value, "target": None if target is None else float(target["value"]), "status": status}
