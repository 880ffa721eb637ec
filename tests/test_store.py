"""The store's write rules: natural keys, unchanged rows, readings overlaps, --replace, exact undo and its
refusals, clearing the sample, backup and restore. Every check compares full table contents. On both engines."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from heg_dash import i18n, store
from heg_dash.store import db
from heg_dash.store import imports as importing
from tests.data_support import (
    BUILDING_CSV,
    CAMPUS_CSV,
    FIXTURES,
    GSRN,
    METER_CSV,
    assert_same,
    batches,
    hours,
    readings_csv,
    scalar,
    snapshot,
)

pytestmark = pytest.mark.engines


@pytest.fixture(autouse=True)
def _danish():
    with i18n.language("da"):
        yield


def load(dataset: str, content: bytes, name: str = "f.csv", *, replace: bool = False, fmt: str = "auto",
         clear_sample: bool = False) -> importing.Summary:
    parsed = importing.read_upload(dataset, name, content, fmt, exclude_sample=clear_sample)
    assert parsed.problems == [], [p.text() for p in parsed.problems]
    return importing.apply(parsed, replace=replace, user="tester", file_name=name,
                           sha256=parsed.digest, clear_sample=clear_sample)  # as the CLI: awaited at the batch


def stored_readings(path, meter: str, lo: str, hi: str) -> pd.DataFrame:
    return db.read_df("SELECT meter_id, start, \"end\", value, quality, batch_id FROM readings WHERE meter_id = ? "
                      "AND start >= CAST(? AS TIMESTAMPTZ) AND start < CAST(? AS TIMESTAMPTZ) ORDER BY start",
                      [meter, lo, hi], path=path)


def temp_objects() -> int:
    """Temp tables and views left on the connection (of the store's engine) and incoming rows held back."""
    with db.connect() as con:
        if db.engine_of(con).name == "postgresql":
            held = con.pending is not None
            return held + con.execute("SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema() "
                                      "AND relkind IN ('r', 'v')").fetchone()[0]
    return (db.read_df("SELECT count(*) AS n FROM duckdb_tables() WHERE temporary")["n"][0]
            + db.read_df("SELECT count(*) AS n FROM duckdb_views() WHERE temporary AND view_name LIKE '\\_inc%' "
                         "ESCAPE '\\'")["n"][0])


# ------------------------------------------------------------------------------------------ idempotence

def test_reimporting_the_same_file_changes_nothing_and_records_no_batch(sample_db):
    content = readings_csv(hours("HOB-A-EL", "2024-01-10", [5.0, 6.0, 7.0]))
    first = load("readings", content)
    assert (first.added, first.replaced, first.unchanged) == (0, 3, 0)
    after_first, version = snapshot(sample_db), db.data_version(sample_db)
    n_batches = len(batches(sample_db))
    again = load("readings", content)
    assert again.batch_id is None and (again.added, again.replaced, again.unchanged) == (0, 0, 3)
    assert_same(snapshot(sample_db), after_first)
    assert len(batches(sample_db)) == n_batches
    assert scalar(sample_db, "SELECT count(*) FROM audit_log WHERE action = 'import_unchanged'") == 1
    assert db.data_version(sample_db) != version  # harmless: the version only ever moves on


def test_the_upload_carries_the_files_sha256_into_its_batch(sample_db):
    content = readings_csv(hours("HOB-A-EL", "2024-01-10", [5.0, 6.0]))
    parsed = importing.read_upload("readings", "d.csv", content)
    assert parsed.sha256 == hashlib.sha256(content).hexdigest() == importing.sha256(content)
    summary = load("readings", content, "d.csv")
    stored = batches(sample_db).set_index("batch_id").loc[summary.batch_id, "sha256"]
    assert stored == hashlib.sha256(content).hexdigest()
    table = importing.parse_table("targets", pd.DataFrame(), "edit")
    assert table.sha256 is None  # an edited table is no file


def test_rows_identical_to_the_stored_ones_are_unchanged_not_rewritten(sample_db):
    stored = stored_readings(sample_db, "HOB-A-EL", "2024-01-10 00:00+01", "2024-01-10 02:00+01")
    same = [(r.meter_id, r.start.isoformat(), r.end.isoformat(), r.value) for r in stored.itertuples()]
    content = readings_csv(same + hours("HOB-A-EL", "2024-01-10", [0, 0, 9.5])[2:])
    summary = load("readings", content)
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 2)
    rows = stored_readings(sample_db, "HOB-A-EL", "2024-01-10 00:00+01", "2024-01-10 03:00+01")
    assert rows["batch_id"].tolist() == [stored["batch_id"].iloc[0]] * 2 + [summary.batch_id]


