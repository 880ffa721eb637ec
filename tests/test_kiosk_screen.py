"""The meeting-room screen in a real browser at 1920×1080, 1280×720 and 3840×2160 (device scale 1): every slide
fits without scrolling, its main chart takes at least half the screen's height, type is readable from across the
room (at 1080p axis labels ≥ 20 px, key values ≥ 64 px, scaled with the screen), a headline is there; the
rotation runs without a reload; Space pauses, the arrows step; the composer's link is absolute and its preview
shows the slide. Screenshots of every slide land in screenshots/ (git-ignored)."""

from __future__ import annotations

import shutil

import pytest

from heg_dash.kpis.presentation import SLIDE_IDS
from tests.e2e_support import SCREENSHOTS, streamlit_server

pytestmark = pytest.mark.e2e

SIZES = [(1920, 1080), (1280, 720), (3840, 2160)]
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const chart = document.querySelector('.st-key-kiosk_chart [data-testid="stVegaLiteChart"]').getBoundingClientRect();
  const axis = [...document.querySelectorAll('.st-key-kiosk_chart svg g.role-axis-label text')]
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  const values = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  const pause = document.querySelector('.st-key-kiosk_pause button').getBoundingClientRect();
  const h2 = document.querySelector('[data-testid="stMain"] h2');
  return {scroll: main.scrollHeight - main.clientHeight, page: document.documentElement.scrollHeight - innerHeight,
          chart: chart.height, chartBottom: chart.bottom, axis: Math.min(...axis), axisCount: axis.length,
          values: Math.min(...values), controlsBottom: pause.bottom, headline: h2 ? h2.innerText : ''};
}"""
MEASURED: dict[tuple[int, int], list[dict]] = {}


@pytest.fixture(scope="module")
def kiosk_url(sample_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("kiosk") / "heg.duckdb"
    shutil.copy(sample_db_template, path)
    with streamlit_server(path) as url:
        yield url


def _settled(page) -> None:
    """The slide is drawn: its chart's SVG is there and nothing of the previous run is left."""
    from playwright.sync_api import expect

    expect(page.locator('.st-key-kiosk_chart [data-testid="stVegaLiteChart"] svg').first).to_be_visible(
        timeout=90_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(500)  # the SVG's last layout pass


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fills_the_screen_readably(kiosk_url, browser, size):
    from playwright.sync_api import expect

    width, height = size
    scale = height / 1080
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{kiosk_url}/?present=1&slides={','.join(SLIDE_IDS)}&interval=3600&lang=da", timeout=90_000)
        title = page.locator('[data-testid="stMain"] h1').first
        for number, slide in enumerate(SLIDE_IDS, 1):
            _settled(page)
            found = page.evaluate(MEASURE)
            found["slide"] = slide
            MEASURED.setdefault(size, []).append(found)
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"kiosk-{width}x{height}-{number}-{slide}.png"))
            assert found["scroll"] <= 1 and found["page"] <= 1, f"{slide} scrolls at {size}: {found}"
            assert found["chart"] / height >= 0.5, f"{slide}: chart {found['chart']} of {height}"
            assert found["chartBottom"] <= height and found["controlsBottom"] <= height, found
            assert found["axisCount"] > 0 and found["axis"] >= 20 * scale - 0.5, found
            assert found["values"] >= 64 * scale - 0.5, found
            assert found["headline"].strip(), f"{slide} has no headline"
            assert page.get_by_text(f"Slide {number} af {len(SLIDE_IDS)}").is_visible()
            if number < len(SLIDE_IDS):
                current = title.inner_text()
                page.keyboard.press("ArrowRight")
                expect(title).not_to_have_text(current, timeout=30_000)
    finally:
        page.close()
    print(size, [(m["slide"], round(m["chart"] / height, 3), m["axis"], m["values"]) for m in MEASURED[size]])


def _press(page, key: str) -> None:
    """A key pressed once the run before it has finished, as a person at the screen sees it finish (a press during a
    run could count twice); on a machine so busy that the timed reruns overlap, after 10 s anyway."""
    stale = page.locator('[data-stale="true"]')
    for _ in range(40):
        if stale.count() == 0:
            break
        page.wait_for_timeout(250)
    page.keyboard.press(key)


def test_the_slides_rotate_without_a_reload_and_the_keyboard_pauses_and_steps(kiosk_url, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(f"{kiosk_url}/?present=1&slides=overblik,faciliteter,energi&interval=6&lang=da", timeout=90_000)
        title = page.locator('[data-testid="stMain"] h1').first
        expect(title).to_have_text("Overblik", timeout=90_000)
        page.evaluate("window.__kiosk_marker = 42")
        expect(title).to_have_text("Faciliteter", timeout=30_000)  # rotated by itself
        assert page.evaluate("window.__kiosk_marker") == 42, "the page reloaded"

        pause = page.locator(".st-key-kiosk_pause button")
        expect(pause).to_contain_text("Pause")
        _press(page, "Space")
        expect(page.get_by_text("På pause")).to_be_visible(timeout=15_000)
        expect(pause).to_contain_text("Fortsæt")
        page.wait_for_timeout(9_000)  # longer than the interval
        expect(title).to_have_text("Faciliteter")
        _press(page, "ArrowRight")
        expect(title).to_have_text("Energi", timeout=15_000)
        _press(page, "ArrowRight")
        expect(title).to_have_text("Overblik", timeout=15_000)  # wraps round
        _press(page, "ArrowLeft")
        expect(title).to_have_text("Energi", timeout=15_000)
        expect(page.get_by_text("På pause")).to_be_visible()  # stepping keeps the pause

        # The controls are real buttons the keyboard reaches with Tab (and Enter presses).
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = "(e => e && e.tagName === 'BUTTON' ? e.innerText : '')(document.activeElement)"
            if "Næste" in page.evaluate(focused):  # the body's text holds "Næste" too: only a focused button counts
                break
        else:
            pytest.fail("Tab never reached the Næste button")
        page.keyboard.press("Enter")
        expect(title).to_have_text("Overblik", timeout=30_000)

        _press(page, "Space")  # resume
        expect(page.get_by_text("På pause")).to_have_count(0, timeout=15_000)
        expect(title).to_have_text("Faciliteter", timeout=30_000)
        assert page.evaluate("window.__kiosk_marker") == 42, "the page reloaded"
    finally:
        page.close()


def test_the_composer_gives_an_absolute_link_and_previews_the_slide(kiosk_url, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{kiosk_url}/praesentation?lang=da", timeout=90_000)
        code = page.locator('[data-testid="stCode"]').first
        expect(code).to_contain_text(f"{kiosk_url}/?present=1&slides=overblik,", timeout=90_000)
        preview = page.locator("iframe").first
        preview.scroll_into_view_if_needed()
        slide = page.frame_locator("iframe").first.frame_locator("iframe").first
        expect(slide.locator('[data-testid="stMain"] h1').first).to_have_text("Overblik", timeout=90_000)
        expect(slide.locator('[data-testid="stMain"] h2').first).to_contain_text("87 under målstien",
                                                                                 timeout=60_000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.wait_for_timeout(1_500)
        page.screenshot(path=str(SCREENSHOTS / "praesentation-preview.png"))
    finally:
        page.close()
