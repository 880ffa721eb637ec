"""The sustainability and SDG report for a year, as PDF and as Excel (Danish by default, English on request).

Content: Strategy 2028 status, energy, CO₂e by scope with method notes and the sources of the emission
factors, the measured initiatives (did they work?), the 17 SDGs with status, trend, initiatives and
indicators, international mobility, and every key figure of the KPI object. Sections the KPI object does
not have (yet) say "ingen data"; every number is the KPI object's own for the same year, unrounded in Excel.
"""

from __future__ import annotations

import pandas as pd

from heg_dash import kpis, queries
from heg_dash.i18n import fmt_date, fmt_number, localized, localized_column, t
from heg_dash.kpis import scorecard
from heg_dash.queries.factors import factor_table
from heg_dash.reports import common, savings
from heg_dash.reports.excel import Sheet, write_workbook
from heg_dash.reports.pdf import ReportPDF
from heg_dash.reports.strategy import data_sources, focus_areas, goal_source, subtitle, tile_texts

DATASETS = ("readings", "buildings", "meters", "emission_factors", "grid_co2", "activity", "exchanges", "finance",
            "initiatives", "indicators", "indicator_values", "targets", "focus_areas")
SDG_GOALS = range(1, 18)


def _split_goals(text: object) -> set[int]:
    if common.missing(text) or text is pd.NA:
        return set()
    return {int(part) for part in str(text).replace(",", ";").split(";") if part.strip().isdigit()}


def initiatives() -> pd.DataFrame:
    """The stored initiatives with their SDGs as a set of goal numbers (column ``goals``)."""
    frame = queries.table("initiatives").copy()
    frame["goals"] = [_split_goals(v) for v in frame["sdg_goals"]]
    return frame


def indicator_rows(year: int) -> list[dict]:
    """Indicators with an SDG: the scorecard's tile for each (latest value ≤ year, target, status, trend)."""
    meta = queries.table("indicators")
    goals = {f"indicator:{r.indicator_id}": r.sdg_goal for r in meta.itertuples() if not pd.isna(r.sdg_goal)}
    rows = []
    for tile in scorecard.indicator_tiles(year, None):
        if tile.key in goals:
            rows.append({"goal": int(goals[tile.key]), "tile": tile})
    return sorted(rows, key=lambda r: r["goal"])


def sdg_rows(result: dict, year: int) -> list[dict]:
    """All 17 goals: number, name, status and trend from the KPI ``sdg`` section (or "ingen data"), and the
    initiatives that name the goal (title and status)."""
    by_goal = {int(g["goal"]): g for g in (result.get("sdg") or [])}
    frame = initiatives()
    out = []
    for goal in SDG_GOALS:
        kpi = by_goal.get(goal, {})
        linked = frame[[goal in goals for goals in frame["goals"]]]
        out.append({
            "goal": goal, "name": t(f"sustain.sdg.goal.{goal}"), "status": kpi.get("status"), "trend": kpi.get("trend"),
            "initiatives": [f"{localized(r, 'title')} ({t('reports.initiative.' + str(r['status']))})"
                            for r in linked.to_dict("records")],
        })
    return out


def factor_rows(year: int) -> pd.DataFrame:
    """The emission factors stored for ``year`` with their sources (the factors the CO₂e figures use)."""
    frame = factor_table(year)
    if frame.empty:
        return frame
    frame = frame.copy()
    frame["utility_text"] = [t(f"reports.utility.{u}") for u in frame["utility"]]
    frame["method_text"] = [t(f"reports.method.{m}") for m in frame["method"]]
    return frame


# ------------------------------------------------------------------------------------------------ PDF

def _kpi_table(pdf: ReportPDF, rows: list[common.KpiRow]) -> None:
    pdf.data_table([t("reports.col.key_figure"), t("reports.col.value")], [(r.label, r.text) for r in rows],
                   [110, 64], ["L", "R"])


def _rows_of(result: dict, key: str) -> list[common.KpiRow]:
    return [r for r in common.kpi_rows(result) if r.section == key]


def _chart(pdf: ReportPDF, charts: dict[str, common.HeadlineChart], key: str) -> None:
    item = charts.get(key)
    if item is not None:
        pdf.chart(common.chart_png(item.chart, width=560, height=220), item.title)


