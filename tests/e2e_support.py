"""Helpers for the end-to-end tests: a real `streamlit run` server and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HEG_DASH_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_chromium() -> str:
    """The browser binary; in CI a missing browser fails the run instead of skipping it."""
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db_path: Path, timeout_s: float = 60) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port with HEG_DASH_DB set; yields its base URL."""
    port = free_port()
    env = {**os.environ, "HEG_DASH_DB": str(db_path)}
    log = open(db_path.parent / "streamlit.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
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
                raise RuntimeError(f"streamlit did not start: {(db_path.parent / 'streamlit.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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

# Drawn: the script finished (no running-man widget), no skeleton placeholders, every chart in view rendered.
DRAWN_JS = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    const box = chart.getBoundingClientRect();
    if (box.top < window.innerHeight && !chart.querySelector('canvas, svg')) return false;
  }
  return true;
}"""


def wait_until_drawn(page, timeout_ms: int = 120_000) -> None:
    """Until the page is fully drawn (DRAWN_JS), twice in a row half a second apart (a rerun can follow)."""
    page.wait_for_function(DRAWN_JS, timeout=timeout_ms, polling=250)
    page.wait_for_timeout(500)
    page.wait_for_function(DRAWN_JS, timeout=timeout_ms, polling=250)
