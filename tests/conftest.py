"""Shared fixtures: a sample database generated once per test session and copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from heg_dash.store import setup

ROOT = Path(__file__).resolve().parent.parent

# A failing page raises in the tests (AppTest's `exception`, the browser's error element) instead of the short
# message users get; tests/test_trust.py checks that message with this switched off.
os.environ["HEG_DASH_SHOW_ERRORS"] = "1"
os.environ["HEG_DASH_VALIDATE_SPECS"] = "1"  # every chart a test draws is checked against Vega-Lite's schema


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sample.duckdb"
    setup.init_db(path, sample=True)
    return path


@pytest.fixture(scope="session")
def empty_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.duckdb"
    setup.init_db(path, sample=False)
    return path


@pytest.fixture
def sample_db(sample_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database, set as HEG_DASH_DB."""
    path = tmp_path / "heg.duckdb"
    shutil.copy(sample_db_template, path)
    monkeypatch.setenv("HEG_DASH_DB", str(path))
    return path


@pytest.fixture
def empty_db(empty_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of an `init --empty` database, set as HEG_DASH_DB."""
    path = tmp_path / "heg.duckdb"
    shutil.copy(empty_db_template, path)
    monkeypatch.setenv("HEG_DASH_DB", str(path))
    return path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (the end-to-end tests)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e_support import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _danish_between_tests():
    """Every test starts in Danish, whatever the test before it set in this thread (a test that switched to
    English without restoring made later AppTest runs format their options in English)."""
    from heg_dash.i18n import set_language

    set_language("da")
    yield
    set_language("da")
