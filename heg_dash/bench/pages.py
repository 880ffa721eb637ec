"""Every page in AppTest through the router, cold and warm, with the bare time of the queries it sent (the floor)
and the most rows any chart sent."""

from __future__ import annotations

import functools
import io
import json
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pyarrow as pa

from heg_dash.config import ROOT
from heg_dash.store import db


@dataclass
class PageTiming:
    page: str
    cold_s: float
    warm_s: float
    floor_s: float
    chart_rows: int
    queries: int

    @property
    def warm_over_floor(self) -> float | None:
        return self.warm_s / self.floor_s if self.floor_s > 0 else None


@contextmanager
def query_log() -> list[tuple[str, object]]:
    """Record every read query (SQL and parameters) the package sends while the block runs."""
    log: list[tuple[str, object]] = []
    original = db.read_df

    def recording(sql, params=None, path=None):
        log.append((sql, params))
        return original(sql, params, path)

    db.read_df = recording
    try:
        yield log
    finally:
        db.read_df = original


def floor_s(log: list[tuple[str, object]]) -> float:
    """The bare DuckDB time of the page's queries: each re-run once on one connection, results fetched."""
    with db.connect() as con:
        started = time.perf_counter()
        for sql, params in log:
            con.execute(sql, params or []).fetchall()
        return time.perf_counter() - started


def _chart_rows(at) -> int:
    """Rows sent to the browser by the page's charts (Vega-Lite datasets and pydeck layers)."""
    most = 0
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            reader = pa.ipc.open_stream(io.BytesIO(dataset.data.data))
            most = max(most, reader.read_all().num_rows)
        if chart.proto.HasField("data") and chart.proto.data.data:
            most = max(most, pa.ipc.open_stream(io.BytesIO(chart.proto.data.data)).read_all().num_rows)
    for deck in at.get("deck_gl_json_chart"):
        spec = json.loads(deck.proto.json)
        for layer in spec.get("layers", []):
            data = layer.get("data")
            if isinstance(data, list):
                most = max(most, len(data))
    return most


# Tabs that run only when opened, timed as rows of their own: page -> (tabs key, catalogue key of the tab).
LAZY_TABS = {"data": ("data_tab", "data.tab.quality")}


def _timed(at, page: str, before_cold: Callable[[], None] | None = None) -> PageTiming:
    """Cold (caches cleared) and warm (rerun) runs of what ``at`` shows next, with the floor of its queries."""
    import streamlit as st

    st.cache_data.clear()
    with query_log() as log:
        if before_cold is not None:
            before_cold()
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"page {page} failed: {at.exception[0].value}")
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    return PageTiming(page, cold, warm, floor_s(log), _chart_rows(at), len(log))


@contextmanager
def _routed_like_the_server() -> None:
    """AppTest runs a page reached by ``switch_page`` on its own on every run (Streamlit's legacy mode for a
    pages/ folder, which it resets before each run); a real server routes every run through app.py
    (``ui.ensure_router``), which wraps the page in its per-run work such as the shared connection. And
    AppTest compiles every script on every run (a new script cache each run), where a server compiles each
    once. The bench times the server's path: legacy mode stays off and one script cache serves every run."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    original = PagesManager.__init__

    def routed(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    shared = ScriptCache()
    PagesManager.__init__ = routed
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        PagesManager.__init__ = original
        app_test.ScriptCache = local_script_runner.ScriptCache = ScriptCache


def time_pages(pages: list[str], timeout_s: float = 120) -> list[PageTiming]:
    """Cold (caches cleared) and warm (rerun) AppTest runs of each page through the router, with the floor
    of its queries; a page's lazy tab (LAZY_TABS) is opened after it and timed as ``<page>:<tab>``."""
    with _routed_like_the_server():
        return _time_pages(pages, timeout_s)


def _time_pages(pages: list[str], timeout_s: float) -> list[PageTiming]:
    from streamlit.testing.v1 import AppTest

    from heg_dash.i18n import t

    # One untimed run first: a server imports its modules once when it starts, not on each cold page.
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout_s).run()
    results = []
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout_s)
        if page != "overblik":
            at.run()
            at.switch_page(f"pages/{page}.py")
        results.append(_timed(at, page))
        if page in LAZY_TABS:
            key, label = LAZY_TABS[page]
            open_tab = functools.partial(at.session_state.__setitem__, key, t(label))
            results.append(_timed(at, f"{page}:{label.rsplit('.', 1)[-1]}", open_tab))
    return results