def test_keyed_upsert_replaces_changed_rows_and_keeps_the_old_ones_in_history(sample_db):
    before = snapshot(sample_db)["targets"]
    row = before[before["key"] == "aarselever"].iloc[0]
    content = ("key,value,year,direction,baseline_year,baseline_value,annual_rate,source\n"
               f"aarselever,1900,2028,higher,{row.baseline_year},{row.baseline_value},0.05,Strategi 2028\n"
               "ny_maal,10,2030,lower,2024,20,,eksempel\n").encode()
    summary = load("targets", content)
    assert (summary.added, summary.replaced) == (1, 1)
    after = snapshot(sample_db)
    assert len(after["targets"]) == len(before) + 1
    assert after["targets"].set_index("key").loc["aarselever", "value"] == 1900
    history = after["targets__replaced"]
    assert history["value"].tolist() == [row.value] and history["replaced_by"].tolist() == [summary.batch_id]


# ---------------------------------------------------------------------------------------------- readings

def test_an_imported_interval_replaces_every_stored_interval_it_overlaps(sample_db):
    # One daily reading replaces the 24 stored hourly readings of that local day, and nothing else.
    content = readings_csv([("HOB-A-EL", "2024-01-10T00:00:00+01:00", "2024-01-11T00:00:00+01:00", 500.0)])
    before = stored_readings(sample_db, "HOB-A-EL", "2024-01-09 00:00+01", "2024-01-12 00:00+01")
    summary = load("readings", content)
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 0)
    after = stored_readings(sample_db, "HOB-A-EL", "2024-01-09 00:00+01", "2024-01-12 00:00+01")
    assert len(after) == len(before) - 23
    assert after[after["batch_id"] == summary.batch_id]["value"].tolist() == [500.0]
    # The reverse: hourly readings over a stored daily heat reading replace it.
    content = readings_csv(hours("HOB-A-FV", "2024-01-10", [10.0] * 3))
    summary = load("readings", content)
    assert (summary.added, summary.replaced) == (0, 3)


def test_readings_replace_covers_the_meters_and_period_in_the_file(sample_db):
    other_meter = stored_readings(sample_db, "HOB-B-EL", "2024-01-10 00:00+01", "2024-01-11 00:00+01")
    # The file has hours 00-01 and 05-06 only: with --replace the hours between go too.
    rows = hours("HOB-A-EL", "2024-01-10", [1.0, 1.0]) [:1] + hours("HOB-A-EL", "2024-01-10", [0] * 5 + [2.0])[5:]
    summary = load("readings", readings_csv(rows), replace=True)
    assert (summary.added, summary.replaced, summary.removed) == (0, 2, 4)
    day = stored_readings(sample_db, "HOB-A-EL", "2024-01-10 00:00+01", "2024-01-11 00:00+01")
    assert len(day) == 24 - 6 + 2
    pd.testing.assert_frame_equal(
        stored_readings(sample_db, "HOB-B-EL", "2024-01-10 00:00+01", "2024-01-11 00:00+01"), other_meter)
    # Without --replace the same file would only have replaced the two hours it names.


def test_intervals_overlapping_within_one_file_are_refused(sample_db):
    content = readings_csv([("HOB-A-EL", "2024-01-10T00:00:00+01:00", "2024-01-10T02:00:00+01:00", 1.0),
                            ("HOB-A-EL", "2024-01-10T01:00:00+01:00", "2024-01-10T03:00:00+01:00", 1.0)])
    before = snapshot(sample_db)
    parsed = importing.read_upload("readings", "o.csv", content)
    preview = importing.preview(parsed)
    assert [p.key for p in preview.problems] == ["data.overlap_in_file"]
    assert preview.problems[0].text().startswith("o.csv, række 3, kolonne start: intervallet overlapper række 2")
    with pytest.raises(store.StoreRefused):
        importing.apply(parsed, user="t", file_name="o.csv", sha256=None)
    assert_same(snapshot(sample_db), before)


