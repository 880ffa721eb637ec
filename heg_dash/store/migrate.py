"""Copying a whole store from one engine to the other: ``migrate`` (DuckDB → PostgreSQL, or back), and backup and
restore on PostgreSQL, whose backups are the same DuckDB file as DuckDB's (one format, restorable on either
engine, checked by the same rules).

Every table of the store is copied as it is, the history, the audit log and the per-day sums included, read as
Arrow batches and bulk-loaded (COPY on PostgreSQL), in one transaction on the receiving side: a copy that fails
leaves the target as it was. A PostgreSQL source is read in one repeatable-read snapshot, so a copy taken while
the app writes is consistent.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from heg_dash.store import db, schema, setup
from heg_dash.store.backup_checks import validate_backup
from heg_dash.store.common import StoreRefused
from heg_dash.store.db import Target, q

# Meta keys a restore keeps from the database it restores into: its identity (so caches keyed by the data
# version never mistake old data for new) and the editor password (an old backup must not bring back an
# old password).
KEEP_ON_RESTORE = ("db_id", "data_version", "editor_password")
# Meta keys a migration leaves to the new store: its identity and its own data version.
KEEP_ON_MIGRATE = ("db_id", "data_version")

_ARROW = {"varchar": pa.string(), "character varying": pa.string(), "text": pa.string(), "bigint": pa.int64(),
          "integer": pa.int64(), "double": pa.float64(), "double precision": pa.float64(), "date": pa.date32(),
          "timestamp with time zone": pa.timestamp("us", "UTC"), "boolean": pa.bool_()}


def store_tables(con: Any) -> dict[str, pa.Schema]:
    """Every table of the store on ``con`` (its own schema; ``meta`` included) with its columns as Arrow types."""
    rows = con.execute(
        "SELECT table_name, column_name, lower(data_type) FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position").fetchall()
    columns: dict[str, list[pa.Field]] = {}
    for table, column, kind in rows:
        columns.setdefault(table, []).append(pa.field(column, _ARROW[kind]))
    return {table: pa.schema(fields) for table, fields in columns.items()}


def copy_tables(source: Any, target: Any, skip_meta: tuple[str, ...]) -> dict[str, int]:
    """Copy every table of ``source``'s store into ``target``'s (emptied first; same schema version), meta but
    the keys in ``skip_meta``, and continue the batch sequence after the copied history. Rows per table."""
    src, dst = db.engine_of(source), db.engine_of(target)
    tables = store_tables(source)
    wanted = store_tables(target)
    counts = {}
    for table, arrow_schema in tables.items():
        if table not in wanted:
            raise StoreRefused("data.restore_bad", file=db.describe(), reason=f"table {table} is unknown here")
        columns = arrow_schema.names
        if table == "meta":
            keep = ", ".join(f"'{k}'" for k in skip_meta)
            target.execute(f"DELETE FROM meta WHERE key NOT IN ({keep})" if skip_meta else "DELETE FROM meta")
            rows = source.execute(f"SELECT key, value FROM meta WHERE key NOT IN ({keep})" if skip_meta
                                  else "SELECT key, value FROM meta").fetchall()
            for key, value in rows:
                db.set_meta(target, key, value)
            counts[table] = len(rows)
            continue
        dst.empty_table(target, q(table))
        counts[table] = 0
        for batch in src.batches(source, q(table), columns, arrow_schema):
            if batch.num_rows:
                dst.append_arrow(target, q(table), pa.Table.from_batches([batch]), columns)
                counts[table] += batch.num_rows
    next_id = target.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches").fetchone()[0]
    dst.restart_sequence(target, "batch_seq", int(next_id))
    return counts


def row_counts(con: Any) -> dict[str, int]:
    return {table: int(con.execute(f"SELECT count(*) FROM {q(table)}").fetchone()[0])
            for table in store_tables(con) if table != "meta"}


@contextmanager
def _snapshot(source: Target) -> Iterator[Any]:
    """A connection to ``source`` reading one consistent state (a repeatable-read transaction on PostgreSQL; DuckDB's
    file lock keeps writers out meanwhile)."""
    with db.connect(source) as con:
        postgres = db.engine_of(con).name == "postgresql"
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if postgres else "BEGIN TRANSACTION")
        try:
            yield con
        finally:
            con.execute("ROLLBACK")


@contextmanager
def _checked_copy(file: Path, check: bool = True) -> Iterator[Path]:
    """A backup (or DuckDB store) checked by :func:`backup_checks.validate_backup` (unless checked already), copied
    and brought to this schema."""
    if check:
        validate_backup(file)
    with tempfile.TemporaryDirectory() as tmpdir:
        copy = Path(tmpdir) / "source.duckdb"
        shutil.copyfile(file, copy)
        with db.connect(copy) as con:
            schema.create_schema(con)
        yield copy


# ------------------------------------------------------------------------------------------ PostgreSQL

def backup_postgres(out: Path, source: Target) -> Path:
    """A PostgreSQL store's backup: the DuckDB file a DuckDB store's backup is, from one consistent snapshot, checked
    before it takes the name asked for."""
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with _snapshot(source) as src, db.connect(tmp, must_exist=False) as dst:
            schema.create_schema(dst)
            dst.execute("BEGIN TRANSACTION")
            copy_tables(src, dst, skip_meta=())
            dst.execute("COMMIT")
            dst.execute("CHECKPOINT")
        validate_backup(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    return out


def restore_postgres(file: Path, user: str | None, target: Target) -> None:
    """Replace a PostgreSQL store's contents with a backup's (checked by the caller) in one write transaction: the
    app's replicas read the old state until the commit, then the restored one (their caches follow the data
    version)."""
    with _checked_copy(file, check=False) as copy, db.connect(copy) as src, db.transaction(target) as dst:
        copy_tables(src, dst, skip_meta=KEEP_ON_RESTORE)
        db.audit(dst, user, "restore", None, None, Path(file).name)


# --------------------------------------------------------------------------------------------- migrate

def migrate(source: Target, target: Target, *, force: bool = False) -> dict[str, int]:
    """Copy the store at ``source`` into ``target`` (either engine each), with its whole history; returns the rows
    per table, checked equal on both sides.

    The target must hold no imported data (a new database, or a sample or empty store) unless ``force``. A DuckDB
    source is checked by the rules a restore applies first; the copy is one transaction (PostgreSQL) or a file
    renamed into place (DuckDB), so a failed migration leaves the target as it was.
    """
    source, target = db.target(source), db.target(target)
    if str(source) == str(target):
        raise StoreRefused("engines.migrate_same", store=db.describe(source))
    if db.engine(target).exists(target) and setup.has_data(target) and not force:
        raise StoreRefused("engines.migrate_has_data", store=db.describe(target))
    with _source(source) as src_store, _snapshot(src_store) as src:
        expected = row_counts(src)
        if db.engine(target).name == "postgresql":
            with db.transaction(target, must_exist=False) as dst:
                db.engine_of(dst).drop_tables(dst)
                schema.create_schema(dst)
                copy_tables(src, dst, skip_meta=KEEP_ON_MIGRATE)
                _same_counts(expected, row_counts(dst))  # else rolled back
        else:
            _fill_duckdb(src, Path(target), expected)
    return expected


def _same_counts(expected: dict[str, int], found: dict[str, int]) -> None:
    if found != expected:
        raise StoreRefused("engines.migrate_counts",
                           tables=sorted(t for t in expected.keys() | found.keys() if found.get(t) != expected.get(t)))


@contextmanager
def _source(source: Target) -> Iterator[Target]:
    if db.engine(source).name == "duckdb":
        if not Path(source).is_file():
            raise StoreRefused("data.restore_missing", file=source)
        with _checked_copy(Path(source)) as copy:
            yield copy
        return
    if not db.engine(source).exists(source):
        raise StoreRefused("engines.migrate_no_store", store=db.describe(source))
    setup.ensure_database(source)  # brought to this version's schema, as any command would
    yield source


def _fill_duckdb(src: Any, target: Path, expected: dict[str, int]) -> None:
    """A new DuckDB file beside ``target`` filled from ``src``, renamed into place once its counts are right."""
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with db.connect(tmp, must_exist=False) as dst:
            schema.create_schema(dst)
            dst.execute("BEGIN TRANSACTION")
            copy_tables(src, dst, skip_meta=KEEP_ON_MIGRATE)
            dst.execute("COMMIT")
            dst.execute("CHECKPOINT")
            _same_counts(expected, row_counts(dst))
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    Path(str(target) + ".wal").unlink(missing_ok=True)
    os.replace(tmp, target)
