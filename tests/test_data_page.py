"""The Data page in AppTest (viewer, password editor: upload → preview → confirm → undo) and its flow
functions: every write refuses a viewer on the server, whatever the page shows."""

from __future__ import annotations

import pandas as pd
import pytest

from heg_dash import i18n, store
from heg_dash.store import imports as importing
from heg_dash.views import auth, data_flow
from tests.data_support import assert_same, batches, hours, readings_csv, scalar, snapshot
from tests.test_pages import run_page

PASSWORD = "rigtig-kode-42"


def _no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def login(at, password: str = PASSWORD):
    at.text_input(key="auth_password").input(password)
    next(b for b in at.button if b.label in ("Log ind som redaktør", "Log in as editor")).click()
    at.run()
    return at


@pytest.fixture
def editor_db(sample_db):
    auth.set_password(PASSWORD, "test")
    return sample_db


@pytest.fixture
def no_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))


# ------------------------------------------------------------------------------------------------ viewer

@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_viewer_sees_what_is_stored_and_how_to_enable_editing(sample_db, no_secrets, lang):
    at = run_page("data", lang)
    _no_exception(at)
    assert [t.label for t in at.tabs][0] in ("Gemte data", "Stored data")
    assert not at.file_uploader and not at.get("text_input")
    assert any("set-password" in c.value for c in at.code)
    assert any("Eksempeldata" in m.value or "Sample data" in m.value for m in at.markdown)
    assert len(at.table) >= 2 and at.dataframe  # stored and column descriptions; the history, a list
    assert at.get("download_button")
    # The quality scan reads every reading: it runs only once its tab is open.
    assert not at.metric
    at.session_state["data_tab"] = "Datakvalitet" if lang == "da" else "Data quality"
    with i18n.language(lang):  # AppTest formats the dataset selectbox's options in the test's language
        at.run()
    _no_exception(at)
    labels = [m.label for m in at.metric]
    assert ("Målere" if lang == "da" else "Meters") in labels
    assert len(at.dataframe) >= 2  # the history and the meters


def test_viewer_writes_are_refused_on_the_server(sample_db, no_secrets):
    before = snapshot(sample_db)
    content = readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0]))
    parsed = importing.read_upload("readings", "t.csv", content)
    with pytest.raises(auth.NotEditor):
        data_flow.import_upload(parsed)
    with pytest.raises(auth.NotEditor):
        data_flow.check_upload("readings", "t.csv", content)
    with pytest.raises(auth.NotEditor):
        data_flow.save_edits("targets", data_flow.editable_table("targets"), "t")
    with pytest.raises(auth.NotEditor):
        data_flow.undo_batch(int(batches(sample_db)["batch_id"].max()))
    with pytest.raises(auth.NotEditor):
        data_flow.clear_sample()
    # With a password set but not logged in (or a wrong password) it is the same.
    auth.set_password(PASSWORD, "test")
    assert auth.mode() == "password" and not auth.login_with_password("forkert-kode")
    with pytest.raises(auth.NotEditor):
        data_flow.import_upload(parsed)
    after = snapshot(sample_db)
    assert_same(after, before)


def test_oidc_roles_come_from_the_secrets(sample_db, tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n'
                       '[roles]\neditors = ["Driftschef@HEG.dk"]\n')
    monkeypatch.setenv("HEG_DASH_SECRETS", str(secrets))
    assert auth.mode() == "oidc" and auth.editor_emails() == {"driftschef@heg.dk"}
    assert not auth.is_editor()  # nobody logged in
    monkeypatch.setattr(auth, "_oidc_email", lambda: "driftschef@heg.dk")
    assert auth.is_editor() and auth.require_editor() == "driftschef@heg.dk"
    monkeypatch.setattr(auth, "_oidc_email", lambda: "elev@heg.dk")
    with pytest.raises(auth.NotEditor):
        auth.require_editor()


def test_passwords_are_salted_scrypt_hashes():
    a, b = auth.hash_password("samme-kode-1"), auth.hash_password("samme-kode-1")
    assert a != b and auth.verify_password("samme-kode-1", a) and auth.verify_password("samme-kode-1", b)
    assert not auth.verify_password("samme-kode-2", a)
    assert not auth.verify_password("x", "garbage") and not auth.verify_password("x", None)


# ------------------------------------------------------------------------------------------------ editor

def test_editor_logs_in_uploads_sees_problems_then_preview_confirms_and_undoes(editor_db, no_secrets):
    before = snapshot(editor_db)
    at = run_page("data", "da")
    login(at, "forkert-kode")
    assert any("Forkert adgangskode" in e.value for e in at.error)
    assert not at.file_uploader
    login(at)
    _no_exception(at)
    assert at.file_uploader and any("Logget ind som redaktør" in m.value for m in at.markdown)

    at.selectbox(key="imp_dataset").select("readings").run()
    bad = b"meter_id,start,end,value\nHOB-A-EL,2024-01-10 00:00,2024-01-10 01:00,abc\n"
    at.file_uploader(key="imp_file").set_value(("fejl.csv", bad, "text/csv")).run()
    _no_exception(at)
    assert any("fejl.csv, række 2, kolonne value: 'abc' er ikke et tal" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "imp_confirm"]
    assert_same(snapshot(editor_db), before)

    good = readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0, 3.0]))
    at.file_uploader(key="imp_file").set_value(("timer.csv", good, "text/csv")).run()
    _no_exception(at)
    # Readings of the sample's own meter cannot go in with the sample cleared: the page says so, no choice.
    assert not [r for r in at.radio if r.key == "imp_clear_sample"]
    assert any("kan ikke ryddes først" in i.value for i in at.info)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tilføjes"] == "0" and metrics["Erstattes"] == "3" and metrics["Uændrede"] == "0"
    assert_same(snapshot(editor_db), before)  # the preview stored nothing
    at.button(key="imp_confirm").click().run()
    _no_exception(at)
    assert any("0 rækker tilføjet, 3 erstattet" in s.value for s in at.success)
    newest = batches(editor_db).iloc[-1]
    assert newest["file_name"] == "timer.csv" and newest["user_name"] == auth.PASSWORD_USER
    assert scalar(editor_db, "SELECT count(*) FROM audit_log WHERE user_name = ? AND action = 'import'",
                  [auth.PASSWORD_USER]) == 1
    assert at.info and any("ændrer intet" in i.value for i in at.info)  # the same file again: nothing new

    at.selectbox(key="undo_batch").select(int(newest["batch_id"])).run()
    at.button(key="undo_go").click().run()
    _no_exception(at)
    assert any("er fortrudt" in s.value for s in at.success)
    assert_same(snapshot(editor_db), before)


