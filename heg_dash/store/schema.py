"""The tables: one per dataset with its undo history, the meta tables, ``readings_daily``; and the migrations
that bring an older database to this version (applied when any process opens it for the app or a command)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from heg_dash.datasets import DATASETS, SQL_TYPES, Dataset
from heg_dash.store import rollup
from heg_dash.store.db import Engine, engine_of, get_meta, q, set_meta

SCHEMA_VERSION = 5


# Later schema versions append their steps here: {version: [sql or a function of the connection, ...]};
# applied in order, on either engine (SQL both understand, or a function that asks ``db.engine_of(con)``).
MIGRATIONS: dict[int, list[str | Callable[[Any], None]]] = {
    2: [rollup.rebuild],  # readings_daily (created empty by create_schema) filled from the readings
    # A batch counts the file's rows: added + replaced + unchanged; stored rows that went without a file row
    # in their place are "removed" (before, rows_replaced counted stored rows and a changed row was both).
    3: ["ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rows_unchanged BIGINT DEFAULT 0",
        "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rows_removed BIGINT DEFAULT 0"],
    # Initiatives measured for savings (issue 23): utility, meter_ids, installed_from, installed_to,
    # expected_saving_pct, baseline_months, in the declared order (a restore compares the columns in order).
    4: [lambda con: rebuild_in_declared_order(con, "initiatives")],
    # English names for data (issue 20): indicators' name_en and initiatives' title_en, beside the Danish.
    5: [lambda con: rebuild_in_declared_order(con, "indicators"),
        lambda con: rebuild_in_declared_order(con, "initiatives")],
}


META_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE SEQUENCE IF NOT EXISTS batch_seq START 1",
    """CREATE TABLE IF NOT EXISTS import_batches (
        batch_id BIGINT PRIMARY KEY, dataset VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        file_name VARCHAR, sha256 VARCHAR, user_name VARCHAR, created_at TIMESTAMPTZ NOT NULL,
        rows_added BIGINT NOT NULL DEFAULT 0, rows_replaced BIGINT NOT NULL DEFAULT 0,
        undone_at TIMESTAMPTZ, note VARCHAR, rows_unchanged BIGINT DEFAULT 0, rows_removed BIGINT DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        logged_at TIMESTAMPTZ NOT NULL, user_name VARCHAR, action VARCHAR NOT NULL, dataset VARCHAR,
        batch_id BIGINT, detail VARCHAR)""",
)


def _columns_sql(ds: Dataset, eng: Engine | None) -> list[str]:
    return [f"{q(c.name)} {eng.sql_type(SQL_TYPES[c.type]) if eng else SQL_TYPES[c.type]}" for c in ds.columns]


def dataset_ddl(ds: Dataset, eng: Engine | None = None) -> list[str]:
    """The table of a dataset (its columns + the batch that wrote each row) and its undo history.

    No primary key: an ART index over millions of readings costs memory, and imports replace rows by
    key inside one transaction anyway. ``<name>__replaced`` keeps every row an import replaced or
    deleted, with the batch that did it, so that batch can be undone exactly.
    """
    cols = ", ".join(_columns_sql(ds, eng))
    return [
        f"CREATE TABLE IF NOT EXISTS {q(ds.table)} ({cols}, batch_id BIGINT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {q(ds.table + '__replaced')} ({cols}, batch_id BIGINT NOT NULL, "
        "replaced_by BIGINT NOT NULL)",
    ]


def _columns(con: Any, table: str) -> list[str]:
    return [c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        "AND table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


def rebuild_in_declared_order(con: Any, name: str) -> None:
    """A dataset's table and its history with the columns of today's declaration, in its order: the rows are
    kept, a column the declaration added is empty (``ALTER TABLE … ADD COLUMN`` would put it after
    ``batch_id``, and a backup's columns are compared in order). The same steps on either engine (the tables
    of datasets other than readings and grid_co2 carry no index of ours)."""
    ds, eng = DATASETS[name], engine_of(con)
    for table in (ds.table, ds.table + "__replaced"):
        old = _columns(con, table)
        con.execute(f"ALTER TABLE {q(table)} RENAME TO {q(table + '__old')}")
        for stmt in dataset_ddl(ds, eng):
            con.execute(stmt)
        kept = ", ".join(q(c) for c in _columns(con, table) if c in old)
        con.execute(f"INSERT INTO {q(table)} ({kept}) SELECT {kept} FROM {q(table + '__old')}")
        con.execute(f"DROP TABLE {q(table + '__old')}")


def create_schema(con: Any) -> None:
    eng = engine_of(con)
    for stmt in META_TABLES:
        con.execute(stmt)
    for ds in DATASETS.values():
        for stmt in dataset_ddl(ds, eng):
            con.execute(stmt)
    rollup.create(con)
    for stmt in eng.schema_extras():
        con.execute(stmt)
    if get_meta(con, "schema_version") is None:
        set_meta(con, "schema_version", str(SCHEMA_VERSION))
        set_meta(con, "data_version", "0")
        set_meta(con, "db_id", uuid.uuid4().hex)
    migrate(con)


def migrate(con: Any) -> int:
    """Apply the migrations newer than the stored schema version; return the version now."""
    current = int(get_meta(con, "schema_version") or SCHEMA_VERSION)
    for version in sorted(v for v in MIGRATIONS if v > current):
        for step in MIGRATIONS[version]:
            step(con) if callable(step) else con.execute(step)
        set_meta(con, "schema_version", str(version))
        current = version
    return current
