"""Small Streamlit building blocks every page shares: status badges, tiles, freshness, sample badges,
empty states and the sidebar filters. Text only through the catalogue; no HTML with user data."""

from __future__ import annotations

import atexit
import gc
import logging
import re
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from heg_dash import config, queries
from heg_dash.charts.sparkline import sparkline_svg
from heg_dash.i18n import MISSING, fmt_date, fmt_number, get_language, set_language, t
from heg_dash.i18n.labels import status_label, trend_label
from heg_dash.kpis.common import Tile
from heg_dash.views import filters, navigation

# Badge colours; the words and symbols that always go with them are in heg_dash.labels.
STATUS_COLOUR = {
    "achieved": "green", "on_track": "green", "acceleration_needed": "yellow", "limited_progress": "orange",
    "deterioration": "red", "no_data": "gray",
}


def status_badge(status: str, suffix: str = "") -> None:
    st.markdown(status_badge_markdown(status, suffix), width="content")


def status_badge_markdown(status: str, suffix: str = "") -> str:
    """The status badge as Streamlit markdown (what ``st.badge`` sends), to put into a text of its own."""
    label = (status_label(status) + suffix).replace("[", "\\[").replace("]", "\\]")
    return f":{STATUS_COLOUR.get(status, 'gray')}-badge[{label}]"


def tile(item: Tile) -> None:
    """One measured goal: value, target, status in words, trend arrow and a sparkline."""
    with st.container(border=True):
        # Short units (%, m², t) go with the number; long ones (årsværk, partnerskaber) into the label,
        # so the big number never gets cut off — unless the label names the unit already ("Vægtet kWh/m²").
        unit = item.unit if len(item.unit) <= 3 else None
        value = fmt_number(item.value, item.decimals, unit)
        target = fmt_number(item.target, item.decimals, unit)
        label = item.label if unit or not item.unit or item.unit in item.label else f"{item.label}, {item.unit}"
        if item.value_year is not None:
            label = f"{label} ({item.value_year})"
        st.metric(label, value, delta=trend_label(item.trend) if item.trend != "no_data" else None,
                  delta_color="off", delta_arrow="off", help=t("tile.help", target=target))
        line = sparkline_svg(item.history, item.decimals, unit)
        if line:
            st.html(line)
        st.caption(t("tile.target", target=target))
        status_badge(item.status)


def table(data: object, **options: object) -> None:
    """A read-only table: ``st.dataframe`` without the index, as wide as the page, and a missing value shown
    as "–" like in the rest of the UI. Streamlit's own is a grey "None": English in a Danish UI, and it
    ignores a Styler's ``na_rep``. ``options`` go to ``st.dataframe`` (column_config, height, …)."""
    st.dataframe(data, **{"hide_index": True, "width": "stretch", **options, "placeholder": MISSING})


# What Streamlit's markdown (st.table applies it to every cell and header) would format: at the start, a number
# with "." or ")" (an ordered list: "31. oktober 2026"), a bullet, heading, quote or rule mark, or an indent
# (code); anywhere, emphasis, code, links and colour directives ("[", ":red[…]"), HTML, math, entities, icons.
_MARKDOWN_START = re.compile(r"^(?:(\d+)([.)])(?=\s|$)|([-+*#>=]))")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~$&:])")


def literal_markdown(text: str) -> str:
    """``text`` as markdown that reads as ``text`` (a stored name, a table cell): one line, each formatting
    character escaped with a backslash (CommonMark drops the backslash before any ASCII punctuation)."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(str(text).split("\n")).strip())
    return _MARKDOWN_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def summary_table(data: object) -> None:
    """A short table that is read in full (a ledger, a summary, a few rows of text): a static HTML table with
    every row and column shown, long text wrapped, and a missing value shown as "–". Lists that people scan and
    sort stay in ``table``. A grid (``st.dataframe``) makes a fresh browser load its own 0.5 MB of JavaScript
    and draws on a canvas: on Økonomi and Bæredygtighed that cost 0.1–0.2 s before the page was drawn."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    shown = frame.astype(object).where(frame.notna(), MISSING).map(
        lambda v: literal_markdown(v) if isinstance(v, str) else v)
    shown.columns = [literal_markdown(c) for c in shown.columns]
    st.table(shown, hide_index=True, border="horizontal")


