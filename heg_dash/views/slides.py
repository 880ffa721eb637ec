"""The kiosk: ``?present=1`` on any page's URL shows rotating slides without any chrome, filling the screen.

Slides are functions in one script, rotated by ``st.fragment(run_every=interval)``; each rotation reads the KPIs
again through the data-version cache, so new data show up on the next slide. A slide is its page's name, its best
headline in words (``kpis.headlines``), a row of key values and its page's own chart (``charts.slides``), sized
from the screen's height: the browser reports its viewport through a tiny component, and type is set in ``vh`` so
it scales with the screen before that report arrives.

A meeting can stop at a slide: Space pauses and resumes, ← and → step (Streamlit's button shortcuts, on visible
buttons that the keyboard also reaches with Tab). A timed rerun moves on only when the slide has been shown a
whole interval and the kiosk is not paused, so a step or a resize never skips a slide (``advance``).
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import MutableMapping
from zoneinfo import ZoneInfo

import streamlit as st

from heg_dash import kpis, queries
from heg_dash.charts import slides as slide_charts
from heg_dash.config import TIMEZONE
from heg_dash.i18n import fmt_date, t
from heg_dash.kpis import headlines, presentation, scorecard
from heg_dash.queries.cache import cached
from heg_dash.views import chart_view, filters, ui

# Static CSS only (no data in it): hide Streamlit's chrome; type in vh so it scales with the screen (at 1080p the
# page name 28 px, the headline 54 px (45 px when long), key values 71 px, their labels 26 px, the footer 21 px).
KIOSK_CSS = """
<style>
header, [data-testid="stToolbar"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 2.2vh 2.6vw 0.6vh 2.6vw; max-width: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 1.3vh; }
[data-testid="stMain"] h1 { font-size: 2.6vh !important; line-height: 1.2 !important; color: #C8102E;
  padding: 0 !important; font-weight: 600; }
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
[data-testid="stMain"] h2 { font-size: 5vh !important; line-height: 1.12 !important; font-weight: 700;
  padding: 0 !important; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden; }
