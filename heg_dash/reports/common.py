"""What every report shares: the KPI object as labelled rows, KPI history for charts, sample-data notes,
data sources and chart images rendered offline.

Reports are written against the KPI contract (DESIGN.md): ``kpis.compute(year, campus)`` returns a dict;
every section that is present is reported, a missing or null one says "ingen data". Numbers are never
rounded in stored form (Excel keeps the full value, the number format rounds on screen); printed text
goes through i18n's formatters so it reads Danish (1.800,5).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

import altair as alt
import pandas as pd

from heg_dash import kpis, queries
from heg_dash.i18n import fmt_number, fmt_percent, has, t
from heg_dash.i18n.labels import status_label, trend_label
from heg_dash.metrics.sdg import GOALS

# The contract's sections in its key order; sections the running build does not register are "ingen data".
CONTRACT_SECTIONS = ("aarselever", "m2_per_aarselev", "energy", "co2e_t", "sdg", "mobilities", "economy")

# How each known field prints: (unit, decimals, kind). kind "number", "count", "share" (0–1 shown in %),
# "status" or "trend" (words from the catalogue). Fields a later build adds print with 2 decimals.
FIELDS: dict[str, dict[str, tuple[str, int, str]]] = {
    "aarselever": {"value": ("", 0, "number"), "target": ("", 1, "number"), "status": ("", 0, "status")},
    "m2_per_aarselev": {"value": ("m²", 1, "number"), "target": ("m²", 1, "number"), "status": ("", 0, "status")},
    "energy": {
        "electricity_kwh": ("kWh", 0, "number"), "district_heating_kwh": ("kWh", 0, "number"),
        "heat_normalised_kwh": ("kWh", 0, "number"), "water_m3": ("m³", 0, "number"), "pv_kwh": ("kWh", 0, "number"),
        "eui_weighted_kwh_m2": ("kWh/m²", 1, "number"),
    },
    "co2e_t": {
        "scope1": ("t", 1, "number"), "scope2_location": ("t", 1, "number"), "scope2_market": ("t", 1, "number"),
        "scope3": ("t", 1, "number"), "total_location": ("t", 1, "number"),
    },
    "mobilities": {
        "outbound_students": ("", 0, "count"), "outbound_staff": ("", 0, "count"), "inbound": ("", 0, "count"),
        "green_travel_share": ("", 1, "share"),
    },
    "economy": {
        "revenue_dkk": ("kr.", 0, "number"), "result_dkk": ("kr.", 0, "number"), "overskudsgrad": ("%", 1, "number"),
        "likviditetsgrad": ("%", 1, "number"), "soliditetsgrad": ("%", 1, "number"),
        "finansieringsgrad": ("%", 1, "number"), "cost_per_aarselev_dkk": ("kr.", 0, "number"),
    },
}
SDG_FIELDS = {"status": ("", 0, "status"), "trend": ("", 0, "trend")}

SDG_COLOURS = {goal.number: goal.colour for goal in GOALS}  # the official palette, one place


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


status_words = status_label  # the one wording of a status, shared with the pages
trend_words = trend_label


def field_spec(section: str, field: str) -> tuple[str, int, str]:
    if section == "sdg":
        return SDG_FIELDS.get(field, ("", 2, "number"))
    return FIELDS.get(section, {}).get(field, ("", 2, "number"))


def field_label(section: str, field: str) -> str:
    key = f"reports.kpi.{section}.{field}"
    return t(key) if has(key) else field


def section_label(section: str) -> str:
    key = f"reports.section.{section}"
    return t(key) if has(key) else section


def format_value(section: str, field: str, value: object) -> str:
    """How a KPI value prints: Danish number formats, statuses and trends in words, None as "ingen data"."""
    unit, decimals, kind = field_spec(section, field)
    if missing(value):
        return t("reports.no_data")
    if kind == "status":
        return status_words(str(value))
    if kind == "trend":
        return trend_words(str(value))
    if kind == "share":
        return fmt_percent(float(value), decimals)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return fmt_number(value, 0 if kind == "count" else decimals, unit or None)


@dataclass(frozen=True)
class KpiRow:
    """One value of the KPI object: its path (``energy.electricity_kwh``, ``sdg.7.status``), label and text."""

    path: str
    section: str
    field: str
    label: str
    value: object  # as compute() returned it (None where nothing is stored)
    unit: str
    text: str  # as printed


def kpi_rows(result: dict) -> Iterator[KpiRow]:
    """Every value of a ``kpis.compute`` result as a row, in the contract's order, missing sections as None.

    A section that is absent (not built yet) or null yields one row with value None ("ingen data").
    """
    present = [key for key in result if key not in ("year", "campus", "partial_year")]
    order = [s for s in CONTRACT_SECTIONS] + [s for s in present if s not in CONTRACT_SECTIONS]
    for section in order:
        data = result.get(section)
        if data is None or (isinstance(data, list | dict) and not data):
            yield KpiRow(section, section, "", section_label(section), None, "", t("reports.no_data"))
            continue
        if section == "sdg":
            for goal in data:
                number = int(goal["goal"])
                for field, value in goal.items():
                    if field == "goal":
                        continue
                    yield KpiRow(f"sdg.{number}.{field}", section, field,
                                 f"{t('reports.sdg.short', goal=number)} · {field_label('sdg', field)}", value, "",
                                 format_value("sdg", field, value))
            continue
        for field, value in data.items():
            unit, _, kind = field_spec(section, field)
            yield KpiRow(f"{section}.{field}", section, field, field_label(section, field), value,
                         "%" if kind == "share" else unit, format_value(section, field, value))


def present_section(result: dict, key: str) -> dict | list | None:
    """A section of the KPI result, or None when it is absent, null or holds no value at all."""
    data = result.get(key)
    if isinstance(data, dict) and all(missing(v) for v in data.values()):
        return None
    return data or None


def history(key: str, year: int, campus: str | None = None, years: int = 7) -> pd.DataFrame:
    """A registered KPI section's numeric fields per year up to ``year`` (the last ``years`` years with data).

    Empty when the section is not registered; used for the headline charts of sections whose own page
    builders are not part of this build.
    """
    if key not in kpis.SECTIONS:
        return pd.DataFrame()
    rows = []
    for y in [y for y in queries.years_with_data() if y <= year][-years:]:
        data = kpis.SECTIONS[key](y, campus)
        if isinstance(data, dict):
            rows.append({"year": y, **{k: v for k, v in data.items() if isinstance(v, int | float) or v is None}})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    values = frame.drop(columns="year")
    return frame[values.notna().any(axis=1)].reset_index(drop=True)


def sample_in_use(datasets: list[str] | tuple[str, ...]) -> list[str]:
    """The report's datasets that still hold the shipped sample data (the report then says "Eksempeldata")."""
    return sorted(set(queries.store_status()["sample"]) & set(datasets))


