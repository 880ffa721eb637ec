"""The store: schema for every dataset, versions, first start, lock handling (DuckDB's file lock, PostgreSQL's
write lock), on both engines where the behaviour is the engines' common contract."""

import os
import subprocess
import sys
import time

import duckdb
import pytest

from heg_dash import config
from heg_dash.datasets import DATASETS
from heg_dash.store import db, schema, setup


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema() "
        "ORDER BY ordinal_position", [table]).fetchall()]


@pytest.mark.engines
def test_schema_has_a_table_per_dataset_with_the_declared_columns(empty_db):
    with db.connect() as con:
        for ds in DATASETS.values():
            assert _columns(con, ds.table) == [*ds.column_names, "batch_id"], ds.name
        assert db.get_meta(con, "schema_version") == str(schema.SCHEMA_VERSION)


@pytest.mark.engines
def test_timestamps_are_stored_in_utc(sample_db):
    with db.connect() as con:
        kind = con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'readings' "
                           "AND column_name = 'start' AND table_schema = current_schema()").fetchone()[0]
        first = con.execute("SELECT min(start) FROM readings").fetchone()[0]
    assert kind.upper() == "TIMESTAMP WITH TIME ZONE"
    assert first.utcoffset().total_seconds() == 0 and first.isoformat() == "2018-12-31T23:00:00+00:00"


@pytest.mark.engines
def test_every_write_bumps_the_data_version(empty_db):
    before = db.data_version()
    with db.transaction() as con:
        db.new_batch(con, "targets", "edit", user="test")
    assert db.data_version() != before


@pytest.mark.engines
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


@pytest.mark.engines
def test_init_refuses_to_replace_imported_data_without_force(empty_db):
    with db.transaction() as con:
        db.new_batch(con, "campuses", "import", user="test", file_name="c.csv")
    with pytest.raises(FileExistsError):
        setup.init_db(empty_db, sample=False)
    setup.init_db(empty_db, sample=False, force=True)
    assert not setup.has_data()


@pytest.mark.engines
def test_sample_datasets_are_reported(sample_db):
    assert {"readings", "activity", "buildings"} <= db.sample_datasets()


@pytest.mark.engines
def test_migrations_apply_in_order(empty_db, monkeypatch):
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 1, ["CREATE TABLE extra_one (x INT)"])
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 2, ["ALTER TABLE extra_one ADD COLUMN y INT"])
    setup.ensure_database(empty_db)
    with db.connect() as con:
        assert db.get_meta(con, "schema_version") == str(schema.SCHEMA_VERSION + 2)
        assert _columns(con, "extra_one") == ["x", "y"]


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


# ------------------------------------------------------------------------------------------------ PostgreSQL

POSTGRESQL = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)


@POSTGRESQL
def test_first_start_on_postgresql_fills_a_new_database_once_however_many_replicas_start(pg_cluster, engine):
    import threading

    from heg_dash.store import pg_connection

    url = pg_cluster.create_database("first_start")
    try:
        results: list[bool] = []
        starts = [threading.Thread(target=lambda: results.append(setup.ensure_database(url))) for _ in range(3)]
        for thread in starts:
            thread.start()
        for thread in starts:
            thread.join()
        assert sorted(results) == [False, False, True]  # one replica filled it, the others found it made
        assert db.read_df("SELECT count(*) AS n FROM import_batches WHERE kind = 'sample'", path=url)["n"][0] \
            == len(DATASETS)
        assert db.read_df("SELECT count(*) AS n FROM readings", path=url)["n"][0] > 100_000
    finally:
        pg_connection.close_idle(url)
        pg_cluster.drop_database("first_start")


@POSTGRESQL
def test_an_empty_postgresql_store_is_never_filled(empty_db):
    assert setup.ensure_database(empty_db) is False
    assert db.read_df("SELECT count(*) AS n FROM readings")["n"][0] == 0


@POSTGRESQL
def test_a_postgresql_write_waits_for_another_then_reports_busy_while_readers_go_on(empty_db, monkeypatch):
    import threading

    monkeypatch.setenv("HEG_DASH_LOCK_TIMEOUT_S", "0.5")
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.transaction() as con:
            db.new_batch(con, "targets", "edit", user="first")
            holding.set()
            release.wait(30)

    first = threading.Thread(target=writer)
    first.start()
    try:
        assert holding.wait(30)
        started = time.monotonic()
        with pytest.raises(db.DatabaseBusy, match="busy"), db.transaction():
            pass
        assert time.monotonic() - started >= 0.5
        # Readers are not kept waiting, and see the last committed state.
        assert db.read_df("SELECT count(*) AS n FROM import_batches")["n"][0] == 0
    finally:
        release.set()
        first.join()
    monkeypatch.setenv("HEG_DASH_LOCK_TIMEOUT_S", "20")
    release.clear()
    holding.clear()
    first = threading.Thread(target=writer)
    first.start()
    assert holding.wait(30)
    threading.Timer(0.5, release.set).start()
    with db.transaction() as con:  # waits for the first write, then goes ahead
        db.new_batch(con, "targets", "edit", user="second")
    first.join()
    # The first phase's writer committed once released; the second phase's, then the one that waited for it.
    assert db.read_df("SELECT user_name FROM import_batches ORDER BY batch_id")["user_name"].tolist() == [
        "first", "first", "second"]


