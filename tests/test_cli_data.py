"""The data commands as a user runs them: subprocesses with HEG_DASH_DB set, exit codes, what is printed, and
the database compared in full before and after."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from heg_dash.store import db
from heg_dash.views import auth
from tests.data_support import (
    BUILDING_CSV,
    CAMPUS_CSV,
    FIXTURES,
    METER_CSV,
    assert_same,
    batches,
    hours,
    readings_csv,
    scalar,
    snapshot,
)

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, db: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HEG_DASH_DB": str(db), "HEG_DASH_LANG": "da", **(env or {})}
    return subprocess.run([sys.executable, "-m", "heg_dash", *args], capture_output=True, text=True, env=full_env,
                          cwd=ROOT, timeout=300, input=stdin)


def write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_import_prints_a_summary_and_the_same_file_again_changes_nothing(sample_db, tmp_path):
    file = write(tmp_path, "timer.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0, 3.0])))
    result = run_cli("import", "readings", file, db=sample_db)
    assert result.returncode == 0, result.stderr
    assert "timer.csv importeret til readings: 0 tilføjet, 3 erstattet, 0 uændrede" in result.stdout
    assert "eksempeldata" in result.stdout  # the hint that sample data is still there
    after = snapshot(sample_db)
    again = run_cli("import", "readings", file, db=sample_db)
    assert again.returncode == 0 and "ændrer intet" in again.stdout and "ingen batch" in again.stdout
    assert_same(snapshot(sample_db), after)


def test_bad_input_exits_2_lists_problems_with_row_and_column_and_changes_nothing(sample_db, tmp_path):
    before = snapshot(sample_db)
    content = (b"meter_id,start,end,value,quality\n"
               b"HOB-A-EL,2024-01-10 00:00,2024-01-10 01:00,abc,measured\n"
               b"UKENDT,2024-01-10 00:00,2024-01-10 01:00,1,measured\n"
               b"HOB-A-EL,2024-01-10 03:00,2024-01-10 02:00,-4,measured\n")
    result = run_cli("import", "readings", write(tmp_path, "fejl.csv", content), db=sample_db)
    assert result.returncode == 2
    err = result.stderr
    assert "fejl.csv, række 2, kolonne value: 'abc' er ikke et tal" in err
    assert "'UKENDT' findes ikke i meters" in err
    assert "række 4, kolonne value: -4 er mindre end det mindste tilladte (0)" in err
    assert "række 4, kolonne end: slut" in err
    assert_same(snapshot(sample_db), before)
    for bad in (b"", b"\x89PNG\r\n\x1a\n\x00\x00binary" * 50):
        assert run_cli("import", "readings", write(tmp_path, "x.csv", bad), db=sample_db).returncode == 2
    assert run_cli("import", "readings", str(tmp_path / "missing.csv"), db=sample_db).returncode == 2
    assert run_cli("import", "nosuchdataset", write(tmp_path, "y.csv", b"a\n1\n"), db=sample_db).returncode == 2
    too_big = run_cli("import", "readings", write(tmp_path, "big.csv", b"x" * 3000), db=sample_db,
                      env={"HEG_DASH_MAX_IMPORT_MB": "0.001"})
    assert too_big.returncode == 2 and "for stor" in too_big.stderr
    formula = run_cli("import", "partners", write(tmp_path, "p.csv",
                      b"partner_id,name,kind,country,city,lat,lon,since\nP1,=HYPERLINK(\"x\"),company,DE,Kiel,54,10,2020\n"),
                      db=sample_db)
    assert formula.returncode == 2 and "regnearksformel" in formula.stderr
    assert_same(snapshot(sample_db), before)


def test_a_big_file_is_read_mapped_and_a_bad_cell_in_it_is_still_named(sample_db, tmp_path):
    """Files from 1 MB are mapped instead of read (importers.read.read_file): the careful parser reads them the
    same, names the bad cell, and stores nothing; mended, the file imports whole."""
    from heg_dash.importers.read import MAP_MIN_BYTES

    rows = hours("HOB-A-EL", "2031-01-01", [float(i % 7) for i in range(20_000)])
    rows[15_000] = (*rows[15_000][:3], "1.5.7")
    content = readings_csv(rows)
    assert len(content) > MAP_MIN_BYTES
    before, version = snapshot(sample_db), db.data_version(sample_db)
    result = run_cli("import", "readings", write(tmp_path, "stor.csv", content), db=sample_db)
    assert result.returncode == 2
    assert "stor.csv, række 15002, kolonne value: '1.5.7' er ikke et tal" in result.stderr
    assert_same(snapshot(sample_db), before)
    assert db.data_version(sample_db) == version
    rows[15_000] = (*rows[15_000][:3], 1.5)
    result = run_cli("import", "readings", write(tmp_path, "stor.csv", readings_csv(rows)), db=sample_db)
    assert result.returncode == 0, result.stderr
    assert "20000 tilføjet" in result.stdout
    assert scalar(sample_db, "SELECT sum(value) FROM readings WHERE start >= '2031-01-01'") == \
        pytest.approx(sum(i % 7 for i in range(20_000)) - 15_000 % 7 + 1.5)


def test_dry_run_validates_and_previews_only(sample_db, tmp_path):
    before, version = snapshot(sample_db), db.data_version(sample_db)
    file = write(tmp_path, "t.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0])))
    result = run_cli("import", "readings", file, "--dry-run", db=sample_db)
    assert result.returncode == 0, result.stderr
    assert "prøvekørsel" in result.stdout and "ville tilføje 0, erstatte 2" in result.stdout
    assert_same(snapshot(sample_db), before)
    assert db.data_version(sample_db) == version
    bad = run_cli("import", "readings", write(tmp_path, "b.csv", b"meter_id\nx\n"), "--dry-run", db=sample_db)
    assert bad.returncode == 2 and "mangler kolonne(r)" in bad.stderr


def test_eloverblik_export_as_it_is_25_and_23_hour_days(empty_db, tmp_path):
    for name, content in (("campuses", CAMPUS_CSV), ("buildings", BUILDING_CSV), ("meters", METER_CSV)):
        assert run_cli("import", name, write(tmp_path, f"{name}.csv", content), db=empty_db).returncode == 0
    for fixture, hours_in_day in (("eloverblik_2024-10-27.csv", 25), ("eloverblik_2024-03-31.csv", 23)):
        result = run_cli("import", "readings", str(FIXTURES / fixture), db=empty_db)
        assert result.returncode == 0, result.stderr
        assert f"{hours_in_day} tilføjet" in result.stdout
    starts = scalar(empty_db, "SELECT count(DISTINCT start) FROM readings")
    assert starts == 48
    # In local time the October day has 25 hourly readings and the March day 23.
    per_day = dict(duckdb.connect(str(empty_db), read_only=True).execute(
        "SELECT CAST(timezone('Europe/Copenhagen', start) AS DATE) AS d, count(*) FROM readings GROUP BY d").fetchall())
    assert sorted(per_day.values()) == [23, 25]


def test_batches_json_newest_first_then_undo_and_refusal(sample_db, tmp_path):
    before = snapshot(sample_db)
    a = write(tmp_path, "a.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0])))
    b = write(tmp_path, "b.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [5.0])))
    assert run_cli("import", "readings", a, db=sample_db).returncode == 0
    assert run_cli("import", "readings", b, db=sample_db).returncode == 0
    listed = json.loads(run_cli("batches", "--json", db=sample_db).stdout)
    assert [x["id"] for x in listed] == sorted((x["id"] for x in listed), reverse=True)
    newest, older = listed[0], listed[1]
    assert newest["file_name"] == "b.csv" and newest["rows_added"] == 0 and newest["rows_replaced"] == 1
    assert newest["user"].endswith("(CLI)") and len(newest["sha256"]) == 64 and newest["undone_at"] is None
    refused = run_cli("undo", str(older["id"]), db=sample_db)
    assert refused.returncode == 2 and f"senere batch {newest['id']}" in refused.stderr
    assert run_cli("undo", str(newest["id"]), db=sample_db).returncode == 0
    done = run_cli("undo", str(older["id"]), db=sample_db)
    assert done.returncode == 0 and "2 rækker fjernet, 2 genskabt" in done.stdout
    assert_same(snapshot(sample_db), before)
    assert run_cli("undo", str(older["id"]), db=sample_db).returncode == 2  # already undone
    assert run_cli("undo", "99999", db=sample_db).returncode == 2
    listed = json.loads(run_cli("batches", "--json", db=sample_db).stdout)
    assert listed[0]["undone_at"] is not None and listed[1]["undone_at"] is not None
    assert "fortrudt" in run_cli("batches", db=sample_db).stdout


def test_a_hard_kill_inside_the_import_transaction_leaves_the_database_as_before(sample_db, tmp_path):
    before, version = snapshot(sample_db), db.data_version(sample_db)
    n_batches = len(batches(sample_db))
    rows = []
    for day in pd.date_range("2024-01-01", "2024-03-31"):
        rows += hours("HOB-A-EL", day.date().isoformat(), [1.5] * 24)
    file = write(tmp_path, "stor.csv", readings_csv(rows))
    marker = tmp_path / "inside-transaction"
    env = {**os.environ, "HEG_DASH_DB": str(sample_db), "HEG_DASH_TEST_PAUSE_IN_TX": str(marker)}
    proc = subprocess.Popen([sys.executable, "-m", "heg_dash", "import", "readings", file], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the import ended before reaching the hook"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # the rows are written, the transaction not yet committed
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert_same(snapshot(sample_db), before)
    assert db.data_version(sample_db) == version and len(batches(sample_db)) == n_batches
    # ... and the database still takes the same import afterwards.
    assert run_cli("import", "readings", file, db=sample_db).returncode == 0


def test_the_cli_waits_for_a_running_app_holding_the_database(sample_db, tmp_path):
    file = write(tmp_path, "t.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0])))
    held = threading.Event()

    def hold() -> None:
        with db.connect(sample_db):
            held.set()
            time.sleep(2)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    started = time.monotonic()
    result = run_cli("import", "readings", file, db=sample_db)
    thread.join()
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started > 1  # it waited for the lock instead of failing


def test_export_neutralises_formula_like_text_and_imports_back(sample_db, tmp_path):
    # Text that is not a formula but begins like one (a phone number, a dash) can be stored; on export
    # it is neutralised so a spreadsheet cannot run it.
    content = (b"partner_id,name,kind,country,city,lat,lon,since\n"
               b"P-X,+45 12 34 56 78,company,DK,-,56,10,2020\n")
    assert run_cli("import", "partners", write(tmp_path, "p.csv", content), db=sample_db).returncode == 0
    con = duckdb.connect(str(sample_db))
    con.execute("UPDATE partners SET city = '=1+2' WHERE partner_id = 'P-X'")  # as if stored by an older version
    con.close()
    out = tmp_path / "partners.csv"
    assert run_cli("export", "partners", "--out", str(out), db=sample_db).returncode == 0
    text = out.read_bytes().decode("utf-8-sig")
    line = next(x for x in text.splitlines() if x.startswith("P-X;"))
    assert line.split(";")[1:5] == ["'+45 12 34 56 78", "company", "DK", "'=1+2"]
    xlsx = tmp_path / "partners.xlsx"
    assert run_cli("export", "partners", "--out", str(xlsx), db=sample_db).returncode == 0
    ws = openpyxl.load_workbook(xlsx)["partners"]
    row = next(r for r in ws.iter_rows() if r[0].value == "P-X")
    assert row[4].value == "=1+2" and row[4].data_type == "s" and row[1].data_type == "s"
    assert run_cli("export", "partners", "--out", str(tmp_path / "x.pdf"), db=sample_db).returncode == 2
    # The neutralised phone number imports back as it was.
    con = duckdb.connect(str(sample_db))
    con.execute("UPDATE partners SET city = 'Aars' WHERE partner_id = 'P-X'")
    con.close()
    assert run_cli("export", "partners", "--out", str(out), db=sample_db).returncode == 0
    again = run_cli("import", "partners", str(out), db=sample_db)
    assert again.returncode == 0 and "ændrer intet" in again.stdout, again.stderr


def test_template_command_writes_csv_and_excel_with_descriptions(empty_db, tmp_path):
    csv_out, xlsx_out = tmp_path / "meters.csv", tmp_path / "meters.xlsx"
    assert run_cli("template", "meters", "--out", str(csv_out), db=empty_db).returncode == 0
    assert csv_out.read_bytes().decode("utf-8-sig").strip() == "meter_id;building_id;utility;unit;gsrn;parent_meter_id"
    assert run_cli("template", "meters", "--out", str(xlsx_out), db=empty_db).returncode == 0
    wb = openpyxl.load_workbook(xlsx_out)
    assert wb.sheetnames == ["meters", "Beskrivelse"]
    described = {r[0].value: r for r in wb["Beskrivelse"].iter_rows(min_row=2) if r[0].value}
    assert "18 cifre" in described["gsrn"][1].value and described["gsrn"][4].value == "nej"
    assert "kWh" in described["unit"][5].value


def test_backup_and_restore_commands(sample_db, tmp_path):
    before = snapshot(sample_db)
    out = tmp_path / "kopi.duckdb"
    result = run_cli("backup", "--out", str(out), db=sample_db)
    assert result.returncode == 0 and out.exists(), result.stderr
    file = write(tmp_path, "t.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0])))
    assert run_cli("import", "readings", file, db=sample_db).returncode == 0
    restored = run_cli("restore", str(out), db=sample_db)
    assert restored.returncode == 0, restored.stderr
    assert_same(snapshot(sample_db), before)
    garbage = write(tmp_path, "garbage.duckdb", os.urandom(20000))
    refused = run_cli("restore", garbage, db=sample_db)
    assert refused.returncode == 2 and "ikke en brugbar sikkerhedskopi" in refused.stderr
    assert_same(snapshot(sample_db), before)


def test_set_password_from_stdin_stores_an_scrypt_hash(sample_db, monkeypatch):
    result = run_cli("set-password", db=sample_db, stdin="hemmelig-kode-1\n")
    assert result.returncode == 0, result.stderr
    stored = scalar(sample_db, "SELECT value FROM meta WHERE key = 'editor_password'")
    assert stored.startswith("scrypt$16384$8$1$") and "hemmelig" not in stored
    assert auth.verify_password("hemmelig-kode-1", stored) and not auth.verify_password("forkert", stored)
    assert scalar(sample_db, "SELECT count(*) FROM audit_log WHERE action = 'set_editor_password'") == 1
    short = run_cli("set-password", db=sample_db, stdin="kort\n")
    assert short.returncode == 2 and "mindst 8 tegn" in short.stderr
    assert scalar(sample_db, "SELECT value FROM meta WHERE key = 'editor_password'") == stored


def test_clear_sample_command_is_undoable(sample_db):
    before = snapshot(sample_db)
    result = run_cli("clear-sample", db=sample_db)
    assert result.returncode == 0 and "eksempeldata ryddet" in result.stdout
    assert db.sample_datasets(sample_db) == set()
    batch = json.loads(run_cli("batches", "--json", db=sample_db).stdout)[0]
    assert batch["kind"] == "clear_sample" and batch["dataset"] == "*"
    assert run_cli("undo", str(batch["id"]), db=sample_db).returncode == 0
    assert_same(snapshot(sample_db), before)
    assert "ingen eksempeldata" not in run_cli("clear-sample", db=sample_db).stdout


@pytest.mark.parametrize("lang,text", [("en", "imported into readings"), ("da", "importeret til readings")])
def test_cli_language(sample_db, tmp_path, lang, text):
    file = write(tmp_path, "t.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0])))
    assert text in run_cli("import", "readings", file, db=sample_db, env={"HEG_DASH_LANG": lang}).stdout
