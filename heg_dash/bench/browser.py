"""Speed as a person feels it: a page opened from a link in a fresh browser, timed until it is fully drawn
(the script finished, no skeleton, every chart in view drawn), beside a bare Streamlit page with one chart
(``bare_page.py``) served the same way in the same run. Target: each page within 1.5 × the bare page + 0.3 s.

Each page is opened at the address its sidebar link opens (the overview at the root). Each page is loaded
once to fill the server's caches (a server that has run a while has them), then ``runs``
times, each in a fresh browser context (a new session: whatever a new session pays once counts); the median
is reported. Needs Playwright and a Chromium (the dev requirements and Debian's ``chromium``); without them the
browser part is left out and says why.

The server and the drawn-check are the end-to-end tests' too (tests/e2e_support.py), so the two agree.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from heg_dash.config import ROOT
from heg_dash.store.dialect import is_server_url
from heg_dash.views.navigation import link_path

BARE_PAGE = Path(__file__).with_name("bare_page.py")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
FACTOR, ALLOWANCE_S = 1.5, 0.3

# Drawn: the script finished, no skeleton placeholders, every chart in view rendered. "Finished" is the app's own
# run state (stApp's data-test-script-state): the running-man widget shows only after a run has lasted 0.5 s, so
# its absence does not mean that no run is going on.
DRAWN_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    const box = chart.getBoundingClientRect();
    if (box.top < window.innerHeight && !chart.querySelector('canvas, svg')) return false;
  }
  return true;
}"""


@dataclass
class BrowserTiming:
    bare_s: float | None = None
    pages: dict[str, float] = field(default_factory=dict)  # page -> median seconds to fully drawn
    skipped: str | None = None  # why the browser part did not run

    def limit_s(self) -> float | None:
        return None if self.bare_s is None else FACTOR * self.bare_s + ALLOWANCE_S

    def within(self, page: str) -> bool | None:
        limit = self.limit_s()
        return None if limit is None or page not in self.pages else self.pages[page] <= limit


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HEG_DASH_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db_path: Path | str, script: Path = ROOT / "app.py", timeout_s: float = 60,
          log_path: Path | None = None) -> Iterator[str]:
    """`streamlit run <script>` on a free loopback port with HEG_DASH_DB set (a DuckDB file or a PostgreSQL URL);
    yields its base URL. The server's output goes to ``log_path``, by default beside the DuckDB file (for a URL, in
    the temporary folder)."""
    import requests

    port = free_port()
    env = {**os.environ, "HEG_DASH_DB": str(db_path)}
    if log_path is None:
        folder = Path(tempfile.gettempdir()) if is_server_url(db_path) else Path(db_path).parent
        log_path = folder / f"streamlit-{script.stem}-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if requests.get(f"{url}/_stcore/health", timeout=1).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or too busy to answer
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def drawn_after(browser: object, url: str, timeout_ms: int = 120_000) -> float:
    """Seconds from opening ``url`` in a fresh browser context to the page fully drawn: drawn (DRAWN_JS) and still
    so 0.3 s later, so a rerun that follows the first draw (the router's second run) counts until it is drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url, timeout=timeout_ms)
        while time.perf_counter() - started < timeout_ms / 1000:
            page.wait_for_function(DRAWN_JS, timeout=timeout_ms, polling=50)
            drawn = time.perf_counter()
            page.wait_for_timeout(300)
            if page.evaluate(DRAWN_JS):
                return drawn - started
        raise TimeoutError(f"{url} never stayed drawn for 0.3 s in {timeout_ms / 1000:.0f} s")
    finally:
        context.close()


def time_browser(db_path: Path, pages: list[str], runs: int = 3) -> BrowserTiming:
    """The browser part of the bench (see the module docstring)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return BrowserTiming(skipped="Playwright is not installed (pip install -r requirements-dev.txt)")
    executable = chromium_path()
    if executable is None:
        return BrowserTiming(skipped="no Chromium (apt-get install chromium)")
    result = BrowserTiming()
    with serve(db_path) as app_url, serve(db_path, BARE_PAGE) as bare_url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for name, url in [("bare", bare_url), *((page, f"{app_url}/{link_path(page)}") for page in pages)]:
                drawn_after(browser, url)  # the server's caches filled once
                median = statistics.median(drawn_after(browser, url) for _ in range(runs))
                if name == "bare":
                    result.bare_s = median
                else:
                    result.pages[name] = median
        finally:
            browser.close()
    return result
