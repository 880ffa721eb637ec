"""Issue 17's findings, each a test that failed before its fix: crashes and silently wrong totals."""

from __future__ import annotations

import pytest

from tests.test_pages import run_page


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("goal", [1, 5, 7, 8, 12, 17])
def test_every_sdg_shows_its_goal_without_a_traceback(sample_db, goal):
    """"Vis mål" of SDG 5, 7, 8, 12 and 17 raised: an indicator path with a year without a value (NaN)."""
    at = run_page("baeredygtighed", "da", {"year": "2025"})
    at.button(key=f"sdg_pick_{goal}").click().run()
    _ok(at)
    assert at.selectbox(key="sdg_goal").value == goal


def import_bytes(dataset: str, name: str, content: bytes, *, replace: bool = False, fmt: str = "auto"):
    """A file through the real import path (parse against the store, one batch); returns the Summary."""
    from heg_dash.store import imports as importing

    parsed = importing.read_upload(dataset, name, content, fmt)
    assert parsed.ok, [p.text() for p in parsed.problems]
    return importing.apply(parsed, replace=replace, user="test", file_name=name, sha256=parsed.digest)


def test_facilities_works_for_buildings_without_the_optional_floors_column(sample_db):
    """pd.NA reached fmt_number and babel raised decimal.ConversionSyntax."""
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    buildings = con.execute("SELECT * EXCLUDE (batch_id) FROM buildings ORDER BY building_id").df()
    con.close()
    without = buildings.drop(columns=["floors"])
    import_bytes("buildings", "bygninger.csv", without.to_csv(index=False).encode(), replace=True)
    at = run_page("faciliteter", "da", {"year": "2024"})
    _ok(at)
    assert at.dataframe, "the register is shown"


def _table(path, sql: str):
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql).df()
    finally:
        con.close()


def test_a_changed_row_counts_once_as_replaced(sample_db):
    """"1 added, 1 replaced" while the table kept its rows: added + replaced + unchanged = the file's rows."""
    partners = _table(sample_db, "SELECT * EXCLUDE (batch_id) FROM partners ORDER BY partner_id")
    before = len(partners)
    changed = partners.head(2).copy()
    changed.loc[changed.index[0], "city"] = "Ny by"
    summary = import_bytes("partners", "partnere.csv", changed.to_csv(index=False).encode())
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 1)
    assert len(_table(sample_db, "SELECT * FROM partners")) == before
    batch = _table(sample_db, f"SELECT * FROM import_batches WHERE batch_id = {summary.batch_id}").iloc[0]
    assert (batch.rows_added, batch.rows_replaced, batch.rows_unchanged) == (0, 1, 1)


