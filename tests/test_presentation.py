"""Presentation mode: headlines in words, the kiosk from URL parameters, rotation in a real browser."""

from __future__ import annotations

import pytest

from heg_dash.i18n import language
from heg_dash.kpis import presentation
from tests.e2e_support import CHROMIUM_ARGS, require_chromium, screenshot, streamlit_server
from tests.test_pages import run_page


def test_headline_says_the_gap_to_the_target_path_in_words():
    with language("da"):
        # 1452 / 1500 - 1 = -3.2 % -> "3 % under målstien"
        assert presentation.against_target(1452, 1500, "higher", "", 0) == "3\u00a0% under målstien"
        assert presentation.against_target(1500, 1500, "higher", "", 0) == "på målet"
        # 25.9 - 25 = 0.9 m² above a "lower" target
        assert presentation.against_target(25.9, 25, "lower", "m²", 1) == "0,9\u00a0m² over målet på 25,0"
    with language("en"):
        assert presentation.against_target(1560, 1500, "higher", "", 0) == "4% above the target path"


def test_change_against_last_year_in_words():
    with language("da"):
        assert presentation.change_words(-0.0312, 2024) == "3\u00a0% mindre end 2024"
        assert presentation.change_words(0.001, 2024) == "som i 2024"
        assert presentation.change_words(None, 2024) == ""


def test_slides_are_built_only_where_data_exist():
    kpi = {"year": 2025, "aarselever": {"value": 1468.0, "target": 1554.9, "status": "limited_progress"},
           "m2_per_aarselev": {"value": 25.9, "target": 25.0, "status": "on_track"}}
    prev = {"year": 2024, "aarselever": {"value": 1431.0}, "m2_per_aarselev": {"value": 26.6}}
    with language("da"):
        overview = presentation.build_slide("overblik", kpi, prev, {"on_track": 3, "deterioration": 1})
        assert overview.headline == "3 af 4 målte mål er opnået eller på rette spor i 2025"
        assert [n.value for n in overview.numbers] == ["1.468", "1.555", "25,9\u00a0m²"]
        assert overview.numbers[0].trend == "improving" and overview.numbers[0].status == "limited_progress"
        assert presentation.build_slide("energi", kpi, prev) is None  # no energy section: no slide
    assert presentation.parse_slides(("energi", "nope", "overblik")) == ("energi", "overblik")
    assert presentation.parse_slides(()) == presentation.SLIDE_IDS


def test_kiosk_from_url_parameters_shows_a_slide_without_sidebar_widgets(sample_db):
    at = run_page("overblik", "en", {"present": "1", "slides": "faciliteter,overblik", "interval": "30"})
    assert not at.exception
    assert at.title[0].value == "Facilities"
    assert at.header[0].value.startswith("m² per årselev 2025: 25.9")
    assert not at.sidebar.selectbox, "no filters in the kiosk"
    assert "Slide 1 of 2" in at.caption[-1].value


def test_composer_builds_the_kiosk_link(sample_db):
    at = run_page("praesentation", "da")
    at.multiselect(key="present_slides").set_value(["energi", "overblik"]).run()
    at.number_input(key="present_interval").set_value(15).run()
    assert not at.exception
    # AppTest's browser says no address, so the link falls back to the local server; a real one: below
    assert at.code[0].value == "http://localhost:8501/?present=1&slides=energi,overblik&interval=15"


def test_the_kiosk_link_is_absolute_from_the_composers_address():
    params = {"present": "1", "slides": "energi,overblik", "interval": "15"}
    assert (presentation.kiosk_link("http://10.0.0.5:8501/praesentation", params)
            == "http://10.0.0.5:8501/?present=1&slides=energi,overblik&interval=15")
    # behind a proxy with a base path; a campus id with odd characters is URL-encoded
    assert (presentation.kiosk_link("https://dash.heg.dk/heg/praesentation/", {"present": "1", "campus": "A&B <1>"})
            == "https://dash.heg.dk/heg/?present=1&campus=A%26B+%3C1%3E")
    assert presentation.kiosk_link("javascript:alert(1)", {"present": "1"}) == "http://localhost:8501/?present=1"


@pytest.mark.e2e
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_slides_rotate_in_a_real_browser_without_chrome(sample_db, size):
    executable = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with streamlit_server(sample_db) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        # 12 s a slide: with 5 s, a loaded machine rotated back to slide 1 between the two checks of slide 2
        page.goto(f"{url}/?present=1&slides=overblik,faciliteter&interval=12", timeout=60_000)
        headline = page.locator('[data-testid="stMain"] h1').first
        expect(headline).to_have_text("Overblik", timeout=60_000)
        expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible(timeout=30_000)
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30_000)
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert not page.locator('[data-testid="stToolbar"]').is_visible()
        screenshot(page, f"kiosk-1-{size[0]}x{size[1]}")
        expect(headline).to_have_text("Faciliteter", timeout=40_000)  # the second slide, without a reload
        expect(page.get_by_text("Slide 2 af 2", exact=False)).to_be_visible(timeout=5_000)
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30_000)
        screenshot(page, f"kiosk-2-{size[0]}x{size[1]}")
        browser.close()


@pytest.mark.parametrize("slide", presentation.SLIDE_IDS)
def test_every_slide_has_its_headline_number_and_chart(sample_db, slide):
    at = run_page("overblik", "da", {"present": "1", "slides": slide})
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value, "a headline in words"
    assert at.metric, "big numbers"
    assert at.get("vega_lite_chart"), "the slide's chart"