@pytest.mark.parametrize(("day", "replaced"), [("2024-01-10", 3), ("2031-01-10", 0)])  # stored hours / new ones
def test_a_failed_import_on_a_shared_connection_leaves_nothing_and_the_next_one_works(sample_db, monkeypatch, day,
                                                                                      replaced):
    """The CLI reads the context and writes on one connection (db.session): a write that fails late, after
    its rows are inserted, still rolls back whole, and the same connection then imports normally. (A file of
    new hours is staged as a view of its Arrow rows, one that meets stored rows as a table.)"""
    before, n_batches = snapshot(sample_db), len(batches(sample_db))
    content = readings_csv(hours("HOB-A-EL", day, [5.0, 6.0, 7.0]))

    def fail(con, days=None):
        raise RuntimeError("disk full")

    def failing_import() -> None:
        parsed = importing.read_upload("readings", "s.csv", content)
        with monkeypatch.context() as patch:
            patch.setattr(store.rollup, "refresh", fail)  # after the insert: stored rows met
            patch.setattr(store.rollup, "store_new_days", fail)  # after the insert: new hours
            with pytest.raises(RuntimeError, match="disk full"):
                importing.apply(parsed, user="t", file_name="s.csv", sha256=parsed.sha256)
        assert temp_objects() == 0

    with db.session(sample_db):
        failing_import()
    assert_same(snapshot(sample_db), before)
    assert len(batches(sample_db)) == n_batches
    with db.session(sample_db):
        failing_import()
        summary = load("readings", content, "s.csv")
    assert (summary.added, summary.replaced) == (3 - replaced, replaced)
    assert len(batches(sample_db)) == n_batches + 1


def test_eloverblik_dst_days_end_to_end_25_and_23_hours(empty_db):
    load("campuses", CAMPUS_CSV)
    load("buildings", BUILDING_CSV)
    load("meters", METER_CSV)
    autumn = load("readings", (FIXTURES / "eloverblik_2024-10-27.csv").read_bytes(), "elo-okt.csv")
    spring = load("readings", (FIXTURES / "eloverblik_2024-03-31.csv").read_bytes(), "elo-mar.csv")
    assert autumn.added == 25 and spring.added == 23
    day = stored_readings(empty_db, "HOB-A-EL", "2024-10-26 22:00+00", "2024-10-27 23:00+00")
    assert len(day) == 25 and day["start"].is_unique
    assert (day["end"] - day["start"]).eq(pd.Timedelta(hours=1)).all()
    # Consecutive: the repeated 02:00 is two distinct UTC hours, 00:00 and 01:00.
    assert (day["start"].iloc[1:].to_numpy() == day["end"].iloc[:-1].to_numpy()).all()
    march = stored_readings(empty_db, "HOB-A-EL", "2024-03-30 23:00+00", "2024-03-31 22:00+00")
    assert len(march) == 23 and (march["end"] - march["start"]).eq(pd.Timedelta(hours=1)).all()
    assert (march["start"].iloc[1:].to_numpy() == march["end"].iloc[:-1].to_numpy()).all()
    # Importing the export again changes nothing.
    again = load("readings", (FIXTURES / "eloverblik_2024-10-27.csv").read_bytes(), "elo-okt.csv")
    assert again.batch_id is None and again.unchanged == 25


def test_register_reads_become_interval_use(empty_db):
    load("campuses", CAMPUS_CSV)
    load("buildings", BUILDING_CSV)
    load("meters", b"meter_id,building_id,utility,unit\nVAND-1,HOB-A,water,m3\nVAND-2,HOB-A,water,m3\n")
    content = (b"meter_id,read_at,register_value\nVAND-1,2024-03-01 08:00,1000.5\nVAND-2,2024-03-01 09:00,50\n"
               b"VAND-1,2024-02-01 08:00,990\nVAND-1,2024-04-02 07:30,1012.5\nVAND-2,2024-04-01 09:00,55\n")
    summary = load("readings", content, "register.csv")
    assert (summary.added, summary.replaced) == (3, 0)
    total = scalar(empty_db, "SELECT sum(value) FROM readings WHERE meter_id = 'VAND-1'")
    assert total == pytest.approx(1012.5 - 990)
    first = scalar(empty_db, "SELECT min(start) FROM readings WHERE meter_id = 'VAND-1'")
    assert first == pd.Timestamp("2024-02-01 07:00", tz="UTC")  # 08:00 Danish winter time