def test_counts_add_up_to_the_file_rows_when_an_hour_replaces_quarter_hours(empty_db):
    """Readings: a file row that replaces stored intervals counts as one replaced row, however many it covers."""
    import pandas as pd

    from tests.data_support import BUILDING_CSV, CAMPUS_CSV, METER_CSV, hours, readings_csv

    for dataset, content in (("campuses", CAMPUS_CSV), ("buildings", BUILDING_CSV), ("meters", METER_CSV)):
        import_bytes(dataset, f"{dataset}.csv", content)
    start = pd.Timestamp("2024-01-10T00:00:00+01:00")
    quarters = [("HOB-A-EL", (start + pd.Timedelta(minutes=15 * i)).isoformat(),
                 (start + pd.Timedelta(minutes=15 * i + 15)).isoformat(), 0.5) for i in range(12)]
    first = import_bytes("readings", "kvarter.csv", readings_csv(quarters))
    assert (first.added, first.replaced, first.unchanged, first.removed) == (12, 0, 0, 0)
    summary = import_bytes("readings", "timer.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0])))
    assert (summary.added, summary.replaced, summary.unchanged, summary.removed) == (0, 2, 0, 0)
    # --replace over the first three hours: the third hour's quarters are taken by a file row, none is removed
    again = import_bytes("readings", "timer.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0, 3.0])),
                         replace=True)
    assert (again.added, again.replaced, again.unchanged, again.removed) == (0, 1, 2, 0)


def test_replace_counts_the_stored_rows_left_out_of_the_file_as_removed(sample_db):
    partners = _table(sample_db, "SELECT * EXCLUDE (batch_id) FROM partners ORDER BY partner_id")
    summary = import_bytes("partners", "partnere.csv", partners.head(3).to_csv(index=False).encode(), replace=True)
    assert (summary.added, summary.replaced, summary.unchanged, summary.removed) == (0, 0, 3, len(partners) - 3)


# ------------------------------------------------------------------------------------------ referential rules

METERS_HEADER = "meter_id,building_id,utility,unit,gsrn,parent_meter_id\n"


def _problem_keys(parsed_or_exc) -> list[str]:
    return [p.key for p in parsed_or_exc.problems]


def test_a_meter_cannot_be_its_own_parent_nor_close_a_loop_and_totals_keep_their_meters(sample_db):
    """A three-row meters file took 2024 electricity from 1,540,353 to 873,528 kWh without a word."""
    from heg_dash import kpis
    from heg_dash.store import imports as importing

    before = kpis.compute(2024)["energy"]["electricity_kwh"]
    meters = _table(sample_db, "SELECT meter_id, building_id, utility, unit FROM meters "
                               "WHERE utility = 'electricity' AND parent_meter_id IS NULL ORDER BY meter_id").head(3)
    a, b, c = (tuple(r) for r in meters.itertuples(index=False))
    self_parent = METERS_HEADER + f"{a[0]},{a[1]},{a[2]},{a[3]},,{a[0]}\n"
    parsed = importing.read_upload("meters", "maalere.csv", self_parent.encode())
    assert _problem_keys(parsed) == ["imp.parent_self"]
    assert parsed.problems[0].text().startswith("maalere.csv, række 2, kolonne parent_meter_id:")
    loop = METERS_HEADER + "".join(f"{m[0]},{m[1]},{m[2]},{m[3]},,{p[0]}\n" for m, p in ((a, b), (b, c), (c, a)))
    parsed = importing.read_upload("meters", "maalere.csv", loop.encode())
    assert _problem_keys(parsed) == ["imp.parent_cycle"]
    assert f"{a[0]} → {b[0]} → {c[0]} → {a[0]}" in parsed.problems[0].text()
    # Two files, each fine alone: the second closes the loop with a stored row.
    import_bytes("meters", "a.csv", (METERS_HEADER + f"{a[0]},{a[1]},{a[2]},{a[3]},,{b[0]}\n").encode())
    second = importing.read_upload("meters", "b.csv", (METERS_HEADER + f"{b[0]},{b[1]},{b[2]},{b[3]},,{a[0]}\n"
                                                       ).encode())
    assert second.ok
    preview = importing.preview(second)
    assert [p.key for p in preview.problems] == ["imp.parent_cycle"]
    assert preview.problems[0].text().startswith("b.csv, række 2, kolonne parent_meter_id:")
    with pytest.raises(importing.StoreRefused):
        importing.apply(second, user="t", file_name="b.csv", sha256=None)
    assert kpis.compute(2024)["energy"]["electricity_kwh"] < before  # a is now b's sub-meter, counted once
    assert kpis.compute(2024)["energy"]["electricity_kwh"] > 0


def test_a_sub_meter_measures_the_same_utility_as_its_parent(sample_db):
    from heg_dash.store import imports as importing

    heat = _table(sample_db, "SELECT meter_id FROM meters WHERE utility = 'district_heating' LIMIT 1").iloc[0, 0]
    el = _table(sample_db, "SELECT meter_id, building_id FROM meters WHERE utility = 'electricity' LIMIT 1").iloc[0]
    parsed = importing.read_upload("meters", "m.csv", (METERS_HEADER + f"{el.meter_id},{el.building_id},electricity,"
                                                       f"kWh,,{heat}\n").encode())
    preview = importing.preview(parsed)
    assert [p.key for p in preview.problems] == ["imp.parent_differs"]


def test_a_gsrn_belongs_to_one_meter(sample_db):
    """Eloverblik readings went to the newer of two meters sharing a GSRN."""
    from heg_dash.store import imports as importing

    stored = _table(sample_db, "SELECT meter_id, gsrn FROM meters WHERE gsrn IS NOT NULL LIMIT 1").iloc[0]
    building = _table(sample_db, "SELECT building_id FROM buildings LIMIT 1").iloc[0, 0]
    twice = (METERS_HEADER + f"X1,{building},electricity,kWh,{stored.gsrn},\n"
             f"X2,{building},electricity,kWh,{stored.gsrn},\n")
    parsed = importing.read_upload("meters", "m.csv", twice.encode())
    assert _problem_keys(parsed) == ["imp.not_unique", "imp.not_unique"]
    assert "X2" in parsed.problems[0].text()
    once = importing.read_upload("meters", "m.csv", (METERS_HEADER + f"X1,{building},electricity,kWh,{stored.gsrn},\n"
                                                     ).encode())
    preview = importing.preview(once)
    assert [p.key for p in preview.problems] == ["imp.not_unique"]
    assert stored.meter_id in preview.problems[0].text()


def test_keys_hold_no_control_characters(sample_db):
    from heg_dash.store import imports as importing

    content = (b'building_id,campus_id,name,use,year_built,heated_area_m2,energy_label,status,in_use_from\n'
               b'"HOB-\nZ",HOB,Ny,teaching,2020,100,B,in_use,2020-01-01\n')
    parsed = importing.read_upload("buildings", "b.csv", content)
    assert _problem_keys(parsed) == ["imp.control_character"]
    assert "HOB-\\nZ" in parsed.problems[0].text()


@pytest.mark.parametrize(("code", "ok"), [("DK", True), ("dk", True), ("XK", True), ("QQ", False), ("EU", False),
                                          ("ZZ", False)])
def test_country_codes_come_from_the_iso_list(code, ok):
    from heg_dash.importers import parse_file

    r = parse_file("partners", "p.csv", f"partner_id,name,kind,country,city,lat,lon,since\n"
                                        f"P1,Firma,company,{code},Aars,56.8,9.5,2019\n".encode())
    assert r.ok is ok, [p.text() for p in r.problems]
    if ok:
        assert r.frame["country"].tolist() == [code.upper()]


def test_an_undo_that_would_close_a_loop_of_parents_is_refused(sample_db):
    from heg_dash.store import imports as importing

    meters = _table(sample_db, "SELECT meter_id, building_id, utility, unit FROM meters "
                               "WHERE utility = 'electricity' AND parent_meter_id IS NULL ORDER BY meter_id").head(2)
    a, b = (tuple(r) for r in meters.itertuples(index=False))

    def row(m, parent):
        return (METERS_HEADER + f"{m[0]},{m[1]},{m[2]},{m[3]},,{parent}\n").encode()

    import_bytes("meters", "1.csv", row(a, b[0]))  # a under b
    second = import_bytes("meters", "2.csv", row(a, ""))  # a on its own again
    import_bytes("meters", "3.csv", row(b, a[0]))  # b under a: fine while a has no parent
    before = _table(sample_db, "SELECT * FROM meters ORDER BY meter_id")
    with pytest.raises(importing.StoreRefused) as refused:
        importing.undo(second.batch_id, "t")  # would put a under b again: a loop
    assert refused.value.key == "data.undo_breaks_rule" and "→" in refused.value.text()
    assert _table(sample_db, "SELECT * FROM meters ORDER BY meter_id").equals(before)


# ---------------------------------------------------------------------------------------------- encodings

BUILDINGS_HEADER = "building_id,campus_id,name,use,year_built,heated_area_m2,energy_label,status,in_use_from\n"


def _buildings(*names: str) -> list[str]:
    return [f"B{i},HOB,{name},workshop,1990,100,C,in_use,1990-01-01\n" for i, name in enumerate(names)]


def test_a_file_mixing_utf8_and_cp1252_rows_is_refused_naming_the_first_odd_line():
    """It was decoded as cp1252 whole and stored "VÃ¦rksted" without a word."""
    from heg_dash.importers import parse_file

    rows = _buildings("Værksted Nord", "Værksted Syd")
    content = (BUILDINGS_HEADER + rows[0]).encode("utf-8") + rows[1].encode("cp1252")
    r = parse_file("buildings", "bygninger.csv", content)
    assert [p.key for p in r.problems] == ["imp.mixed_encoding"]
    assert "linje 3" in r.problems[0].text()


def test_a_shift_jis_file_is_refused_not_stored_garbled():
    from heg_dash.importers import parse_file

    content = (BUILDINGS_HEADER + "".join(_buildings("東京校舎", "大阪工場"))).encode("shift_jis")
    r = parse_file("buildings", "b.csv", content)
    assert [p.key for p in r.problems] in (["imp.unknown_encoding"], ["imp.mixed_encoding"])
    assert "linje 2" in r.problems[0].text()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"])
def test_whole_file_encodings_are_read(encoding):
    from heg_dash.importers import parse_file

    text = BUILDINGS_HEADER + "".join(_buildings("Værksted – Nord", "Smedjen ’23", "Kantine €"))
    content = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    r = parse_file("buildings", "b.csv", content)
    assert r.ok, [p.text() for p in r.problems]
    assert r.frame["name"].tolist() == ["Værksted – Nord", "Smedjen ’23", "Kantine €"]


def test_utf16_without_its_bom_is_named_as_such_not_as_an_image():
    from heg_dash.importers import parse_file

    r = parse_file("buildings", "b.csv", (BUILDINGS_HEADER + _buildings("Hal")[0]).encode("utf-16-le"))
    assert [p.key for p in r.problems] == ["imp.utf16_no_bom"]


def test_an_excel_formula_without_a_computed_value_is_named_not_called_empty():
    import io

    import openpyxl

    from heg_dash.importers import parse_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "buildings"
    ws.append(BUILDINGS_HEADER.strip().split(","))
    ws.append(["B1", "HOB", "Hal", "workshop", 1990, "=90*2", "C", "in_use", "1990-01-01"])
    buffer = io.BytesIO()
    wb.save(buffer)
    r = parse_file("buildings", "b.xlsx", buffer.getvalue())
    assert [p.key for p in r.problems] == ["imp.formula_no_value"]
    assert "=90*2" in r.problems[0].text() and "række 2, kolonne heated_area_m2" in r.problems[0].text()


# ------------------------------------------------------------------------------------- files the app writes

def _rename_building(path, building_id: str, name: str) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("UPDATE buildings SET name = ? WHERE building_id = ?", [name, building_id])
    con.close()


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"])
def test_the_energy_report_neutralises_formula_like_building_names(sample_db, name):
    """report energy wrote them as they were, the xlsx even as a formula; export neutralised them."""
    import io

    import openpyxl

    from heg_dash.reports import energy

    building = _table(sample_db, "SELECT building_id FROM buildings ORDER BY building_id LIMIT 1").iloc[0, 0]
    _rename_building(sample_db, building, name)
    text = energy.to_csv(2024).decode("utf-8-sig")
    assert f"'{name}" in text or f"\"'{name}" in text.replace('""', '"')
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(energy.to_xlsx(2024))).worksheets[0].iter_rows()
             for c in row if c.value == name]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_restore_refuses_a_backup_holding_formula_text_and_changes_nothing(sample_db, tmp_path):
    from heg_dash import store
    from tests.data_support import assert_same, snapshot

    out = store.backup(tmp_path / "kopi.duckdb")
    _rename_building(out, _table(out, "SELECT building_id FROM buildings LIMIT 1").iloc[0, 0], "=1+1")
    before = snapshot(sample_db)
    with pytest.raises(store.StoreRefused) as refused:
        store.restore(out, "t")
    assert refused.value.key == "data.restore_rules"
    assert "kopi.duckdb, buildings, række" in refused.value.text() and "=1+1" in refused.value.text()
    assert_same(snapshot(sample_db), before)