def to_pdf(year: int, campus: str | None = None) -> bytes:
    """The report as PDF bytes."""
    result = kpis.compute(year, campus)
    sample = common.sample_in_use(DATASETS)
    title = t("reports.sustainability.title", year=year)
    pdf = ReportPDF(title, common.generated_at(), bool(sample))
    charts = {c.key: c for c in common.headline_charts(year, campus)}
    pdf.add_page()
    pdf.title_block(title, subtitle(year, campus, result["partial_year"]),
                    t("reports.sample_note") if sample else None)
    pdf.paragraph(t("reports.sustainability.intro"))

    focus_areas(pdf, scorecard.scorecard(year, campus))
    _chart(pdf, charts, "aarselever")
    _chart(pdf, charts, "m2_per_aarselev")

    pdf.add_page()
    pdf.heading(t("reports.section.energy"))
    if common.present_section(result, "energy") is None:
        pdf.paragraph(t("reports.no_data_section"))
    else:
        _kpi_table(pdf, _rows_of(result, "energy"))
        _chart(pdf, charts, "energy")
    pdf.paragraph(t("reports.method.energy"), size=8, colour=(95, 107, 115))

    pdf.heading(t("reports.section.co2e_t"))
    if common.present_section(result, "co2e_t") is None:
        pdf.paragraph(t("reports.no_data_section"))
    else:
        _kpi_table(pdf, _rows_of(result, "co2e_t"))
        _chart(pdf, charts, "co2e_t")
    pdf.heading(t("reports.co2e.method_title"), level=2)
    for key in ("scope1", "scope2_location", "scope2_market", "scope3", "factors"):
        pdf.paragraph(t(f"reports.co2e.method.{key}"), size=8.5)
    factors = factor_rows(year)
    pdf.heading(t("reports.co2e.factors_title", year=year), level=2)
    if factors.empty:
        pdf.paragraph(t("reports.no_data_section"))
    else:
        pdf.data_table(
            [t("reports.col.utility"), t("reports.col.method"), t("reports.col.factor"), t("reports.col.unit"),
             t("reports.col.source")],
            [(r.utility_text, r.method_text, fmt_number(r.kg_co2e_per_unit, 4), str(r.unit), str(r.source))
             for r in factors.itertuples()],
            [32, 22, 22, 14, 84], ["L", "L", "R", "L", "L"], size=7.5,
        )
    savings.pdf_section(pdf, year, campus)

    pdf.add_page()
    pdf.heading(t("reports.section.sdg"))
    if common.present_section(result, "sdg") is None:
        pdf.paragraph(t("reports.sdg.no_status"))
    rows = sdg_rows(result, year)
    pdf.data_table(
        [t("reports.col.goal"), t("reports.col.name"), t("reports.col.status"), t("reports.col.trend"),
         t("reports.col.initiatives")],
        [(str(r["goal"]), r["name"], common.status_words(r["status"]) if r["status"] else t("reports.no_data"),
          common.trend_words(r["trend"]) if r["trend"] else t("reports.no_data"),
          "\n".join(r["initiatives"]) or "–") for r in rows],
        [11, 40, 30, 30, 63], ["C", "L", "L", "L", "L"], size=7.5,
        fills=[_rgb(common.SDG_COLOURS[r["goal"]]) for r in rows],
    )
    indicators = indicator_rows(year)
    if indicators:
        pdf.heading(t("reports.sdg.indicators"), level=2)
        pdf.data_table(
            [t("reports.col.goal"), t("reports.col.measure"), t("reports.col.value"), t("reports.col.target"),
             t("reports.col.status")],
            [(str(r["goal"]), *tile_texts(r["tile"])[:4]) for r in indicators],
            [11, 67, 30, 24, 42], ["C", "L", "R", "R", "L"], size=7.5,
            fills=[_rgb(common.SDG_COLOURS[r["goal"]]) for r in indicators],
        )

    pdf.heading(t("reports.section.mobilities"))
    if common.present_section(result, "mobilities") is None:
        pdf.paragraph(t("reports.no_data_section"))
    else:
        _kpi_table(pdf, _rows_of(result, "mobilities"))
        _chart(pdf, charts, "mobilities")

    pdf.add_page()
    pdf.heading(t("reports.section.key_figures"))
    pdf.data_table(
        [t("reports.col.area"), t("reports.col.key_figure"), t("reports.col.value")],
        # the SDGs' statuses are in their own table above; the workbook lists them here too
        [(common.section_label(r.section), r.label if r.field else "", r.text) for r in common.kpi_rows(result)
         if r.section != "sdg" or not r.field],
        [42, 78, 54], ["L", "L", "R"], size=7.5,
    )
    _chart(pdf, charts, "economy")
    data_sources(pdf, DATASETS)
    return pdf.to_bytes()


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


# ---------------------------------------------------------------------------------------------- Excel

