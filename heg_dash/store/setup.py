"""A database to work on: created empty or with the shipped sample data, on a command or the app's first start.

A database that holds imported data is never replaced without ``force``; one made with ``init --empty`` is
never filled by the app.
"""

from __future__ import annotations

import time
from pathlib import Path

from heg_dash.store import sample as sample_module
from heg_dash.store.db import DatabaseBusy, Target, connect, engine, set_meta, target, transaction
from heg_dash.store.schema import create_schema

# How long a replica starting on a new PostgreSQL database waits for another one filling it with the sample.
FIRST_START_WAIT_S = 600.0


def has_data(path: str | Path | None = None) -> bool:
    """True when any dataset holds rows that did not come from the sample generator."""
    with connect(path) as con:
        row = con.execute(
            "SELECT count(*) FROM import_batches WHERE kind NOT IN ('sample', 'clear_sample') AND undone_at IS NULL"
        ).fetchone()
        return bool(row[0])


def batch_count(path: str | Path | None = None) -> int:
    """How many batches in force the database holds (what ``init`` is about to throw away)."""
    with connect(path) as con:
        return int(con.execute("SELECT count(*) FROM import_batches WHERE undone_at IS NULL").fetchone()[0])


def init_db(path: str | Path | None = None, *, sample: bool = True, force: bool = False) -> Target:
    """Create the store (a DuckDB file, or the tables in a PostgreSQL database), with the shipped sample data or
    empty.

    Refuses (FileExistsError) to replace a store that holds real imported data unless ``force``.
    """
    store = target(path)
    eng = engine(store)
    if eng.exists(store):
        if not force and has_data(store):
            raise FileExistsError(f"{eng.describe(store)} holds imported data; use --force to replace it")
        eng.drop_store(store)
    _create(store, "sample" if sample else "empty")
    if sample:
        sample_module.load(store)
    return store


def _create(store: Target, created_as: str) -> None:
    if engine(store).name == "duckdb":
        with connect(store, must_exist=False) as con:
            create_schema(con)
            set_meta(con, "created_as", created_as)
        return
    # PostgreSQL: in one transaction under the write lock, so replicas starting together make it once.
    with transaction(store, must_exist=False) as con:
        create_schema(con)
        set_meta(con, "created_as", created_as)


def ensure_database(path: str | Path | None = None) -> bool:
    """On first start: create the store with sample data. Returns True when it was created.

    An existing store (an ``init --empty`` one too) is only migrated, never filled. On PostgreSQL, replicas that
    start together wait for each other's write lock: one creates and fills the store, the others find it.
    """
    store = target(path)
    eng = engine(store)
    if eng.exists(store):
        _migrate(store)
        return False
    if eng.name == "duckdb":
        init_db(store, sample=True)
        return True
    # The write lock: the first replica fills, the others wait for it as long as filling may take (longer than
    # the lock timeout of a write), then find the store made.
    deadline = time.monotonic() + FIRST_START_WAIT_S
    while True:
        try:
            with transaction(store, must_exist=False) as con:
                if con.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]:
                    create_schema(con)
                    return False
                create_schema(con)
                set_meta(con, "created_as", "sample")
                sample_module.load_into(con)
            return True
        except DatabaseBusy:
            if time.monotonic() > deadline:
                raise


def _migrate(store: Target) -> None:
    if engine(store).name == "duckdb":
        with connect(store) as con:
            create_schema(con)
        return
    with transaction(store) as con:  # on PostgreSQL, under the write lock (replicas migrate one at a time)
        create_schema(con)