def test_restore_refuses_a_backup_whose_meters_form_a_loop(sample_db, tmp_path):
    import duckdb

    from heg_dash import store

    out = store.backup(tmp_path / "kopi.duckdb")
    con = duckdb.connect(str(out))
    a, b = [r[0] for r in con.execute("SELECT meter_id FROM meters WHERE utility = 'electricity' "
                                      "AND parent_meter_id IS NULL ORDER BY meter_id LIMIT 2").fetchall()]
    con.execute("UPDATE meters SET parent_meter_id = ? WHERE meter_id = ?", [b, a])
    con.execute("UPDATE meters SET parent_meter_id = ? WHERE meter_id = ?", [a, b])
    con.close()
    with pytest.raises(store.StoreRefused) as refused:
        store.restore(out, "t")
    assert "imp.parent_cycle" in [p.key for p in refused.value.problems]


# -------------------------------------------------------------------------------------------- failures

def test_a_failing_page_shows_a_short_message_with_a_reference_and_logs_the_traceback(sample_db, monkeypatch,
                                                                                        caplog):
    """Users saw a Python traceback with "Ask Google / Ask ChatGPT" links."""
    from heg_dash.views import ui

    monkeypatch.setenv("HEG_DASH_SHOW_ERRORS", "0")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    # every page draws its header first (queries.energy.view_period, broken here before, is no longer called)
    monkeypatch.setattr(ui, "page_header", broken)
    at = run_page("energi", "da")
    assert not at.exception
    (error,) = at.error
    assert "Noget gik galt" in error.value and "the disk is on fire" not in error.value
    reference = error.value.rsplit(" ", 1)[-1]
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and "the disk is on fire" in str(logged[0].exc_info[1])