@POSTGRESQL
def test_the_cached_version_on_postgresql_is_read_once_per_page_run_and_follows_another_process(sample_db,
                                                                                              monkeypatch):
    from heg_dash import store
    from heg_dash.queries import cache

    reads = []
    real = db.data_version
    monkeypatch.setattr(db, "data_version", lambda path=None: reads.append(1) or real(path))
    with db.session():
        first = cache.current_version()
        assert cache.current_version() == first and len(reads) == 1
        out = subprocess.run([sys.executable, "-m", "heg_dash", "set-password"], input="a long password\n",
                             capture_output=True, text=True, timeout=120, env=dict(os.environ))
        assert out.returncode == 0, out.stderr
        assert cache.current_version() == first  # the same page run: one version throughout
        store.set_meta_value("x", "y", "tester")  # the run's own write: read again
        assert cache.current_version() != first
    with db.session():
        assert cache.current_version()[1] == db.data_version()  # the next run: what the other process wrote


@POSTGRESQL
def test_a_server_that_cannot_be_reached_or_a_missing_database_is_named_without_the_password(pg_cluster, engine):
    url = pg_cluster.url("no_such_database").replace("postgres@", "postgres:secret@")
    with pytest.raises(db.DatabaseMissing, match="no_such_database") as missing, db.connect(url):
        pass
    assert "secret" not in str(missing.value)
    with pytest.raises(db.DatabaseUnreachable) as unreachable, db.connect("postgresql://me:secret@127.0.0.1:1/x"):
        pass
    assert "secret" not in str(unreachable.value) and "127.0.0.1:1" in str(unreachable.value)
    fresh = pg_cluster.create_database("no_store_yet")
    try:
        with pytest.raises(db.DatabaseMissing, match="init"), db.connect(fresh):
            pass
    finally:
        pg_cluster.drop_database("no_store_yet")


# ------------------------------------------------------------------------------------------- schema versions


def _as_older_version(con, version: int, dropped: dict[str, list[str]]) -> None:
    """Make the store look like schema ``version`` had it: each table (and its history) without ``dropped``'s
    columns."""
    for table, columns in dropped.items():
        for name in (table, table + "__replaced"):
            kept = ", ".join(db.q(c) for c in _columns(con, name) if c not in columns)
            con.execute(f"CREATE TABLE old_copy AS SELECT {kept} FROM {db.q(name)}")
            con.execute(f"DROP TABLE {db.q(name)}")
            con.execute(f"ALTER TABLE old_copy RENAME TO {db.q(name)}")
    db.set_meta(con, "schema_version", str(version))


@pytest.mark.engines
def test_version_5_adds_the_english_names_in_the_declared_order_and_keeps_the_rows(sample_db):
    from heg_dash import datasets

    with db.transaction() as con:  # indicators as schema version 4 had them: no name_en
        _as_older_version(con, 4, {"indicators": ["name_en"]})
        names = con.execute("SELECT indicator_id, name FROM indicators ORDER BY 1").fetchall()
    setup.ensure_database(sample_db)  # as the app or a command opening the store
    with db.connect() as con:
        assert _columns(con, "indicators") == datasets.get("indicators").column_names + ["batch_id"]
        assert con.execute("SELECT indicator_id, name FROM indicators ORDER BY 1").fetchall() == names
        assert db.get_meta(con, "schema_version") == "5"


@pytest.mark.engines
def test_versions_4_and_5_rebuild_the_initiatives_and_their_history_in_the_declared_order(sample_db):
    from heg_dash import datasets

    ds = datasets.get("initiatives")
    added = ["title_en", "utility", "meter_ids", "installed_from", "installed_to", "expected_saving_pct",
             "baseline_months"]
    with db.transaction() as con:  # schema version 3: initiatives without the savings columns or title_en
        con.execute("INSERT INTO initiatives__replaced SELECT *, batch_id FROM initiatives LIMIT 2")
        _as_older_version(con, 3, {"initiatives": added})
        rows = con.execute("SELECT initiative_id, title, batch_id FROM initiatives ORDER BY 1").fetchall()
        history = con.execute("SELECT initiative_id, replaced_by FROM initiatives__replaced ORDER BY 1").fetchall()
    setup.ensure_database(sample_db)
    with db.connect() as con:
        assert _columns(con, "initiatives") == [*ds.column_names, "batch_id"]
        assert _columns(con, "initiatives__replaced") == [*ds.column_names, "batch_id", "replaced_by"]
        assert con.execute("SELECT initiative_id, title, batch_id FROM initiatives ORDER BY 1").fetchall() == rows
        assert con.execute("SELECT initiative_id, replaced_by FROM initiatives__replaced ORDER BY 1").fetchall() \
            == history and len(history) == 2
        assert con.execute(f"SELECT count(*) FROM initiatives WHERE {' IS NOT NULL OR '.join(added)} IS NOT NULL"
                           ).fetchone()[0] == 0
        assert db.get_meta(con, "schema_version") == "5"
