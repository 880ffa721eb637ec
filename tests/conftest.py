"""Shared fixtures: a sample store generated once per test session and copied per test, on DuckDB and, for the tests
marked ``engines``, on PostgreSQL too.

- ``engine``: "duckdb", or each of ``ENGINES`` for a test (or module) marked ``pytest.mark.engines``; a test may
  parametrize it itself (``indirect=True``) to pick its own combinations.
- ``sample_db`` / ``empty_db``: the store of the test's engine, set as HEG_DASH_DB: a DuckDB file's Path, or a
  PostgreSQL URL (a database copied from a template database in a throw-away cluster, dropped after the test).
- PostgreSQL's tests need its binaries (Debian's ``postgresql`` package): skipped without them locally, failed
  under ``CI=true``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from heg_dash.store import setup

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("duckdb", "postgresql")

# A failing page raises in the tests (AppTest's `exception`, the browser's error element) instead of the short
# message users get; tests/test_trust.py checks that message with this switched off.
os.environ["HEG_DASH_SHOW_ERRORS"] = "1"
os.environ["HEG_DASH_VALIDATE_SPECS"] = "1"  # every chart a test draws is checked against Vega-Lite's schema


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``engines`` that use a store run once per engine, unless they parametrize ``engine``."""
    if "engine" not in metafunc.fixturenames or not metafunc.definition.get_closest_marker("engines"):
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0]
        if "engine" in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
            return
    metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "duckdb")


def require_postgresql() -> Path:
    """PostgreSQL's binaries; in CI a missing server fails the run instead of skipping it."""
    from heg_dash.bench import cluster
    from tests.e2e_support import missing

    found = cluster.binaries()
    if found is None:
        missing("PostgreSQL is not installed (apt-get install postgresql)")
    return found


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator:
    """A throw-away PostgreSQL 15 cluster for the session (initdb in a temporary folder, a loopback port)."""
    from heg_dash.bench import cluster

    server = cluster.start(require_postgresql())
    try:
        yield server
    finally:
        from heg_dash.store import pg_connection

        pg_connection.close_idle()
        server.stop()


@pytest.fixture(scope="session")
def pg_templates(pg_cluster) -> dict[str, str]:
    """The sample and the empty store, each made once as a database the tests copy (by name)."""
    from heg_dash.store import pg_connection

    names = {}
    for kind, sample in (("sample", True), ("empty", False)):
        url = pg_cluster.create_database(f"template_{kind}")
        setup.init_db(url, sample=sample)
        pg_connection.close_idle(url)  # a template must have no connections when it is copied
        names[kind] = f"template_{kind}"
    return names


_numbers = itertools.count(1)


def pg_copy(request: pytest.FixtureRequest, kind: str) -> Iterator[str]:
    """A private database copied from the ``kind`` template; its URL, dropped after the test."""
    from heg_dash.store import pg_connection

    server = request.getfixturevalue("pg_cluster")
    template = request.getfixturevalue("pg_templates")[kind]
    name = f"t{os.getpid()}_{next(_numbers)}"
    url = server.create_database(name, template)
    try:
        yield url
    finally:
        pg_connection.close_idle(url)
        server.drop_database(name)


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


def _store(request: pytest.FixtureRequest, engine: str, kind: str, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Path | str]:
    if engine == "postgresql":
        for url in pg_copy(request, kind):
            monkeypatch.setenv("HEG_DASH_DB", url)
            yield url
        return
    path = tmp_path / "heg.duckdb"
    shutil.copy(request.getfixturevalue(f"{kind}_db_template"), path)
    monkeypatch.setenv("HEG_DASH_DB", str(path))
    yield path


@pytest.fixture
def sample_db(request: pytest.FixtureRequest, engine: str, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Path | str]:
    """A private copy of the sample store, set as HEG_DASH_DB (a Path on DuckDB, a URL on PostgreSQL)."""
    yield from _store(request, engine, "sample", tmp_path, monkeypatch)


@pytest.fixture
def empty_db(request: pytest.FixtureRequest, engine: str, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Path | str]:
    """A private copy of an `init --empty` store, set as HEG_DASH_DB."""
    yield from _store(request, engine, "empty", tmp_path, monkeypatch)


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
