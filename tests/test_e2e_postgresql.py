"""End-to-end on PostgreSQL: two app replicas (two ``streamlit run`` servers) on one database, as behind a school's
proxy. A page draws in both; an import through the CLI while both serve shows in both on the next load; concurrent
browser sessions across the two see no error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e_support import ROOT, screenshot, streamlit_server, wait_until_quiet

pytestmark = pytest.mark.e2e
POSTGRESQL = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)

# Concurrent sessions across the two replicas. The issue asks for 20; they are opened together and each waited for.
SESSIONS = int(os.environ.get("HEG_DASH_E2E_SESSIONS", "20"))
AARSELEVER_2025 = "1.468"  # the sample's total for 2025 as the overview shows it
NEW_ROW = b"year,campus_id,education_area,aarselever\n2025,AAR,amu,200.4\n"  # 100.4 before: the total goes +100
AARSELEVER_AFTER = "1.568"


def overview_shows(page, url: str, text: str, timeout_ms: int = 60_000) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/?year=2025&lang=da", timeout=timeout_ms)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Strategi 2028 – overblik 2025")).to_be_visible(timeout=timeout_ms)
    expect(main.get_by_text(text).first).to_be_visible(timeout=timeout_ms)
    wait_until_quiet(page, timeout_ms=timeout_ms)
    assert page.locator('[data-testid="stException"]').count() == 0


@POSTGRESQL
def test_two_replicas_on_one_database_serve_an_import_on_the_next_load(sample_db, browser, tmp_path):
    from playwright.sync_api import expect

    with streamlit_server(sample_db, log_path=tmp_path / "a.log") as a, \
            streamlit_server(sample_db, log_path=tmp_path / "b.log") as b:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        try:
            for url in (a, b):
                overview_shows(page, url, AARSELEVER_2025)
            screenshot(page, "overblik-postgresql")

            # An import through the CLI while both serve (the app's connections stay open meanwhile).
            file = tmp_path / "activity.csv"
            file.write_bytes(NEW_ROW)
            result = subprocess.run([sys.executable, "-m", "heg_dash", "import", "activity", str(file)], cwd=ROOT,
                                    env={**os.environ, "HEG_DASH_DB": sample_db}, capture_output=True, text=True,
                                    timeout=120)
            assert result.returncode == 0, result.stderr
            for url in (a, b):
                overview_shows(page, url, AARSELEVER_AFTER)

            # Concurrent sessions across both replicas: opened together, then each must draw with no error.
            pages = [browser.new_page(viewport={"width": 1280, "height": 800}) for _ in range(SESSIONS)]
            try:
                for i, p in enumerate(pages):
                    p.goto(f"{(a, b)[i % 2]}/?year=2025&lang=da", wait_until="commit", timeout=60_000)
                for p in pages:
                    main = p.locator('[data-testid="stMain"]')
                    expect(main.get_by_text("Strategi 2028 – overblik 2025")).to_be_visible(timeout=120_000)
                    # A tab in the background had its whole page run but no metric drawn (seen once, 20 tabs on a
                    # loaded machine), and its charts wait for the tab to be shown: each is judged in front.
                    p.bring_to_front()
                    wait_until_quiet(p, timeout_ms=120_000)
                    assert p.locator('[data-testid="stException"]').count() == 0
                    expect(main.get_by_text(AARSELEVER_AFTER).first).to_be_visible(timeout=60_000)
            finally:
                for p in pages:
                    p.close()
        finally:
            page.close()
    for log in ("a.log", "b.log"):
        text = (tmp_path / log).read_text()
        assert "Traceback" not in text, text[-3000:]
