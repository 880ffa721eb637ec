"""The store: schema for every dataset, versions, first start, lock handling."""

import subprocess
import sys
import time

import duckdb
import pytest

from heg_dash import config
from heg_dash.datasets import DATASETS
from heg_dash.store import db, schema, setup


def test_schema_has_a_table_per_dataset_with_the_declared_columns(empty_db):
    with db.connect() as con:
        for ds in DATASETS.values():
            cols = [r[0] for r in con.execute(f"DESCRIBE {db.q(ds.table)}").fetchall()]
            assert cols == [*ds.column_names, "batch_id"], ds.name
        assert db.get_meta(con, "schema_version") == str(schema.SCHEMA_VERSION)


def test_timestamps_are_stored_in_utc(sample_db):
    with db.connect() as con:
        kind = con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'readings' "
                           "AND column_name = 'start'").fetchone()[0]
    assert kind == "TIMESTAMP WITH TIME ZONE"


def test_every_write_bumps_the_data_version(empty_db):
    before = db.data_version()
    with db.transaction() as con:
        db.new_batch(con, "targets", "edit", user="test")
    assert db.data_version() != before


def test_a_failed_transaction_changes_nothing(empty_db):
    before = db.data_version()
    with pytest.raises(RuntimeError), db.transaction() as con:
        con.execute("INSERT INTO campuses VALUES ('X', 'x', 'x', 1, 1, 1)")
        raise RuntimeError("boom")
    assert db.read_df("SELECT * FROM campuses").empty
    assert db.data_version() == before


def test_first_start_creates_and_fills_but_never_fills_an_empty_database(tmp_path, empty_db):
    fresh = tmp_path / "new" / "heg.duckdb"
    assert setup.ensure_database(fresh) is True
    assert db.read_df("SELECT count(*) AS n FROM readings", path=fresh)["n"][0] > 100_000
    assert setup.ensure_database(empty_db) is False
    assert db.read_df("SELECT count(*) AS n FROM readings")["n"][0] == 0


def test_init_refuses_to_replace_imported_data_without_force(empty_db):
    with db.transaction() as con:
        db.new_batch(con, "campuses", "import", user="test", file_name="c.csv")
    with pytest.raises(FileExistsError):
        setup.init_db(empty_db, sample=False)
    setup.init_db(empty_db, sample=False, force=True)
    assert not setup.has_data()


def test_sample_datasets_are_reported(sample_db):
    assert {"readings", "activity", "buildings"} <= db.sample_datasets()


def test_migrations_apply_in_order(empty_db, monkeypatch):
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 1, ["CREATE TABLE extra_one (x INT)"])
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 2, ["ALTER TABLE extra_one ADD COLUMN y INT"])
    setup.ensure_database(empty_db)
    with db.connect() as con:
        assert db.get_meta(con, "schema_version") == str(schema.SCHEMA_VERSION + 2)
        assert [r[0] for r in con.execute("DESCRIBE extra_one").fetchall()] == ["x", "y"]


def _hold_lock(path, seconds):
    code = f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('held', flush=True); time.sleep({seconds})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_locked_file_is_retried_then_reported_clearly(empty_db, monkeypatch):
    monkeypatch.setenv("HEG_DASH_LOCK_TIMEOUT_S", "0.5")
    holder = _hold_lock(empty_db, 30)
    try:
        started = time.monotonic()
        with pytest.raises(db.DatabaseBusy, match="busy"), db.connect():
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_released_in_time_is_waited_for(empty_db, monkeypatch):
    monkeypatch.setenv("HEG_DASH_LOCK_TIMEOUT_S", "20")
    holder = _hold_lock(empty_db, 1)
    try:
        with db.connect() as con:
            assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        holder.wait()


def test_other_io_errors_are_not_mistaken_for_locks(tmp_path):
    bad = tmp_path / "not-a-db.duckdb"
    bad.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(duckdb.Error), db.connect(bad):
        pass


def test_duckdb_memory_limit_is_set_on_every_connection_and_checked(sample_db, monkeypatch):
    monkeypatch.setenv("HEG_DASH_DUCKDB_MEMORY", "300MB")
    with db.connect(sample_db) as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "").upper() in ("286.1MIB", "300.0MB", "300MB")
    monkeypatch.setenv("HEG_DASH_DUCKDB_MEMORY", "lots; DROP TABLE readings")
    with pytest.raises(ValueError, match="HEG_DASH_DUCKDB_MEMORY"):
        config.settings()


def test_a_session_opens_the_file_once_at_its_first_read_and_frees_it_after(sample_db, monkeypatch):
    opened = []
    real_open = db._open

    def counting_open(target, must_exist):
        opened.append(target)
        return real_open(target, must_exist)

    monkeypatch.setattr(db, "_open", counting_open)
    with db.session(sample_db):
        pass
    assert opened == []  # a page run answered from the cache never touches the file
    with db.session(sample_db):
        for _ in range(3):
            assert db.read_df("SELECT count(*) AS n FROM campuses", path=sample_db)["n"][0] > 0
        with db.session(sample_db):  # nested: the same connection
            db.read_df("SELECT 1", path=sample_db)
    assert len(opened) == 1
    # Free again: another process can take the file for writing.
    out = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(sample_db)!r}).close()"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_the_cached_data_version_follows_a_write_at_once_and_reads_do_not_reopen(sample_db, monkeypatch):
    from heg_dash import store
    from heg_dash.queries import cache

    path = str(sample_db)
    before = cache.file_signature(path)
    version = db.data_version(path)
    assert cache.file_signature(path) == before, "a read leaves the file as it was"
    assert cache.current_version() == (path, version)
    opened = []
    real_open = db._open
    monkeypatch.setattr(db, "_open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    assert cache.current_version() == (path, version)
    assert opened == [], "no write since: the version is not read again"
    store.set_meta_value("test_key", "x", "tester", sample_db)  # a write, straight after (no waiting)
    assert cache.file_signature(path) != before
    assert cache.current_version() == (path, db.data_version(path)) != (path, version)


def test_version_5_adds_the_english_names_in_the_declared_order_and_keeps_the_rows(sample_db):
    import duckdb

    from heg_dash import datasets

    with duckdb.connect(str(sample_db)) as con:  # indicators as schema version 4 had them: no name_en
        old = [c for c in datasets.get("indicators").column_names if c != "name_en"]
        con.execute(f"CREATE TABLE t AS SELECT {', '.join(old)}, batch_id FROM indicators")
        con.execute("DROP TABLE indicators")
        con.execute("ALTER TABLE t RENAME TO indicators")
        db.set_meta(con, "schema_version", "4")
        names = con.execute("SELECT indicator_id, name FROM indicators ORDER BY 1").fetchall()
    with duckdb.connect(str(sample_db)) as con:
        schema.create_schema(con)
        columns = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                             "table_name = 'indicators' ORDER BY ordinal_position").fetchall()]
        assert columns == datasets.get("indicators").column_names + ["batch_id"]
        assert con.execute("SELECT indicator_id, name FROM indicators ORDER BY 1").fetchall() == names
        assert db.get_meta(con, "schema_version") == "5"