def test_streamlit_shows_no_error_details_and_no_deploy_button():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"] == {"showErrorDetails": "none", "toolbarMode": "viewer"}


# -------------------------------------------------------------------------------------------- passwords

def test_backoff_grows_after_five_wrong_passwords():
    from heg_dash.views.auth import backoff_s

    assert [backoff_s(n) for n in range(1, 9)] == [0, 0, 0, 0, 2, 4, 8, 16]
    assert backoff_s(40) == 900


def test_wrong_passwords_cost_time_and_are_audited(sample_db, tmp_path, monkeypatch):
    """15 wrong tries in 21 s, then the right one worked at once."""
    from heg_dash.views import auth
    from tests.data_support import scalar

    monkeypatch.setenv("HEG_DASH_SECRETS", str(tmp_path / "no-secrets.toml"))
    now = [1000.0]
    monkeypatch.setattr(auth, "THROTTLE", auth.LoginThrottle(clock=lambda: now[0]))
    auth.set_password("rigtig-kode-42", "test")
    at = run_page("data", "da")

    def attempt(password: str) -> list[str]:
        at.text_input(key="auth_password").input(password)
        next(b for b in at.button if b.label == "Log ind som redaktør").click().run()
        _ok(at)
        return [e.value for e in at.error]

    for _ in range(5):
        assert any("Forkert adgangskode" in e for e in attempt("forkert"))
    # The right password, but too soon after five wrong ones: refused without being checked.
    assert any("Prøv igen om 2 sekunder" in e for e in attempt("rigtig-kode-42"))
    now[0] += 2.5
    assert any("Forkert adgangskode" in e for e in attempt("forkert"))  # the sixth: the wait doubles
    now[0] += 2.5
    assert any("Prøv igen om 2 sekunder" in e for e in attempt("rigtig-kode-42"))
    now[0] += 2
    assert attempt("rigtig-kode-42") == []
    assert any(b.label in ("Log ud", "Log out") for b in at.button), "logged in as editor"
    assert scalar(sample_db, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'") == 6
