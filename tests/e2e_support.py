"""Helpers for the end-to-end tests: a real `streamlit run` server and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from heg_dash.bench.browser import CHROMIUM_ARGS, DRAWN_JS, chromium_path, free_port, serve

__all__ = ["CHROMIUM_ARGS", "DRAWN_JS", "chromium_path", "free_port"]

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"


def missing(message: str) -> None:
    """A tool the tests need is not installed: in CI that fails the run, elsewhere the test is skipped."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> str:
    """The browser binary; in CI a missing browser fails the run instead of skipping it."""
    path = chromium_path()
    if path is None:
        missing("Debian's chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def streamlit_server(db_path: Path | str, timeout_s: float = 60, log_path: Path | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port with HEG_DASH_DB set (a DuckDB file, or a PostgreSQL URL);
    yields its base URL (the bench's browser part serves the app the same way)."""
    with serve(db_path, timeout_s=timeout_s, log_path=log_path) as url:
        yield url


def screenshot(page, name: str) -> Path:
    """A full-height screenshot (Streamlit scrolls inside stMain, so grow the viewport first)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(height, 600), 8000)})
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})
    return path


# Text whose box is narrower than the text: cut off (an ellipsis, or hidden overflow). Elements that scroll on
# purpose (tables, code) and the charts' own canvases are left out.
CUT_TEXT_JS = """() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  const selector = 'p, span, label, h1, h2, h3, div[data-testid="stMarkdownContainer"], [data-testid="stButtonGroup"]';
  for (const el of main.querySelectorAll(selector)) {
    const skip = '[data-testid="stDataFrame"], [data-testid="stCode"], .vega-embed, [data-testid="stTooltipContent"]';
    if (el.closest(skip)) continue;
    const text = (el.innerText || '').trim();
    if (!text || el.offsetParent === null) continue;
    const style = getComputedStyle(el);
    if (style.overflowX === 'visible' && style.textOverflow !== 'ellipsis') continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(text.slice(0, 80));
  }
  return out;
}"""


# Drawn and staying so for ``ms``: a run that ends may be followed by another (the router's second run, a
# query-parameter sync), with a moment between them in which the page looks drawn.
QUIET_JS = f"""ms => {{
  const now = performance.now();
  if (!({DRAWN_JS})()) {{ window.__hegBusySince = now; return false; }}
  if (window.__hegBusySince === undefined) window.__hegBusySince = now;
  return now - window.__hegBusySince >= ms;
}}"""


def wait_until_quiet(page, quiet_ms: int = 1_500, timeout_ms: int = 120_000) -> None:
    """Until the page has been fully drawn, with no run showing, for ``quiet_ms`` on end."""
    page.wait_for_function(QUIET_JS, arg=quiet_ms, timeout=timeout_ms, polling=100)


# A run, by the app's run state as DRAWN_JS reads it (the status widget would miss a run shorter than 0.5 s).
RUNNING_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return !app || app.dataset.testScriptState !== 'notRunning'; }"""
WATCH_RUNS_JS = f"""() => {{
  const running = {RUNNING_JS};
  window.__hegRan = running();
  window.__hegRuns = new MutationObserver(() => {{ if (running()) window.__hegRan = true; }});
  window.__hegRuns.observe(document.body, {{childList: true, subtree: true, attributes: true,
                                           attributeFilter: ['data-test-script-state']}});
}}"""
RAN_JS = f"""() => {{ window.__hegRuns.disconnect(); return window.__hegRan || ({RUNNING_JS})(); }}"""


def ran_during(page, action):
    """``action()``'s result, and whether a script run showed in the page at any moment while it ran."""
    page.evaluate(WATCH_RUNS_JS)
    result = action()
    return result, page.evaluate(RAN_JS)