def to_xlsx(year: int, campus: str | None = None) -> bytes:
    """The report as a workbook: facts and sources, key figures (every KPI value unrounded, by its path),
    Strategy 2028 status, SDGs, indicators, initiatives, emission factors, and the charts as images."""
    result = kpis.compute(year, campus)
    sample = common.sample_in_use(DATASETS)
    title = t("reports.sustainability.title", year=year)
    info = [
        (t("reports.info.report"), title),
        (t("reports.info.period"), subtitle(year, campus, result["partial_year"])),
        (t("reports.info.generated"), fmt_date(common.generated_at().date())),
        (t("reports.info.method"), t("reports.method.status")),
        (t("reports.info.co2e"), " ".join(t(f"reports.co2e.method.{k}") for k in (
            "scope1", "scope2_location", "scope2_market", "scope3", "factors"))),
        (t("reports.info.sources"), "; ".join(
            f"{name} ({date})" + (f" – {t('sample.badge')}" if is_sample else "")
            for name, date, is_sample in common.sources(DATASETS))),
    ]
    key_figures = pd.DataFrame(
        [(r.path, common.section_label(r.section), r.label if r.field else "", _cell(r), r.unit)
         for r in common.kpi_rows(result)],
        columns=[t("reports.col.path"), t("reports.col.area"), t("reports.col.key_figure"), t("reports.col.value"),
                 t("reports.col.unit")],
    )
    strategy_rows = []
    for area in scorecard.scorecard(year, campus):
        for tile in area.tiles:
            label, _, _, status, trend = tile_texts(tile)
            strategy_rows.append((t("focus." + area.key), area.goal_da, goal_source(area), label, tile.value,
                                  tile.value_year, tile.target, tile.unit, status, trend))
    strategy = pd.DataFrame(strategy_rows, columns=[
        t("reports.col.area"), t("reports.col.goal_quote"), t("reports.col.source"), t("reports.col.measure"),
        t("reports.col.value"), t("reports.col.year"), t("reports.col.target"), t("reports.col.unit"),
        t("reports.col.status"), t("reports.col.trend")])
    sdg = pd.DataFrame(
        [(r["goal"], r["name"], common.status_words(r["status"]) if r["status"] else t("reports.no_data"),
          common.trend_words(r["trend"]) if r["trend"] else t("reports.no_data"), "; ".join(r["initiatives"]))
         for r in sdg_rows(result, year)],
        columns=[t("reports.col.goal"), t("reports.col.name"), t("reports.col.status"), t("reports.col.trend"),
                 t("reports.col.initiatives")])
    indicators = pd.DataFrame(
        [(r["goal"], r["tile"].label, r["tile"].value, r["tile"].value_year, r["tile"].target, r["tile"].unit,
          common.status_words(r["tile"].status), common.trend_words(r["tile"].trend)) for r in indicator_rows(year)],
        columns=[t("reports.col.goal"), t("reports.col.measure"), t("reports.col.value"), t("reports.col.year"),
                 t("reports.col.target"), t("reports.col.unit"), t("reports.col.status"), t("reports.col.trend")])
    frame = initiatives()
    initiative_sheet = pd.DataFrame({
        t("reports.col.id"): frame["initiative_id"], t("reports.col.title"): localized_column(frame, "title"),
        t("reports.col.owner"): frame["owner"],
        t("reports.col.status"): [t("reports.initiative." + str(s)) for s in frame["status"]],
        t("reports.col.start"): frame["start_date"], t("reports.col.end"): frame["end_date"],
        t("reports.col.area"): [t("focus." + str(a)) if a else a for a in frame["focus_area"]],
        t("reports.col.sdgs"): frame["sdg_goals"],
    })
    factors = factor_rows(year)
    factor_sheet = pd.DataFrame({
        t("reports.col.utility"): factors.get("utility_text", pd.Series(dtype=str)),
        t("reports.col.year"): factors.get("year", pd.Series(dtype=int)),
        t("reports.col.method"): factors.get("method_text", pd.Series(dtype=str)),
        t("reports.col.factor"): factors.get("kg_co2e_per_unit", pd.Series(dtype=float)),
        t("reports.col.unit"): factors.get("unit", pd.Series(dtype=str)),
        t("reports.col.source"): factors.get("source", pd.Series(dtype=str)),
    })
    charts = [(c.title, common.chart_png(c.chart, width=560, height=240)) for c in common.headline_charts(year, campus)]
    number = "#,##0.0##"
    sheets = [
        Sheet(t("reports.sheet.key_figures"), key_figures, {t("reports.col.value"): number}),
        Sheet(t("reports.sheet.strategy"), strategy, {t("reports.col.value"): number, t("reports.col.target"): number}),
        Sheet(t("reports.sheet.sdg"), sdg),
        Sheet(t("reports.sheet.indicators"), indicators,
              {t("reports.col.value"): number, t("reports.col.target"): number}),
        Sheet(t("reports.sheet.initiatives"), initiative_sheet),
        savings.sheet(year, campus),
        Sheet(t("reports.sheet.factors"), factor_sheet, {t("reports.col.factor"): "0.0000"}),
        Sheet(t("reports.sheet.charts"), pd.DataFrame(), images=charts),
    ]
    return write_workbook(sheets, info, title, t("reports.info.sheet"),
                          common.sample_note() if sample else None)


def _cell(row: common.KpiRow) -> object:
    """The value a key-figure cell holds: numbers as they are, statuses, trends and missing values in words."""
    if common.missing(row.value):
        return t("reports.no_data")
    if isinstance(row.value, str):
        return row.text
    return row.value