.st-key-kiosk_long_headline h2 { font-size: 4.2vh !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div { font-size: 6.6vh !important;
  line-height: 1.1 !important; }
[data-testid="stMetricLabel"] p { font-size: 2.4vh !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div { font-size: 2.1vh !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.95vh !important; }
.stMarkdownBadge { font-size: 2.1vh !important; padding: 0.2vh 0.8vh !important; }
.st-key-kiosk_controls button p, .st-key-kiosk_controls kbd { font-size: 1.9vh !important; }
.st-key-kiosk_controls [data-testid="stIconMaterial"] { font-size: 2.4vh !important; }
.st-key-kiosk_controls button { min-height: 0; padding: 0.3vh 1vh; }
.st-key-kiosk_viewport { position: absolute !important; width: 0; height: 0; overflow: hidden; }
</style>
"""
DEFAULT_VIEWPORT = (1920, 1080)
SLIDE_DATASETS = ("activity", "buildings", "readings", "finance", "exchanges", "indicator_values")
INDEX, SHOWN_AT, PAUSED = "kiosk_slide", "kiosk_shown_at", "kiosk_paused"
TOLERANCE_S = 1.0  # a timed rerun a little early still moves on
LONG_HEADLINE = 80  # characters: about two lines at the headline's full size on a 16:9 screen

# Reports the browser's viewport (and every resize) to Python as component state; no data goes into it.
_VIEWPORT_JS = """
export default function(component) {
  const { setStateValue } = component;
  const report = () => setStateValue("viewport", [window.innerWidth, window.innerHeight]);
  report();
  let timer = null;
  const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  window.addEventListener("resize", onResize);
  return () => { window.removeEventListener("resize", onResize); clearTimeout(timer); };
}
"""
_viewport_component = st.components.v2.component("heg_kiosk_viewport", js=_VIEWPORT_JS)


def viewport() -> tuple[int, int]:
    """The browser's viewport (width, height) in CSS pixels; 1920 × 1080 until the browser has said."""
    result = _viewport_component(key="kiosk_viewport", default={"viewport": None}, on_viewport_change=lambda: None)
    found = getattr(result, "viewport", None)
    if isinstance(found, list | tuple) and len(found) == 2 and all(isinstance(v, int | float) and v > 0 for v in found):
        return int(found[0]), int(found[1])
    return DEFAULT_VIEWPORT


# ---------------------------------------------------------------------------------------- rotation state

def advance(state: MutableMapping, count: int, interval: float, now: float) -> int:
    """The index of the slide to show now (0 … count − 1).

    The first run shows the first slide. Later runs move to the next slide only when the kiosk is not paused
    and the current slide has been shown ``interval`` seconds (less ``TOLERANCE_S``); any other rerun — a step,
    a resize, a pause — shows the same slide again.
    """
    index = state.get(INDEX)
    if index is None:
        index, state[SHOWN_AT] = 0, now
    elif not state.get(PAUSED) and now - state.get(SHOWN_AT, now) >= interval - TOLERANCE_S:
        index, state[SHOWN_AT] = index + 1, now
    state[INDEX] = index % count
    return state[INDEX]


def step(state: MutableMapping, delta: int, now: float | None = None) -> None:
    """Show the slide ``delta`` away (−1 back, +1 on) for a whole interval from now."""
    state[INDEX] = (state.get(INDEX) or 0) + delta
    state[SHOWN_AT] = time.monotonic() if now is None else now


def toggle_pause(state: MutableMapping, now: float | None = None) -> None:
    """Pause, or resume with a whole interval for the slide on screen."""
    state[PAUSED] = not state.get(PAUSED, False)
    state[SHOWN_AT] = time.monotonic() if now is None else now


# ----------------------------------------------------------------------------------------------- drawing

@cached
def slide_set(year: int, campus: str | None, lang: str, slide_ids: tuple[str, ...]) -> list[presentation.Slide]:
    """The slides ``slide_ids`` that have data, in that order, each titled by its best headline; cached by the
    data version, so a rotation only draws (``lang`` keys the words)."""
    current = kpis.compute(year, campus)
    previous = kpis.compute(year - 1, campus)
    counts = scorecard.status_counts(scorecard.scorecard(year, campus, lang))
    found = headlines.headlines(year, campus, lang)
    built = []
    for slide_id in slide_ids:
        best = headlines.best_for_slide(found, slide_id)
        slide = presentation.build_slide(slide_id, current, previous, counts, best.text if best else None)
        if slide is not None:
            built.append(slide)
    return built


def build_slides(f: filters.Filters) -> list[presentation.Slide]:
    """The slides of the view's set that have data, in the set's order, each titled by its best headline."""
    return slide_set(f.year, f.campus, f.lang, presentation.parse_slides(f.slides))


def _draw(slide: presentation.Slide, f: filters.Filters, height: int) -> None:
    st.title(slide.title)
    # A long headline gets smaller type so it keeps to two lines (and the chart its half of the screen).
    with st.container(key="kiosk_long_headline" if len(slide.headline) > LONG_HEADLINE else "kiosk_headline"):
        st.header(slide.headline)
    if slide.numbers:
        for col, number in zip(st.columns(len(slide.numbers)), slide.numbers, strict=True):
            with col:
                st.metric(number.label, number.value)
                if number.status or number.trend:  # status and trend on one line, in words with a symbol
                    with st.container(horizontal=True, gap="small"):
                        if number.status:
                            ui.status_badge(number.status)
                        if number.trend:
                            st.badge(ui.trend_label(number.trend), color="gray")
    spec = slide_charts.slide_spec(slide.slide_id, f.year, f.campus, f.lang)
    if spec is not None:
        with st.container(key="kiosk_chart"):
            chart_view.chart(slide_charts.for_screen(spec, height), t("page." + slide.slide_id), table=False,
                             height=slide_charts.chart_height(height))


def _controls(index: int, total: int, f: filters.Filters) -> None:
    """Previous, pause and next as visible buttons with Streamlit's keyboard shortcuts, and the footer."""
    paused = bool(st.session_state.get(PAUSED))
    with st.container(horizontal=True, vertical_alignment="center", key="kiosk_controls", gap="small"):
        st.button(t("kiosk.previous"), key="kiosk_previous", on_click=step, args=(st.session_state, -1),
                  shortcut="Left", type="tertiary", icon=":material/skip_previous:")
        st.button(t("kiosk.play") if paused else t("kiosk.pause"), key="kiosk_pause", on_click=toggle_pause,
                  args=(st.session_state,), shortcut="Space", type="tertiary",
                  icon=":material/play_arrow:" if paused else ":material/pause:")
        st.button(t("kiosk.next"), key="kiosk_next", on_click=step, args=(st.session_state, 1), shortcut="Right",
                  type="tertiary", icon=":material/skip_next:")
        if paused:
            st.badge(t("kiosk.paused"), icon=":material/pause_circle:", color="orange")
        ui.sample_badge(SLIDE_DATASETS)
        fresh = queries.store_status()["freshness"].get("readings")
        now = dt.datetime.now(ZoneInfo(TIMEZONE))
        st.caption(t("slide.footer", number=index + 1, total=total, time=f"{now:%H:%M}", date=fmt_date(fresh),
                     year=f.year))


def run_kiosk(f: filters.Filters) -> None:
    st.html(KIOSK_CSS)
    # Paused, no timed reruns at all: a key pressed while a timed rerun redraws the buttons could count twice or
    # not at all. Pausing or resuming reruns the whole app, so the fragment is made again with the new timer.
    paused = bool(st.session_state.get(PAUSED))

    @st.fragment(run_every=None if paused else f.interval)
    def rotate() -> None:
        with ui.failure_guard():  # a fragment's rerun runs outside the page's guard
            if bool(st.session_state.get(PAUSED)) != paused:
                st.rerun(scope="app")
            _rotate(f)

    rotate()


def _rotate(f: filters.Filters) -> None:
    """Draw the slide the rotation is at."""
    _, height = viewport()
    slides = build_slides(f)
    if not slides:
        ui.empty_state(["activity", "readings"])
        return
    index = advance(st.session_state, len(slides), f.interval, time.monotonic())
    # A container keyed by the slide replaces the previous slide whole instead of morphing it.
    with st.container(key=f"slide-{slides[index].slide_id}"):
        _draw(slides[index], f, height)
    _controls(index, len(slides), f)


def preview_html(url: str, width: int, height: int, title: str, box_width: int = 760) -> str:
    """A small HTML page showing ``url`` in a ``width`` × ``height`` frame scaled down to ``box_width`` pixels:
    the slide laid out exactly as a screen of that size lays it out. Only our own link goes in, escaped."""
    scale = box_width / width
    src, label = html.escape(url, quote=True), html.escape(title, quote=True)
    return (f'<style>body{{margin:0}}</style>'
            f'<div style="width:{box_width}px;height:{round(height * scale)}px;overflow:hidden;'
            f'border:1px solid #B0B7BC;border-radius:4px">'
            f'<iframe src="{src}" title="{label}" width="{width}" height="{height}" '
            f'style="border:0;transform:scale({scale:.5f});transform-origin:0 0"></iframe></div>')
