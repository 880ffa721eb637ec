"""End-to-end in Chromium: an editor logs in with the password, uploads a file on the Data page, sees the
preview, confirms, and the import is stored as a batch."""

from __future__ import annotations

import shutil

import pytest

from heg_dash.views import auth
from tests.data_support import batches, hours, readings_csv, scalar
from tests.e2e_support import CHROMIUM_ARGS, require_chromium, screenshot, streamlit_server, wait_until_quiet

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-redaktoer-1"


def test_editor_uploads_previews_and_imports_in_a_real_browser(sample_db_template, tmp_path, monkeypatch):
    executable = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    db_path = tmp_path / "e2e-data.duckdb"
    shutil.copy(sample_db_template, db_path)
    monkeypatch.setenv("HEG_DASH_DB", str(db_path))
    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))
    auth.set_password(PASSWORD, "test")
    upload = tmp_path / "timer.csv"
    upload.write_bytes(readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0, 3.0, 4.0])))
    n_batches = len(batches(db_path))

    with streamlit_server(db_path) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        try:
            page.goto(f"{url}/data?lang=da", timeout=60_000)
            main = page.locator('[data-testid="stMain"]')
            expect(main.get_by_text("Du ser data som læser")).to_be_visible(timeout=60_000)
            main.get_by_label("Redaktør-adgangskode").fill(PASSWORD)
            main.get_by_role("button", name="Log ind som redaktør").click()
            expect(main.get_by_text("Logget ind som redaktør med adgangskoden")).to_be_visible(timeout=30_000)

            main.get_by_role("tab", name="Importér").click()
            panel = main.get_by_role("tabpanel", name="Importér")
            # The dataset select box starts at campuses: choose readings, then upload.
            panel.locator('[data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name="målinger (readings)").click()
            expect(panel.get_by_text("Erstat målernes målinger")).to_be_visible(timeout=30_000)
            # Readings of the sample's own meters: the sample stays, and the page says why.
            panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
            expect(panel.get_by_text("timer.csv")).to_be_visible(timeout=30_000)
            expect(panel.get_by_text("kan ikke ryddes først", exact=False)).to_be_visible(timeout=30_000)
            try:
                expect(main.get_by_text("Tilføjes")).to_be_visible(timeout=30_000)
            except AssertionError:
                screenshot(page, "data-import-debug")
                raise
            expect(main.get_by_text("Format: CSV")).to_be_visible()
            confirm = main.get_by_role("button", name="Importér (4 rækker)")
            expect(confirm).to_be_visible(timeout=30_000)
            screenshot(page, "data-import-preview-da")
            confirm.click()
            expect(main.get_by_text("0 rækker tilføjet, 4 erstattet")).to_be_visible(timeout=60_000)
            wait_until_quiet(page, timeout_ms=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            screenshot(page, "data-imported-da")
        finally:
            page.close()
            browser.close()

    assert len(batches(db_path)) == n_batches + 1
    assert batches(db_path).iloc[-1]["user_name"] == auth.PASSWORD_USER
    assert scalar(db_path, "SELECT count(*) FROM readings WHERE batch_id = (SELECT max(batch_id) FROM "
                           "import_batches)") == 4
