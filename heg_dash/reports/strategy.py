"""The board's Strategy 2028 status report (PDF, a few pages): what management takes into a meeting.

Each focus area with its goal quoted from the strategy (source "Strategi 2028"; in English with the
gloss beside it), its measured goals with value, target, status in words and trend (the scorecard's
tiles, so the numbers are the Overblik page's), the measured initiatives (did they work?), then the
headline charts. It opens with the news in words: the three most notable headlines of the year
(``kpis.headlines``, as the Overblik page's "Det vigtigste lige nu").
"""

from __future__ import annotations

from heg_dash.i18n import fmt_number, get_language, t
from heg_dash.kpis import headlines, scorecard
from heg_dash.kpis.common import Tile
from heg_dash.reports import common, savings
from heg_dash.reports.pdf import ReportPDF

DATASETS = ("activity", "buildings", "targets", "focus_areas", "indicators", "indicator_values", "readings",
            "finance", "exchanges", "initiatives")


def tile_texts(tile: Tile) -> tuple[str, str, str, str, str]:
    """(label, value, target, status words, trend words) of a scorecard tile as the report prints them.

    Short units (%, m², t) go with the number, long ones into the label — as on the Overblik page.
    """
    unit = tile.unit if len(tile.unit) <= 3 else None
    label = tile.label if unit or not tile.unit else f"{tile.label}, {tile.unit}"
    value = fmt_number(tile.value, tile.decimals, unit) if tile.value is not None else t("reports.no_data")
    if tile.value is not None and tile.value_year is not None:
        value = f"{value} ({tile.value_year})"
    target = fmt_number(tile.target, tile.decimals, unit) if tile.target is not None else "–"
    return label, value, target, common.status_words(tile.status), common.trend_words(tile.trend)


def goal_source(area: scorecard.FocusArea) -> str:
    return area.source or "Strategi 2028"


def subtitle(year: int, campus: str | None, partial: bool) -> str:
    scope = campus or t("filter.all_campuses")
    text = t("reports.subtitle", year=year, scope=scope)
    return f"{text} · {t('reports.partial_year')}" if partial else text


def to_pdf(year: int, campus: str | None = None) -> bytes:
    """The status report as PDF bytes."""
    from heg_dash import kpis

    result = kpis.compute(year, campus)
    areas = scorecard.scorecard(year, campus)
    sample = common.sample_in_use(DATASETS)
    title = t("reports.strategy.title", year=year)
    pdf = ReportPDF(title, common.generated_at(), bool(sample))
    pdf.add_page()
    pdf.title_block(title, subtitle(year, campus, result["partial_year"]),
                    t("reports.sample_note") if sample else None)
    news(pdf, year, campus)
    pdf.paragraph(t("reports.strategy.intro"))
    counts = scorecard.status_counts(areas)
    if counts:
        pdf.paragraph(t("reports.strategy.summary") + " " + " · ".join(
            f"{common.status_words(status)}: {count}" for status, count in counts.items()), size=10)
    focus_areas(pdf, areas)
    savings.pdf_section(pdf, year, campus)
    pdf.add_page()
    pdf.heading(t("reports.charts"))
    for item in common.headline_charts(year, campus):
        pdf.chart(common.chart_png(item.chart, width=560, height=210), item.caption or None, title=item.title)
    data_sources(pdf, DATASETS)
    return pdf.to_bytes()


def news(pdf: ReportPDF, year: int, campus: str | None, count: int = 3) -> None:
    """"Det vigtigste lige nu": the year's most notable headlines, best first, or that nothing stands out."""
    found = headlines.headlines(year, campus, get_language())[:count]
    pdf.heading(t("headline.title"))
    for number, headline in enumerate(found, 1):
        pdf.paragraph(f"{number}. {headline.text}", size=11)
    if not found:
        pdf.paragraph(t("headline.none", year=year), size=11)
    pdf.paragraph(t("headline.caption"), size=8, colour=(95, 107, 115))


def focus_areas(pdf: ReportPDF, areas: list[scorecard.FocusArea]) -> None:
    """Each focus area: heading, the strategy's goal as a quote, and a table of its measured goals."""
    pdf.heading(t("reports.section.strategy"))
    for area in areas:
        # keep a focus area on one page: heading, quote and its table rows (about 9 mm each)
        pdf.keep_together(10 + (16 if area.goal_da else 0) + 9 * (len(area.tiles) + 1))
        pdf.heading(t("focus." + area.key), level=2)
        if area.goal_da:
            pdf.quote(area.goal_da, goal_source(area))
            if get_language() == "en" and area.goal_en:
                pdf.paragraph(t("overview.gloss", gloss=area.goal_en), size=8.5, colour=(95, 107, 115))
        if not area.tiles:
            pdf.paragraph(t("overview.no_measure"), size=9, colour=(95, 107, 115))
            continue
        pdf.data_table(
            [t("reports.col.measure"), t("reports.col.value"), t("reports.col.target"), t("reports.col.status"),
             t("reports.col.trend")],
            [tile_texts(tile) for tile in area.tiles], [50, 28, 24, 38, 34], ["L", "R", "R", "L", "L"],
        )


def data_sources(pdf: ReportPDF, datasets: tuple[str, ...]) -> None:
    """The data behind the report: each dataset with its newest date, and which are sample data."""
    rows = [(name, date or "–", t("sample.badge") if is_sample else t("reports.own_data"))
            for name, date, is_sample in common.sources(datasets)]
    pdf.keep_together(12 + 6.5 * (len(rows) + 1) + 15)
    pdf.heading(t("reports.section.sources"), level=2)
    pdf.data_table([t("reports.col.dataset"), t("reports.col.newest"), t("reports.col.origin")], rows,
                   [70, 52, 52])
    pdf.paragraph(t("reports.method.status"), size=8, colour=(95, 107, 115))
