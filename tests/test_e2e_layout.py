"""Nothing cut off (issue 20): every page at 1366×768, 1400×900 and 1920×1080, Danish and English, counts the
elements whose text is cut (scrollWidth > clientWidth) and saves a screenshot to look at."""

from __future__ import annotations

import pytest

from tests.e2e_support import (
    CUT_TEXT_JS,
    screenshot,
    streamlit_server,
    wait_until_quiet,
)

pytestmark = pytest.mark.e2e
PAGES = ("overblik", "faciliteter", "energi", "baeredygtighed", "internationalt", "oekonomi", "data", "praesentation")
# Every size in Danish (the default), the narrowest in English too (its words run longer).
VIEWS = [(1366, 768, "da"), (1400, 900, "da"), (1920, 1080, "da"), (1366, 768, "en")]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, sample_db_template):
    import shutil

    db_path = tmp_path_factory.mktemp("e2e-layout") / "layout.duckdb"
    shutil.copy(sample_db_template, db_path)
    with streamlit_server(db_path) as url:
        yield url


@pytest.mark.parametrize(("width", "height", "lang"), VIEWS, ids=[f"{w}x{h}-{lang}" for w, h, lang in VIEWS])
def test_no_text_is_cut_on_any_page(app_url, browser, width, height, lang):
    page = browser.new_page(viewport={"width": width, "height": height})
    cut = {}
    try:
        for name in PAGES:
            page.goto(f"{app_url}/{name}?lang={lang}", timeout=90_000)
            wait_until_quiet(page, quiet_ms=500)
            found = page.evaluate(CUT_TEXT_JS)
            if found:
                cut[name] = found
            screenshot(page, f"layout-{name}-{lang}-{width}")
    finally:
        page.close()
    assert not cut, f"cut-off text at {width}×{height} ({lang}): {cut}"
