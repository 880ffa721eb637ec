"""The yearly energy report state institutions (vocational schools among them) owe Energistyrelsen by 1 June:
actual electricity, heat and water per building for the calendar year, with heated areas.

Summed exactly as the ``energy`` KPI section: a reading belongs to the Danish local year of its start;
only main meters (no parent meter) count, so a sub-meter is never counted twice; energy in kWh whatever
the meter's unit (MWh × 1000, GJ ÷ 0.0036); water in m³. The totals row is
``queries.usage.totals_by_utility`` of the same readings, i.e. what the KPI reports.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from heg_dash import queries
from heg_dash.i18n import t
from heg_dash.importers.sheets import csv_number, frame_csv
from heg_dash.kpis import common as kpi_common
from heg_dash.metrics.facilities import area_in_use_m2
from heg_dash.queries import usage
from heg_dash.reports import common
from heg_dash.reports.excel import Sheet, write_workbook

DATASETS = ("buildings", "meters", "readings")
# Always reported (the report's three columns); gas, oil and solar production only when stored.
CORE_UTILITIES = ("electricity", "district_heating", "water")
EXTRA_UTILITIES = ("gas", "oil", "solar_pv")
NATIVE_UNIT_TEXT = {"m3": "m³", "Nm3": "Nm³", "l": "l", "kWh": "kWh"}


def _utility_unit(main: pd.DataFrame, utility: str) -> tuple[str, str]:
    """(column of use_by_meter, unit text) — kWh when every meter of the utility is energy, else native."""
    rows = main[main["utility"] == utility]
    if utility == "water" or rows.empty or rows["kwh"].isna().any():
        unit = str(rows["unit"].iloc[0]) if not rows.empty else "m3"
        return "native", NATIVE_UNIT_TEXT.get(unit, unit)
    return "kwh", "kWh"


def building_table(year: int, campus: str | None = None) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per building in use in ``year`` (or with readings): areas and use per utility, plus the totals.

    Returns (frame with internal column names, totals per utility from ``totals_by_utility``). Columns:
    building_id, name, campus_id, use, heated_area_m2, area_in_use_m2, then one column per utility
    (``electricity``, ``district_heating``, ``water`` and any of gas/oil/solar_pv that has readings);
    a utility without readings for a building is empty (NaN), never 0.
    """
    buildings = queries.table("buildings")
    if campus is not None:
        buildings = buildings[buildings["campus_id"] == campus]
    by_meter = usage.use_by_meter(dt.date(year, 1, 1), dt.date(year, 12, 31), campus)
    main = by_meter[by_meter["parent_meter_id"].isna()]
    totals = usage.totals_by_utility(by_meter)
    area = area_in_use_m2(buildings, year) if not buildings.empty else pd.Series(dtype=float)
    utilities = [*CORE_UTILITIES, *(u for u in EXTRA_UTILITIES if u in totals)]
    frame = buildings[["building_id", "name", "campus_id", "use", "heated_area_m2"]].copy()
    frame["area_in_use_m2"] = frame["building_id"].map(area).astype(float)
    for utility in utilities:
        column, _ = _utility_unit(main, utility)
        per_building = main[main["utility"] == utility].groupby("building_id")[column].sum()
        frame[utility] = frame["building_id"].map(per_building).astype(float)
    with_use = frame[utilities].notna().any(axis=1)
    frame = frame[(frame["area_in_use_m2"] > 0) | with_use].reset_index(drop=True)
    return frame, {u: totals[u] for u in utilities if u in totals}


def _columns(year: int, campus: str | None) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """The table with Danish/English column names, a totals row, and Excel number formats per column."""
    frame, totals = building_table(year, campus)
    by_meter = usage.use_by_meter(dt.date(year, 1, 1), dt.date(year, 12, 31), campus)
    main = by_meter[by_meter["parent_meter_id"].isna()]
    names = {
        "building_id": t("reports.energy.col.building_id"), "name": t("reports.energy.col.name"),
        "campus_id": t("reports.energy.col.campus"), "use": t("reports.energy.col.use"),
        "heated_area_m2": t("reports.energy.col.heated_area"), "area_in_use_m2": t("reports.energy.col.area_in_use"),
    }
    formats = {names["heated_area_m2"]: "#,##0", names["area_in_use_m2"]: "#,##0"}
    for utility in [c for c in frame.columns if c not in names]:
        _, unit = _utility_unit(main, utility)
        names[utility] = t(f"reports.energy.col.{utility}", unit=unit)
        formats[names[utility]] = "#,##0" if unit != "m³" else "#,##0.0"
    total = {"building_id": t("reports.energy.total"), "name": None, "campus_id": None, "use": None,
             "heated_area_m2": float(pd.to_numeric(frame["heated_area_m2"]).sum()) if len(frame) else None,
             # common.heated_area_m2: the same weighted area the m² per årselev and EUI KPIs divide by
             "area_in_use_m2": kpi_common.heated_area_m2(year, campus)}
    total.update({u: totals.get(u) for u in frame.columns if u not in total})
    frame = frame.copy()
    frame["heated_area_m2"] = pd.to_numeric(frame["heated_area_m2"], errors="coerce").astype(float)
    frame["use"] = [t(f"reports.use.{u}") if u else u for u in frame["use"]]
    table = pd.concat([frame, pd.DataFrame([total])], ignore_index=True).rename(columns=names)
    return table, names, formats


def to_xlsx(year: int, campus: str | None = None) -> bytes:
    """The report as a workbook: the table on the first sheet (a header row, numbers as numbers, a totals
    row), and a second sheet saying what was counted, the date and whether sample data is in use."""
    table, _, formats = _columns(year, campus)
    sample = common.sample_in_use(DATASETS)
    note = common.sample_note() if sample else None
    info = [
        (t("reports.info.report"), t("reports.energy.title", year=year)),
        (t("reports.info.period"), t("reports.energy.period", year=year)),
        (t("reports.info.campus"), campus or t("filter.all_campuses")),
        (t("reports.info.generated"), common.generated_at().strftime("%Y-%m-%d %H:%M")),
        (t("reports.info.method"), t("reports.energy.method")),
        (t("reports.info.sources"), "; ".join(
            f"{name} ({date})" + (f" – {t('sample.badge')}" if is_sample else "")
            for name, date, is_sample in common.sources(DATASETS))),
    ]
    sheets = [Sheet(t("reports.energy.sheet", year=year), table, formats, total_row=True)]
    # The table goes first (what a reader and an import expect); the facts sheet after it.
    return write_workbook(sheets, info, t("reports.energy.title", year=year), t("reports.info.sheet"), note,
                          info_first=False)


def to_csv(year: int, campus: str | None = None) -> bytes:
    """The table as CSV the Danish way: ``;`` separator, decimal comma, UTF-8 with BOM (Excel opens it
    as it is); numbers without thousands separators, so they read back as numbers."""
    table, _, _ = _columns(year, campus)
    return frame_csv(table, csv_number)
