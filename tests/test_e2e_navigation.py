"""The view follows the user (issue 20): campus, year and language travel with every navigation link, /overblik
is the overview, and the browser's back button returns to the previous view."""

from __future__ import annotations

import pytest

from heg_dash.views import navigation
from tests.e2e_support import streamlit_server

pytestmark = pytest.mark.e2e
VIEW = "campus=HOB&year=2023&lang=en"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, sample_db_template):
    import shutil

    db_path = tmp_path_factory.mktemp("e2e-nav") / "nav.duckdb"
    shutil.copy(sample_db_template, db_path)
    with streamlit_server(db_path) as url:
        yield url


def _shows(page, title: str) -> None:
    """The page's h1 comes to begin with ``title`` (the URL changes at once on a click or Back; the page it names
    is drawn a moment later, so the old heading can still stand)."""
    import re

    from playwright.sync_api import expect

    heading = page.locator('[data-testid="stHeading"] h1').first
    expect(heading).to_have_text(re.compile("^" + re.escape(title)), timeout=60_000)


def test_navigation_links_carry_campus_year_and_language_and_back_returns(app_url, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{app_url}/?{VIEW}", timeout=60_000)
        _shows(page, "Strategy 2028")
        links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a')
        expect(links.first).to_be_visible(timeout=30_000)
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        # Every page's link, and a new tab gets the view too.
        assert len(hrefs) == len(navigation.PAGES) and all(VIEW in h for h in hrefs), hrefs
        page.get_by_role("link", name="Energy").click()
        expect(page).to_have_url(f"{app_url}/energi?{VIEW}", timeout=30_000)
        _shows(page, "Energy")
        page.get_by_role("link", name="Economy").click()
        expect(page).to_have_url(f"{app_url}/oekonomi?{VIEW}", timeout=30_000)
        _shows(page, "Economy")
        page.go_back()
        expect(page).to_have_url(f"{app_url}/energi?{VIEW}", timeout=30_000)
        _shows(page, "Energy")
    finally:
        page.close()


@pytest.mark.parametrize("fresh", [True, False])
def test_overblik_is_the_overview(app_url, browser, fresh):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        if not fresh:  # typed into the address bar of a tab that has the app open already
            page.goto(f"{app_url}/energi?lang=en", timeout=60_000)
            _shows(page, "Energy")
        page.goto(f"{app_url}/overblik?{VIEW}", timeout=60_000)
        _shows(page, "Strategy 2028")
        assert page.locator("text=Page not found").count() == 0
        assert VIEW in page.url
    finally:
        page.close()