def table_editor(data: object, **options: object) -> object:
    """``st.data_editor`` with ``table``'s defaults (a missing value shows "–"); returns the edited data."""
    return st.data_editor(data, **{"hide_index": True, "width": "stretch", **options, "placeholder": MISSING})


def sample_badge(datasets: Iterable[str]) -> None:
    """Badge "Eksempeldata" when any of the page's datasets still hold the shipped sample."""
    sample = set(queries.store_status()["sample"]) & set(datasets)
    if sample:
        st.badge(t("sample.badge"), color="orange", help=t("sample.help"))


def freshness(datasets: Iterable[str]) -> None:
    """How fresh the page's data are: the newest date per dataset."""
    fresh = queries.store_status()["freshness"]
    parts = [
        t("fresh.item", dataset=t("dataset." + name), date=fmt_date(fresh[name]))
        for name in datasets if name in fresh and fresh[name] is not None
    ]
    if parts:
        st.caption(t("fresh.label") + " " + " · ".join(parts))


def page_header(title: str, datasets: Iterable[str]) -> None:
    datasets = list(datasets)
    st.title(title)
    sample_badge(datasets)
    freshness(datasets)


def empty_state(missing: Iterable[str]) -> None:
    """What is missing and how to import it, instead of an error."""
    names = ", ".join(t("dataset." + m) for m in missing)
    st.info(t("empty.body", datasets=names), icon=":material/inbox:")
    st.code(t("empty.cli", dataset=next(iter(missing), "readings")), language="bash")


LOG = logging.getLogger("heg_dash")


@contextmanager
def failure_guard() -> Iterator[None]:
    """A page (or a kiosk slide) that fails shows its users a short message with a reference instead of a
    Python traceback; the server's log has the traceback under that reference, for whoever looks into it.
    Streamlit's own stop and rerun signals are BaseExceptions and pass through. ``HEG_DASH_SHOW_ERRORS=1``
    raises on instead (Streamlit then shows the error: for developers and the tests)."""
    try:
        yield
    except Exception:
        reference = uuid.uuid4().hex[:8]
        LOG.exception("a page failed; reference %s", reference)
        if config.settings().show_errors:
            raise
        st.error(t("app.failed", reference=reference), icon=":material/error:")


def ensure_router() -> None:
    """Make sure app.py routed this run.

    When a pages/ folder exists, Streamlit starts in its legacy multipage mode until ``st.navigation``
    has run once, so the first request after a server start that is a direct link (/energi, say a TV
    rebooting into its kiosk link) runs the page file alone: no router, no kiosk, no page config.
    Switch that mode off and rerun, and app.py routes the request as always.
    """
    from streamlit.runtime.pages_manager import PagesManager

    # Once per session: a rerun drops the widget event of its run, so never repeat it (AppTest resets
    # the legacy flag before every run of its script; a real server only before its very first).
    if PagesManager.uses_pages_directory and not st.session_state.get("_routed_once"):
        st.session_state["_routed_once"] = True
        PagesManager.uses_pages_directory = False
        st.rerun()