# ------------------------------------------------------------------------------------------------ replace

def test_replace_replaces_the_whole_dataset_and_warns_about_references(sample_db):
    before = snapshot(sample_db)
    content = b"campus_id,name,address,lat,lon\nHOB,Campus Hobro,Kirketoften 7,56.64,9.79\n"
    parsed = importing.read_upload("campuses", "c.csv", content)
    preview = importing.preview(parsed, replace=True)
    assert preview.replaced >= 1 and any(w.key == "data.dangling" for w in preview.warnings)
    assert_same(snapshot(sample_db), before)  # a preview never changes the store
    summary = importing.apply(parsed, replace=True, user="t", file_name="c.csv", sha256=None)
    assert scalar(sample_db, "SELECT count(*) FROM campuses") == 1
    importing.undo(summary.batch_id, "t")
    assert_same(snapshot(sample_db), before)


def test_references_are_checked_against_the_store(sample_db):
    parsed = importing.read_upload("buildings", "b.csv", BUILDING_CSV.replace(b"HOB-A,HOB", b"NY-1,XXX"))
    assert [p.key for p in parsed.problems] == ["imp.unknown_reference"]


# --------------------------------------------------------------------------------------------------- undo

def test_undo_restores_exactly_the_state_before(sample_db):
    before = snapshot(sample_db)
    s1 = load("readings", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0] * 30)))
    s2 = load("targets", b"key,value,year,direction,baseline_year,baseline_value,annual_rate,source\n"
                         b"aarselever,1999,2028,higher,2023,1384,0.05,Strategi 2028\n")
    assert s1.replaced == 30 and s2.replaced == 1
    importing.undo(s2.batch_id, "t")
    importing.undo(s1.batch_id, "t")
    assert_same(snapshot(sample_db), before)
    listed = store.batches()
    assert listed["batch_id"].iloc[0] == s2.batch_id  # newest first
    assert listed.set_index("batch_id").loc[[s1.batch_id, s2.batch_id], "undone_at"].notna().all()


def test_undo_is_refused_while_a_later_batch_touched_the_same_rows(sample_db):
    before = snapshot(sample_db)
    s1 = load("readings", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0])))
    s2 = load("readings", readings_csv(hours("HOB-A-EL", "2024-01-10", [3.0])))
    with pytest.raises(store.StoreRefused) as refused:
        importing.undo(s1.batch_id, "t")
    assert refused.value.key == "data.undo_later" and refused.value.values["later"] == [s2.batch_id]
    assert f"senere batch {s2.batch_id}" in refused.value.text()
    importing.undo(s2.batch_id, "t")
    importing.undo(s1.batch_id, "t")
    assert_same(snapshot(sample_db), before)
    with pytest.raises(store.StoreRefused, match="undo_already"):
        importing.undo(s1.batch_id, "t")
    with pytest.raises(store.StoreRefused, match="undo_unknown"):
        importing.undo(99999, "t")


def test_undo_is_refused_when_a_later_batch_wrote_where_removed_rows_would_return(sample_db):
    header = "key,value,year,direction,baseline_year,baseline_value,annual_rate,source\n"
    targets = snapshot(sample_db)["targets"]
    keep = targets[targets["key"] != "aarselever"]
    body = "".join(f"{r.key},{r.value},{r.year},{r.direction},{r.baseline_year},{r.baseline_value},"
                   f"{'' if pd.isna(r.annual_rate) else r.annual_rate},{r.source}\n" for r in keep.itertuples())
    s1 = load("targets", (header + body).encode(), replace=True)  # removes aarselever
    assert (s1.added, s1.replaced, s1.removed) == (0, 0, 1)
    s2 = load("targets", (header + "aarselever,1800,2028,higher,2023,1384,0.05,Strategi 2028\n").encode())
    with pytest.raises(store.StoreRefused) as refused:
        importing.undo(s1.batch_id, "t")
    assert refused.value.values["later"] == [s2.batch_id]