def sample_note() -> str:
    """"Eksempeldata: …" — the line a workbook starts with when sample data is in use."""
    return f"{t('sample.badge')}: {t('reports.sample_note')}"


def sources(datasets: list[str] | tuple[str, ...]) -> list[tuple[str, str, bool]]:
    """(dataset name, newest date as text, is sample data) for the report's data sources."""
    from heg_dash.i18n import fmt_date

    status = queries.store_status()
    fresh, counts, sample = status["freshness"], status["counts"], set(status["sample"])
    out = []
    for name in datasets:
        if name in counts and not counts[name]:
            continue
        date = fresh.get(name)
        out.append((t("dataset." + name), fmt_date(date) if date is not None else "", name in sample))
    return out


def generated_at() -> dt.datetime:
    """Now in Danish local time (the report's date)."""
    return pd.Timestamp.now(tz="Europe/Copenhagen").to_pydatetime()


def chart_png(chart: alt.TopLevelMixin, width: int = 520, height: int = 240, scale: float = 2.0) -> bytes:
    """The page's Altair chart as a PNG, rendered offline by vl-convert (no browser, no network)."""
    import vl_convert as vlc

    sized = chart.properties(width=width, height=height)
    return vlc.vegalite_to_png(sized.to_json(), scale=scale)


@dataclass(frozen=True)
class HeadlineChart:
    key: str
    title: str
    chart: alt.TopLevelMixin
    caption: str = ""


HEADLINE_KEYS = ("aarselever", "m2_per_aarselev", "energy", "co2e_t", "mobilities", "economy")


def headline_chart(key: str, year: int, campus: str | None = None) -> HeadlineChart | None:
    """One headline chart (see ``headline_charts``); None when its data are missing. The kiosk's slides
    draw the same charts."""
    from heg_dash import charts
    from heg_dash.charts.reports import yearly_bars
    from heg_dash.kpis import scorecard

    if key == "aarselever":
        path = scorecard.aarselever_path(campus)
        if path["actual"].notna().any():
            return HeadlineChart("aarselever", t("overview.path_title"), charts.aarselever_path(path))
    elif key == "m2_per_aarselev":
        m2 = scorecard.m2_path(campus)
        if m2["actual"].notna().any():
            return HeadlineChart("m2_per_aarselev", t("overview.m2_title"), charts.m2_per_aarselev(m2),
                                 t("overview.m2_caption"))
    elif key == "energy":
        energy = history("energy", year, campus)
        if not energy.empty:
            energy = energy.assign(**{c: energy[c] / 1000 for c in ("electricity_kwh", "district_heating_kwh")
                                      if c in energy})
            return HeadlineChart("energy", t("reports.chart.energy"), yearly_bars(
                energy, {"electricity_kwh": t("reports.kpi.energy.electricity_kwh"),
                         "district_heating_kwh": t("reports.kpi.energy.district_heating_kwh")}, "MWh", stacked=False))
    elif key == "co2e_t":
        co2e = history("co2e_t", year, campus)
        if not co2e.empty:
            return HeadlineChart("co2e_t", t("reports.chart.co2e"), yearly_bars(
                co2e, {k: t(f"reports.kpi.co2e_t.{k}") for k in ("scope1", "scope2_location", "scope3")},
                t("reports.unit.t_co2e"), ",.0f"), t("reports.chart.co2e_caption"))
    elif key == "mobilities":
        mobilities = history("mobilities", year, campus)
        if not mobilities.empty:
            return HeadlineChart("mobilities", t("reports.chart.mobilities"), yearly_bars(
                mobilities, {k: t(f"reports.kpi.mobilities.{k}") for k in ("outbound_students", "outbound_staff",
                                                                             "inbound")},
                t("reports.unit.participants"), stacked=False))
    elif key == "economy":
        economy = history("economy", year, campus)
        if not economy.empty and "result_dkk" in economy and economy["result_dkk"].notna().any():
            economy = economy.assign(result_mdkk=economy["result_dkk"] / 1e6)
            return HeadlineChart("economy", t("reports.chart.result"), yearly_bars(
                economy, {"result_mdkk": t("reports.kpi.economy.result_dkk")}, t("reports.unit.mdkk"), ",.1f"))
    return None


def headline_charts(year: int, campus: str | None = None) -> list[HeadlineChart]:
    """The headline charts: the årselever path and m² per årselev from the Overblik page's own builders,
    then energy, CO₂e by scope, mobilities and the result per year for the sections this build computes."""
    built = (headline_chart(key, year, campus) for key in HEADLINE_KEYS)
    return [chart for chart in built if chart is not None]
