"""``heg-dash migrate`` between the engines: a school's data with its history (batches, undo, audit), checked by row
counts and the KPI contract; backups that restore on either engine."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from heg_dash import cli, store
from heg_dash.cli.engines import differences
from heg_dash.store import db, pg_connection
from heg_dash.store import imports as importing
from heg_dash.store.migrate import migrate, row_counts
from tests.data_support import assert_same, batches, hours, readings_csv, snapshot

POSTGRESQL = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)


@pytest.fixture
def new_pg(pg_cluster, request):
    """A new PostgreSQL database with no store in it: its URL, dropped after the test."""
    name = f"mig_{request.node.name[-20:].strip('[]').replace('[', '_')}".lower()
    url = pg_cluster.create_database(name)
    yield url
    pg_connection.close_idle(url)
    pg_cluster.drop_database(name)


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.setenv("HEG_DASH_LANG", "en")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def kpis_json(capsys, target, year: int, campus: str | None = None) -> dict:
    with db.using(target):
        code, out, err = run(capsys, "kpis", "--year", str(year), "--json", *(["--campus", campus] if campus else []))
    assert code == 0, err
    return json.loads(out)


def assert_same_contents(a, b) -> None:
    """The same rows in every dataset table and its history on two stores of either engine, every table in full (each
    engine's row hash is its own; empty frames may differ in dtype only)."""
    left, right = snapshot(a), snapshot(b)
    assert left.keys() == right.keys()
    for table, frame in left.items():
        if list(frame.columns) == ["n", "h"]:  # a big table: read in full on both sides
            order = ", ".join(str(i) for i in range(1, len(db.read_df(f'SELECT * FROM "{table}" LIMIT 0', path=a)
                                                            .columns) + 1))
            whole = f'SELECT * FROM "{table}" ORDER BY {order}'
            pd.testing.assert_frame_equal(db.read_df(whole, path=a), db.read_df(whole, path=b), obj=table)
        else:
            pd.testing.assert_frame_equal(frame, right[table], obj=table, check_dtype=not frame.empty,
                                          check_index_type=not frame.empty)


def counts(target) -> dict[str, int]:
    with db.connect(target) as con:
        return row_counts(con)


def load(content: bytes) -> int:
    parsed = importing.read_upload("readings", "r.csv", content)
    return importing.apply(parsed, replace=False, user="t", file_name="r.csv", sha256=None).batch_id


def test_migrate_copies_the_history_and_the_key_figures_agree(sample_db, new_pg, capsys):
    kept = load(readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0] * 30)))
    undone = load(readings_csv(hours("HOB-A-EL", "2024-02-10", [2.0] * 30)))
    importing.undo(undone, "t")

    code, out, err = run(capsys, "migrate", "--from", str(sample_db), "--to", new_pg)
    assert code == 0, err
    assert "the key figures are the same" in out
    assert counts(new_pg) == counts(sample_db)
    assert_same_contents(new_pg, sample_db)
    a, b = batches(sample_db), batches(new_pg)
    assert a["batch_id"].tolist() == b["batch_id"].tolist() and b["undone_at"].notna().sum() == 1
    # The command compared every year; once more here, as a scheduled job reads it. The engines add floating-point
    # numbers in their own order, so the last digits may differ (within the command's relative 1e-9).
    assert differences(kpis_json(capsys, sample_db, 2025, "AAR"), kpis_json(capsys, new_pg, 2025, "AAR")) == []

    # The history goes on working on the new engine: undo the kept batch, and new batches continue the ids.
    with db.using(new_pg):
        importing.undo(kept, "t")
        again = load(readings_csv(hours("HOB-A-EL", "2024-03-10", [3.0] * 5)))
    assert again > max(a["batch_id"])
    # The identity of the new store is its own.
    assert db.read_df("SELECT value FROM meta WHERE key = 'db_id'", path=new_pg)["value"][0] != \
        db.read_df("SELECT value FROM meta WHERE key = 'db_id'", path=sample_db)["value"][0]


@POSTGRESQL
def test_migrate_back_to_a_duckdb_file(sample_db, tmp_path, capsys):
    out_file = tmp_path / "back.duckdb"
    code, _, err = run(capsys, "migrate", "--from", sample_db, "--to", str(out_file))
    assert code == 0, err
    assert counts(out_file) == counts(sample_db)
    assert_same_contents(out_file, sample_db)


def test_migrate_refuses_a_target_with_imported_data_and_changes_nothing(sample_db, new_pg, capsys):
    migrate(sample_db, new_pg)  # the store function: the command's KPI check is tested above
    with db.using(new_pg):
        load(readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0] * 3)))
    before = snapshot(new_pg)
    code, _, err = run(capsys, "migrate", "--from", str(sample_db), "--to", new_pg)
    assert code == 2 and "--force" in err
    assert_same(snapshot(new_pg), before)
    with pytest.raises(store.StoreRefused, match="migrate_has_data"):
        migrate(sample_db, new_pg)
    migrate(sample_db, new_pg, force=True)
    assert_same_contents(new_pg, sample_db)


def test_migrate_refuses_the_same_store_and_a_missing_file(sample_db, tmp_path, capsys):
    assert run(capsys, "migrate", "--from", str(sample_db), "--to", str(sample_db))[0] == 2
    assert run(capsys, "migrate", "--from", str(tmp_path / "none.duckdb"), "--to", str(tmp_path / "x.duckdb"))[0] == 2
    assert not (tmp_path / "x.duckdb").exists()


@POSTGRESQL
def test_a_postgresql_backup_restores_on_duckdb(sample_db, empty_db_template, tmp_path, capsys):
    load(readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0] * 30)))
    backup = store.backup(tmp_path / "pg.duckdb")
    duck = tmp_path / "restored.duckdb"
    duck.write_bytes(empty_db_template.read_bytes())
    store.restore(backup, "t", path=duck)
    assert_same_contents(duck, sample_db)
    # The other way, a backup restored onto PostgreSQL, is test_store's backup test on PostgreSQL: the same file
    # format whichever engine wrote it. Each backup and restore checks every row (slow on a busy machine).
