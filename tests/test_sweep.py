"""The interaction sweep (issue 17): every page, Danish and English, on the sample, the minimal school and an
empty database — every button clicked, every selectbox, radio, segmented control, multiselect and tab bar set
to its first, last and two options between, date inputs to their first and last allowed dates, checkboxes
and toggles flipped, text and number inputs filled, download buttons' deferred files fetched. Each click starts
from a fresh run of the page and its new buttons are clicked one level deep; a keyed widget's values are set
in turn in one fresh session (tests/sweep_support.py). No step may raise or show a traceback, and a viewer's
steps never write.

Bugs being fixed elsewhere are reported as expected failures naming the bug (sweep_support.KNOWN_BUGS); every
other step still has to pass, so a known bug never hides a new one.

Timing on this machine (2 cores, shared): about 7 minutes of CPU for the whole file (measured in December 2026
on a machine loaded by other runs: 7 m 20 s of CPU, 40 minutes of wall time), most of it the sample's pages
(each year and campus the sweep picks is computed cold once).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from heg_dash import store
from heg_dash.connectors import http
from heg_dash.store import db
from heg_dash.views import auth
from heg_dash.views.navigation import registered_pages
from tests.school_support import minimal_db_template  # noqa: F401 - a fixture
from tests.sweep_support import Deferred, Step, SweepResult, apply_step, find, open_page, page_problems, sweep

DATABASES = ("sample", "minimal", "empty")
PASSWORD = "rigtig-kode-42"


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One copy of each database for the whole module: a viewer writes nothing (each test checks), so the
    pages' caches stay warm from one test to the next."""
    return {"folder": tmp_path_factory.mktemp("sweep")}


@pytest.fixture
def viewer_db(request, copies, monkeypatch, tmp_path) -> Path:
    name = request.param
    if name not in copies:
        template = request.getfixturevalue(f"{name}_db_template")
        copies[name] = copies["folder"] / f"{name}.duckdb"
        shutil.copy(template, copies[name])
    monkeypatch.setenv("HEG_DASH_DB", str(copies[name]))
    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))  # no OIDC: a plain viewer
    return copies[name]


def _skip_sample_reports(db_name: str):
    """The sample's reports are made by tests/test_reports.py and downloaded by the Chromium sweep
    (tests/test_e2e_sweep.py); making them here again would cost half a minute of the sweep's budget. The
    other databases' reports and exports are fetched in both languages."""
    def skip(step: Step) -> bool:
        return db_name == "sample" and step.kind == "download_button" and (step.key or "").startswith("report_")
    return skip


def _report(result: SweepResult) -> None:
    unknown = result.unknown()
    assert not unknown, f"{len(unknown)} of {result.steps} steps failed:\n" + "\n".join(
        p.text() + ("\n" + p.trace if p.trace else "") for p in unknown)
    if result.known():
        pytest.xfail("; ".join(result.known()))


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("page", registered_pages())
@pytest.mark.parametrize("viewer_db", DATABASES, indirect=True)
def test_every_interaction_of_every_page(viewer_db, page, lang, request):
    db_name = request.node.callspec.params["viewer_db"]
    version = db.data_version(viewer_db)
    result = sweep(page, lang, skip=_skip_sample_reports(db_name))
    assert db.data_version(viewer_db) == version, "a viewer's interactions wrote to the database"
    assert result.steps or result.problems, "the page offered nothing to do: the sweep did not see its widgets"
    _report(result)


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("viewer_db", DATABASES, indirect=True)
def test_the_kiosk_shows_every_slide(viewer_db, lang):
    at = open_page("overblik", lang, {"present": "1", "slides": "overblik,faciliteter,energi,baeredygtighed,"
                                                                "internationalt,oekonomi"})
    result = SweepResult(steps=1, problems=page_problems(at, "kiosk"))
    _report(result)


# ------------------------------------------------------------------------------------------------ editor