def test_first_real_import_on_the_page_clears_the_sample_when_offered(editor_db, no_secrets):
    with i18n.language("en"):  # AppTest formats select-box options in the test's thread
        at = login(run_page("data", "en"))
        at.selectbox(key="imp_dataset").select("campuses").run()
        content = b"campus_id,name,address,lat,lon\nHOB,Campus Hobro,Kirketoften 7,56.64,9.79\n"
        at.file_uploader(key="imp_file").set_value(("campuses.csv", content, "text/csv")).run()
        # Nothing is chosen for the user: both choices say what they would do; nothing previews before a choice.
        choice = at.radio(key="imp_clear_sample")
        assert choice.value is None and not at.metric and not [b for b in at.button if b.key == "imp_confirm"]
        clear_label, keep_label = choice.options
        assert clear_label.startswith("Clear the sample data first")
        assert "from the file 1 added, 0 replaced" in clear_label
        assert "of sample data are removed from every dataset" in clear_label
        assert keep_label.startswith("Keep the sample data") and "from the file 0 added, 1 replaced" in keep_label
        choice.set_value(True).run()
        at.button(key="imp_confirm").click().run()
        _no_exception(at)
        assert any("sample data were cleared" in s.value for s in at.success)
        assert scalar(editor_db, "SELECT count(*) FROM readings") == 0
        assert scalar(editor_db, "SELECT count(*) FROM campuses") == 1
        assert not [r for r in at.radio if r.key == "imp_clear_sample"]


def test_in_place_edits_go_through_validation_batch_and_undo(editor_db, no_secrets):
    with i18n.language("da"):
        assert auth.login_with_password(PASSWORD)
        before = snapshot(editor_db)
        table = data_flow.editable_table("targets")
        bad = table.copy()
        bad.loc[0, "direction"] = "sidelæns"
        parsed, summary = data_flow.save_edits("targets", bad, "tabellen")
        assert summary is None and parsed.problems[0].text().startswith("tabellen, række 1, kolonne direction")
        assert_same(snapshot(editor_db), before)
        edited = table.copy()
        edited.loc[edited["key"] == "aarselever", "value"] = 1850.0
        edited = edited[edited["key"] != "m2_per_aarselev"]
        edited = pd.concat([edited, pd.DataFrame([{"key": "nyt_maal", "value": 3.0, "year": 2030,
                                                   "direction": "lower", "baseline_year": 2024,
                                                   "baseline_value": 5.0, "source": "eksempel"}])])
        parsed, summary = data_flow.save_edits("targets", edited, "tabellen")
        assert parsed.problems == [] and (summary.added, summary.replaced, summary.removed) == (1, 1, 1)
        assert batches(editor_db).iloc[-1]["kind"] == "edit"
        assert data_flow.editable_table("targets").set_index("key").loc["aarselever", "value"] == 1850.0
        data_flow.undo_batch(summary.batch_id)
        assert_same(snapshot(editor_db), before)
        auth.logout()
        with pytest.raises(auth.NotEditor):
            data_flow.save_edits("targets", edited, "tabellen")


def test_editing_is_limited_to_the_small_datasets(editor_db, no_secrets):
    assert "readings" not in data_flow.EDITABLE
    assert {"targets", "initiatives", "indicators", "indicator_values", "emission_factors", "partners",
            "calendar"} <= set(data_flow.EDITABLE)
    assert auth.login_with_password(PASSWORD)
    with pytest.raises(ValueError):
        data_flow.save_edits("readings", pd.DataFrame(), "x")
    auth.logout()


def test_quality_panel_flags_gaps_and_spikes(sample_db, no_secrets):
    from heg_dash.queries import data as data_queries

    q = data_queries.meter_quality().set_index("meter_id")
    assert q.loc["HOB-F-PV", "gaps"] > 0 and "gaps" in q.loc["HOB-F-PV", "issues"]
    assert q.loc["HOB-A-FV", "issues"] == ()
    # A planted spike and a flat day on one meter.
    rows = hours("HOB-A-EL", "2024-01-10", [7.0] * 24) + hours("HOB-A-EL", "2024-01-11", [90000.0])
    summary = importing.apply(importing.read_upload("readings", "x.csv", readings_csv(rows)), user="t",
                              file_name="x.csv", sha256=None)
    assert summary.batch_id
    q = data_queries.meter_quality().set_index("meter_id")
    assert q.loc["HOB-A-EL", "flat_rows"] >= 24 and q.loc["HOB-A-EL", "outliers"] >= 1
    assert {"flat", "outliers"} <= set(q.loc["HOB-A-EL", "issues"])
    assert data_queries.meter_quality("AAR")["meter_id"].str.startswith("AAR").all()
    store.undo(summary.batch_id, "t")
