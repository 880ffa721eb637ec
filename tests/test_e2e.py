"""End-to-end: the real app in headless Debian Chromium, every registered page, both languages.

The server starts on a database path that does not exist yet, so the first-start path (create and
fill with sample data) is exercised too. Screenshots land in screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from heg_dash.views.navigation import registered_pages
from tests.e2e_support import ROOT, screenshot, streamlit_server, wait_until_quiet

pytestmark = pytest.mark.e2e

# What must be drawn on each page, as CSS selectors, beyond the page's title.
DRAWN: dict[str, list[str]] = {
    "overblik": ['[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"] canvas, '
                 '[data-testid="stVegaLiteChart"] svg'],
    # The campus maps (geoshapes) and the charts and tables below them.
    "faciliteter": ['[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                    '[data-testid="stDataFrame"]:visible', '[data-testid="stAlert"]'],
    "energi": ['[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"] canvas, '
               '[data-testid="stVegaLiteChart"] svg', '[data-testid="stDataFrame"]:visible'],
    "internationalt": ['[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"] canvas, '
                       '[data-testid="stVegaLiteChart"] svg', '[data-testid="stDataFrame"]:visible'],
    "oekonomi": ['[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"] canvas, '
                 '[data-testid="stVegaLiteChart"] svg', '[data-testid="stTable"]:visible'],
    "baeredygtighed": ['[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"] canvas, '
                       '[data-testid="stVegaLiteChart"] svg', '.st-key-sdg_tile_17'],
    "data": ['[data-testid="stTab"]', '[data-testid="stTable"]:visible'],
}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("e2e") / "first-start.duckdb"
    with streamlit_server(db_path) as url:
        yield url


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("page_id", registered_pages())
def test_page_draws_in_a_real_browser(app_url, browser, page_id, lang):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        path = "" if page_id == "overblik" else page_id
        page.goto(f"{app_url}/{path}?lang={lang}", timeout=60_000)
        expect(page.locator('[data-testid="stHeading"] h1').first).to_be_visible(timeout=60_000)
        for selector in DRAWN.get(page_id, []):
            expect(page.locator(selector).first).to_be_visible(timeout=30_000)
        wait_until_quiet(page, timeout_ms=60_000)  # the run finished and no rerun followed
        assert page.locator('[data-testid="stException"]').count() == 0
        shot = screenshot(page, f"{page_id}-{lang}")
        assert shot.stat().st_size > 10_000
    finally:
        page.close()


def test_the_scorecard_reads_in_danish(app_url, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{app_url}/?year=2025", timeout=60_000)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Strategi 2028 – overblik 2025")).to_be_visible(timeout=60_000)
        # The page draws its tiles in one run; on a busy machine that takes more than expect's 5 s.
        for area in ("Læring", "Rekruttering", "Faciliteter", "Bæredygtighed"):
            expect(main.get_by_role("heading", name=area)).to_be_visible(timeout=30_000)
        expect(main.get_by_text("1.468").first).to_be_visible(timeout=30_000)
        expect(main.get_by_text("Vægtet kWh/m² (2025)")).to_be_visible(timeout=30_000)
        expect(main.get_by_text("Eksempeldata").first).to_be_visible(timeout=30_000)
        # The favicon is the shipped PNG, served by the app: an emoji one needs an emoji font in the browser.
        icon = page.locator("link[rel='shortcut icon']")
        expect(icon).to_have_attribute("href", re.compile(r"/media/\w+\.png$"))
        served = page.request.get(icon.get_attribute("href"))
        assert served.ok and served.headers["content-type"] == "image/png"
        assert served.body() == (ROOT / "static" / "favicon.png").read_bytes()
    finally:
        page.close()


def test_a_direct_link_as_the_first_request_after_start_is_routed(sample_db, browser):
    """Streamlit's legacy pages/ mode would run the page file alone on a fresh server's first request."""
    from playwright.sync_api import expect

    with streamlit_server(sample_db) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        try:
            page.goto(f"{url}/praesentation?present=1&slides=overblik&lang=en", timeout=60_000)
            expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Overview", timeout=60_000)
            assert not page.locator('[data-testid="stSidebar"]').is_visible()
            page.goto(f"{url}/praesentation?lang=en", timeout=60_000)
            expect(page.get_by_role("heading", name="Presentation")).to_be_visible(timeout=60_000)
            sidebar = page.locator('[data-testid="stSidebar"]')
            expect(sidebar.get_by_role("link", name="Overview")).to_be_visible()
            assert sidebar.get_by_role("link", name="app", exact=True).count() == 0
        finally:
            page.close()