@pytest.fixture
def editor_template(sample_db_template, tmp_path_factory) -> Path:
    """The sample with an editor password set (the Data page's password login)."""
    path = tmp_path_factory.mktemp("editor") / "template.duckdb"
    shutil.copy(sample_db_template, path)
    store.set_meta_value(auth.PASSWORD_META_KEY, auth.hash_password(PASSWORD), "test", path)
    return path


def test_every_interaction_of_the_data_page_as_an_editor(editor_template, tmp_path, monkeypatch):
    """The editor's buttons write (clear the sample, save an edit, undo a batch): each step starts from a fresh
    copy of the database. The connectors point at a port where nothing listens, so a fetch fails at once and
    must say so in words."""
    path = tmp_path / "heg.duckdb"
    monkeypatch.setenv("HEG_DASH_DB", str(path))
    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))
    for name in ("HEG_DASH_EDS_URL", "HEG_DASH_OPENMETEO_URL", "HEG_DASH_ELOVERBLIK_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("HEG_DASH_ELOVERBLIK_TOKEN", "token")
    monkeypatch.setattr(http, "DEFAULTS", http.HttpDefaults(retries=0, backoff_factor=0, min_interval=0, timeout=2,
                                                            throttle_backoff=0))

    def fresh() -> None:
        shutil.copy(editor_template, path)

    def viewer_sweeps_it(step: Step) -> bool:  # the same as a viewer's: swept by the test above
        return step.key is not None and step.key.startswith(("flt_", "files_", "dl_"))

    fresh()
    result = sweep("data", "da", session={auth.SESSION_KEY: auth.PASSWORD_USER}, fresh=fresh, skip=viewer_sweeps_it)
    assert result.steps > 20
    _report(result)


# ------------------------------------------------------------------------------------ the sweep itself

@pytest.mark.parametrize("viewer_db", ["sample"], indirect=True)
def test_the_sweeps_steps_take_effect(viewer_db):
    """A sweep that silently did nothing would pass: each kind of step must change what the page shows."""
    deferred = Deferred()
    at = open_page("energi", "en")
    assert not apply_step(at, Step("selectbox", "en_res", 0, "choose", "Day"), "en", deferred)
    assert at.selectbox(key="en_res").value == "day"
    assert find(at, Step("date_input", None, 0, "set")) is None, "the dates wait for 'Pick dates'"
    assert not apply_step(at, Step("button_group", "en_range", 0, "choose", ["Pick dates"]), "en", deferred)
    period = find(at, Step("date_input", None, 0, "set"))
    assert not apply_step(at, Step("date_input", period.key, 0, "set", (period.max, period.max)), "en", deferred)
    assert at.date_input(key=period.key).value == (period.max, period.max)

    at = open_page("faciliteter", "da")
    assert not apply_step(at, Step("multiselect", "fa_uses", 0, "choose", ["Kontor"]), "da", deferred)
    assert at.multiselect(key="fa_uses").value == ["office"]

    with deferred.recording():
        at = open_page("data", "en")
        assert not at.metric
        assert not apply_step(at, Step("tabs", "data_tab", 0, "open", "Data quality"), "en", deferred)
    assert at.metric, "the quality tab opened"
    export = Step("download_button", "dl_csv_campuses", 0, "click")
    assert find(at, export).proto.deferred_file_id in deferred.callables
    assert not apply_step(at, export, "en", deferred), "the export's deferred file was made"


@pytest.mark.parametrize("viewer_db", ["sample"], indirect=True)
def test_a_page_the_guard_caught_is_a_problem_too(viewer_db, monkeypatch):
    """The tests make a failing page raise (HEG_DASH_SHOW_ERRORS); were the page guard to catch it instead, its
    short message must still count as a failed step."""
    from heg_dash.views import ui

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setenv("HEG_DASH_SHOW_ERRORS", "0")
    monkeypatch.setattr(ui, "page_header", broken)  # every page draws its header first
    problems = page_problems(open_page("energi", "en"), "open")
    assert [p.kind for p in problems] == ["failed page"], problems