# ------------------------------------------------------------------------------------------ sample data

def test_first_real_import_can_clear_the_sample_as_its_own_undoable_batch(sample_db):
    before = snapshot(sample_db)
    assert "campuses" in db.sample_datasets(sample_db)
    summary = load("campuses", CAMPUS_CSV, clear_sample=True)
    assert summary.cleared_batch_id is not None and summary.batch_id == summary.cleared_batch_id + 1
    assert db.sample_datasets(sample_db) == set()
    assert scalar(sample_db, "SELECT count(*) FROM readings") == 0
    assert scalar(sample_db, "SELECT count(*) FROM campuses") == 1
    importing.undo(summary.batch_id, "t")
    importing.undo(summary.cleared_batch_id, "t")
    assert_same(snapshot(sample_db), before)
    assert "readings" in db.sample_datasets(sample_db)


def test_undoing_the_sample_clear_is_refused_after_real_data_took_the_same_keys(sample_db):
    batch = store.clear_sample("t")
    load("campuses", CAMPUS_CSV)  # HOB again, now real
    with pytest.raises(store.StoreRefused, match="undo_later"):
        importing.undo(batch, "t")


# ----------------------------------------------------------------------------------------- backup/restore

def test_backup_and_restore_bring_back_exactly_the_backed_up_state(sample_db, tmp_path):
    before = snapshot(sample_db)
    out = store.backup(tmp_path / "backup.duckdb")
    load("readings", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0] * 5)))
    store.clear_sample("t")
    version = db.data_version(sample_db)
    counts = store.restore(out, "t")
    assert counts["readings"] == before["readings"]["n"].iloc[0]
    assert_same(snapshot(sample_db), before)
    assert db.data_version(sample_db) != version
    # Batch ids go on from the restored history.
    summary = load("targets", b"key,value,year,direction,baseline_year,baseline_value,annual_rate,source\n"
                              b"x,1,2030,higher,2024,0,,eksempel\n")
    assert summary.batch_id == int(batches(sample_db)["batch_id"].max())


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(sample_db, tmp_path):
    before = snapshot(sample_db)
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(store.StoreRefused, match="restore_bad"):
        store.restore(bad, "t")
    other = tmp_path / "other.duckdb"
    import duckdb

    duckdb.connect(str(other)).close()
    with pytest.raises(store.StoreRefused, match="restore_bad"):
        store.restore(other, "t")
    with pytest.raises(store.StoreRefused, match="restore_missing"):
        store.restore(tmp_path / "missing.duckdb", "t")
    assert_same(snapshot(sample_db), before)


def test_gsrn_meters_known_keys_exclude_sample_when_clearing(sample_db):
    with db.connect(sample_db) as con:
        meters, known = store.import_context(con, "readings")
        stored = con.execute("SELECT count(*) FROM meters").fetchone()[0]
        assert len(meters) == stored > 0 and ("meters", "meter_id") in known
        meters, known = store.import_context(con, "readings", exclude_sample=True)
        assert meters.empty and known[("meters", "meter_id")] == set()
    assert GSRN  # the shared test GSRN is the fixture files' metering point


def test_quality_panel_lists_a_meter_without_readings(sample_db):
    from heg_dash.queries import data as data_queries

    meter = pd.DataFrame([("NEW-EL", "HOB-A", "electricity", "kWh", None, None)],
                         columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])
    store.write("meters", meter, user="test")
    row = data_queries.meter_quality().set_index("meter_id").loc["NEW-EL"]
    assert (row["rows"], row["gaps"], row["issues"]) == (0, 0, ("no_readings",))


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)  # DuckDB's log and file
def test_a_big_commit_goes_to_the_file_at_once_not_through_the_log(sample_db):
    """DuckDB logs a commit and copies the log into the file at the close; for an import's megabytes of rows
    the commit checkpoints instead (db.CHECKPOINT_THRESHOLD), so they are written once."""
    rows = hours("HOB-A-EL", "2031-01-01", [1.0] * 30_000)
    with db.session(sample_db):
        assert load("readings", readings_csv(rows), "stor.csv").added == 30_000
        wal = Path(str(sample_db) + ".wal")
        assert not wal.exists() or wal.stat().st_size < 100_000  # still open: a log would be there now
