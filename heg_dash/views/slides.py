"""The kiosk: ``?present=1`` on any page's URL shows rotating slides without any chrome.

Slides are functions in one script, rotated by ``st.fragment(run_every=interval)``; each rotation reads
the KPIs again through the data-version cache, so new data show up on the next slide.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from heg_dash import kpis, queries
from heg_dash.config import TIMEZONE
from heg_dash.i18n import fmt_date, t
from heg_dash.kpis import presentation, scorecard
from heg_dash.queries.cache import cached
from heg_dash.reports.common import headline_chart
from heg_dash.views import chart_view, filters, ui

# Static CSS only (no data in it): hide Streamlit's chrome and make type readable across a room.
KIOSK_CSS = """
<style>
header, [data-testid="stToolbar"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 2rem 3rem 1rem 3rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: clamp(1.4rem, 1.8vw, 2.2rem) !important; color: #C8102E; padding: 0; }
[data-testid="stMain"] h2 { font-size: clamp(1.8rem, 3vw, 3.6rem) !important; line-height: 1.15 !important;
  font-weight: 700; }
[data-testid="stMetricValue"] { font-size: clamp(2.2rem, 3.4vw, 4.4rem); }
[data-testid="stMetricLabel"] p { font-size: clamp(1.1rem, 1.3vw, 1.6rem); }
[data-testid="stMetricDelta"] { font-size: 1.3rem; }
[data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
.stMarkdownBadge { font-size: 1.4rem !important; padding: 0.2rem 0.7rem !important; }
</style>
"""
BIG_CHART = {"labelFontSize": 18, "titleFontSize": 20}


def _big(chart):
    return chart.configure_axis(**BIG_CHART).configure_legend(labelFontSize=20, symbolSize=200)


# The headline chart each slide shows: the same charts the board report carries.
SLIDE_CHART = {"overblik": "aarselever", "faciliteter": "m2_per_aarselev", "energi": "energy",
               "baeredygtighed": "co2e_t", "internationalt": "mobilities", "oekonomi": "economy"}


@cached
def _headline(key: str, year: int, campus: str | None, lang: str):
    """The slide's chart, cached by data version (``lang`` keys the labels' language)."""
    found = headline_chart(key, year, campus)
    return None if found is None else found.chart


def _slide_chart(slide_id: str, f: filters.Filters) -> None:
    chart = _headline(SLIDE_CHART[slide_id], f.year, f.campus, f.lang) if slide_id in SLIDE_CHART else None
    if chart is not None:
        chart_view.chart(_big(chart.properties(height=280)), t("page." + slide_id), table=False)


def _draw(slide: presentation.Slide, f: filters.Filters) -> None:
    st.title(slide.title)
    st.header(slide.headline)
    if slide.numbers:
        for col, number in zip(st.columns(len(slide.numbers)), slide.numbers, strict=True):
            with col:
                st.metric(number.label, number.value,
                          delta=ui.trend_label(number.trend) if number.trend else None,
                          delta_color="off", delta_arrow="off")
                if number.status:
                    ui.status_badge(number.status)
    _slide_chart(slide.slide_id, f)


def build_slides(f: filters.Filters) -> list[presentation.Slide]:
    """The slides of the set that have data, in the set's order."""
    current = kpis.compute(f.year, f.campus)
    previous = kpis.compute(f.year - 1, f.campus)
    counts = scorecard.status_counts(scorecard.scorecard(f.year, f.campus, f.lang))
    built = (presentation.build_slide(s, current, previous, counts) for s in presentation.parse_slides(f.slides))
    return [slide for slide in built if slide is not None]


def run_kiosk(f: filters.Filters) -> None:
    st.html(KIOSK_CSS)

    @st.fragment(run_every=f.interval)
    def rotate() -> None:
        with ui.failure_guard():  # a fragment's rerun runs outside the page's guard
            _rotate(f)

    rotate()


def _rotate(f: filters.Filters) -> None:
    """Draw the next slide of the set."""
    slides = build_slides(f)
    if not slides:
        ui.empty_state(["activity", "readings"])
        return
    index = (st.session_state.get("kiosk_slide", -1) + 1) % len(slides)
    st.session_state["kiosk_slide"] = index
    # A container keyed by the slide replaces the previous slide whole instead of morphing it.
    with st.container(key=f"slide-{slides[index].slide_id}"):
        _draw(slides[index], f)
    fresh = queries.store_status()["freshness"].get("readings")
    now = dt.datetime.now(ZoneInfo(TIMEZONE))
    st.caption(t("slide.footer", number=index + 1, total=len(slides), time=f"{now:%H:%M}",
                 date=fmt_date(fresh), year=f.year))