# Metric labels wrap instead of ending in "…": a tile's title carries its year and unit ("Sygefravær pr.
# medarbejder, dage (2025)"), and Energi's labels name the range shown. Streamlit cuts them to one line.
WRAPPING_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *,
[data-testid="stMarkdownContainer"] span[class*="badge"], [data-testid="stMarkdownContainer"] span[class*="Badge"] {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto !important;
}
</style>"""


def view() -> filters.Filters:
    """The view of this page run, the first thing a page calls: campus, year and language in the sidebar (kept in
    the URL), the page's own parameters (period, resolution) from the URL, and below them the links to the other
    pages, which carry campus, year and language along.

    Drawn by the page, not the router: Streamlit runs a page file alone in its legacy multipage mode (the first
    request of a direct link, every AppTest rerun), and a widget drawn once by the router and once by the page
    would be two widgets."""
    st.html(WRAPPING_CSS)
    links = st.sidebar.container()  # above the filters, filled once the filters say what the view is
    f = sidebar_filters()
    with links:
        page_links([(f"pages/{page_id}.py", t(title_key), icon) for page_id, title_key, icon in navigation.PAGES
                    if page_id in navigation.registered_pages()], f)
    return f


def page_links(links: list[tuple[object, str, str]], f: filters.Filters) -> None:
    """The navigation in the sidebar: a link per page (st.Page or its file; label; icon) that carries campus,
    year and language, so the view follows the user from page to page (Streamlit's own navigation drops the
    query parameters)."""
    params = filters.travel_params(f)
    for target, label, icon in links:
        st.page_link(target, label=label, icon=icon, query_params=params, width="stretch")


def sidebar_filters() -> filters.Filters:
    """Campus, year and language in the sidebar, kept in the URL so a link reproduces the view."""
    ensure_router()
    f = filters.current()
    set_language(f.lang)
    campuses = queries.table("campuses")
    campus_ids = [None, *campuses["campus_id"].tolist()]
    names = dict(zip(campuses["campus_id"], campuses["name"], strict=True))
    years = sorted(set(queries.years_with_data()) | ({f.year} if f.year else set()), reverse=True)
    with st.sidebar:
        campus = st.selectbox(
            t("filter.campus"), campus_ids, index=campus_ids.index(f.campus) if f.campus in campus_ids else 0,
            format_func=lambda c: t("filter.all_campuses") if c is None else names.get(c, c), key="flt_campus",
            # None is "all campuses"; without campuses Streamlit can show it as an empty choice on a rerun
            placeholder=t("filter.all_campuses"),
        )
        year = st.selectbox(t("filter.year"), years, index=years.index(f.year) if f.year in years else 0,
                            key="flt_year") if years else None
        lang = st.radio(t("filter.language"), ["da", "en"], index=0 if f.lang == "da" else 1,
                        format_func=lambda code: {"da": "Dansk", "en": "English"}[code], horizontal=True,
                        key="flt_lang")
        page_language(lang)
    f = f.with_(campus=campus, year=year, lang=lang)
    set_language(lang)
    sync_url(f)
    return f


def page_language(lang: str) -> None:
    """``<html lang>`` follows the chosen language, so screen readers speak Danish as Danish (Streamlit's page
    always says "en"). A constant script of our own: nothing of the user's goes into it."""
    code = "da" if lang == "da" else "en"
    st.html(f"<script>document.documentElement.lang = '{code}';</script>", width="content",
            unsafe_allow_javascript=True)


def sync_url(f: filters.Filters) -> None:
    """Write the view back to the URL (only when it changed, to avoid needless reruns)."""
    wanted = filters.to_params(f)
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


def language() -> str:
    return get_language()


_modules_when_frozen = [0]


def freeze_long_lived_objects() -> None:
    """At the start of a run, when earlier runs imported modules: collect garbage once, then move every
    object the collector tracks out of its reach (``gc.freeze``).

    What a run imports (pandas, Altair, pyarrow, the pages' modules) lives as long as the server. Python's
    full collections walk every such object, and each rerun of a page with big specs leaves enough
    survivors to start one every few reruns: a 0.1 s stall in a warm rerun of 0.12 s. Frozen, a full
    collection walks only what came later. At the start of a run, the earlier runs' own objects are garbage
    already and are collected, not frozen (only other sessions' runs under way may leave a little behind).
    Runs that imported nothing new skip this at the cost of a length.
    """
    if len(sys.modules) <= _modules_when_frozen[0]:
        return
    if not _modules_when_frozen[0]:
        # At exit the collector must reach them again: extension modules count what it never freed as leaks.
        atexit.register(gc.unfreeze)
    _modules_when_frozen[0] = len(sys.modules)
    gc.collect()
    gc.freeze()
