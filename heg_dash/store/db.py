"""The store's connections, transactions, data version, meta and audit log, on either engine.

``HEG_DASH_DB`` names the store: a DuckDB file (the default, ``data/heg.duckdb``) or a PostgreSQL URL
(``postgresql://user@host:port/db``). What differs between the two lives in one module each
(:mod:`~heg_dash.store.engine_duckdb`, :mod:`~heg_dash.store.engine_postgres`); everything here and above works
on both through the same small interface: ``execute(sql, params)`` with ``?`` placeholders, ``fetchone``,
``fetchall``, ``df``, and ``register`` for rows the SQL should see.

Connections are short-lived (open, work, close; on PostgreSQL, back to the process's pool). Every write bumps a
data version, which the app's query cache is keyed by. Timestamps are stored as UTC ``TIMESTAMPTZ``.

All SQL lives here, in ``heg_dash.queries``, ``heg_dash.store`` (writes) and ``heg_dash.store.rollup``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from heg_dash import config
from heg_dash.datasets import DATASETS
from heg_dash.store.dialect import (
    DatabaseBusy,
    DatabaseMissing,
    DatabaseUnreachable,
    Engine,
    Target,
    is_server_url,
    q,
)
from heg_dash.store.engine_duckdb import CHECKPOINT_THRESHOLD
from heg_dash.store.engine_duckdb import ENGINE as DUCKDB

__all__ = ["CHECKPOINT_THRESHOLD", "DATASETS", "DatabaseBusy", "DatabaseMissing", "DatabaseUnreachable", "Engine",
           "audit", "connect", "data_version", "db_path", "engine", "engine_of", "get_meta", "is_server_url",
           "new_batch", "q", "read_df", "sample_datasets", "session", "set_meta", "target", "transaction"]

# A store other than HEG_DASH_DB for the work inside ``using`` (a migration's check reads two stores).
_target: contextvars.ContextVar[Target | None] = contextvars.ContextVar("heg_dash_db_target", default=None)


def target(path: str | Path | None = None) -> Target:
    """The store to work on: ``path`` when given, else the one ``using`` names, else ``HEG_DASH_DB``; a
    PostgreSQL URL as it is, anything else as a Path."""
    raw = path if path is not None else (_target.get() or config.settings().db)
    return raw if is_server_url(raw) else Path(raw)


def db_path() -> Target:
    """The configured store (a DuckDB file's Path, or a PostgreSQL URL)."""
    return target()


def engine(path: str | Path | None = None) -> Engine:
    """The engine of a store (of ``HEG_DASH_DB`` by default)."""
    if is_server_url(target(path)):
        from heg_dash.store.engine_postgres import ENGINE as POSTGRES

        return POSTGRES
    return DUCKDB


def engine_of(con: Any) -> Engine:
    """The engine a connection belongs to."""
    return getattr(con, "engine", None) or DUCKDB


def describe(path: str | Path | None = None) -> str:
    """The store as a person may read it (a PostgreSQL URL without its password)."""
    return engine(path).describe(target(path))


@contextmanager
def using(path: str | Path) -> Iterator[None]:
    """Work on ``path`` instead of ``HEG_DASH_DB`` inside the block (queries, KPIs, a session)."""
    token = _target.set(target(path))
    try:
        yield
    finally:
        _target.reset(token)


# A connection shared by the reads of one command or page run (see ``session``), per thread: the store, the
# connection once something has asked for one, its context manager, and the data version once read.
_session: contextvars.ContextVar[list | None] = contextvars.ContextVar("heg_dash_db_session", default=None)


@contextmanager
def session(path: str | Path | None = None) -> Iterator[None]:
    """Share one connection among everything ``connect`` opens on ``path`` inside the block.

    For work that reads a lot at once (a report, the KPIs, a page run): opening the file costs 5–30 ms,
    and a report reads a few hundred times. The connection opens at the first read (a rerun answered
    from the cache never opens the file) and closes when the block ends, so the file stays short-lived.
    """
    store = target(path)
    if _session.get() is not None:
        yield
        return
    shared: list = [store, None, None, None]  # store, connection, its context manager, data version
    token = _session.set(shared)
    try:
        yield
    finally:
        _session.reset(token)
        if shared[2] is not None:
            shared[2].__exit__(None, None, None)


@contextmanager
def connect(path: str | Path | None = None, *, must_exist: bool = True) -> Iterator[Any]:
    """A short-lived connection: DuckDB's retried with back-off while another process holds the file; a pooled
    one on PostgreSQL."""
    store = target(path)
    shared = _session.get()
    if shared is not None and shared[0] == store:
        if shared[1] is None:
            opened = _open(store, must_exist)
            shared[1], shared[2] = opened.__enter__(), opened
        yield shared[1]
        return
    with _open(store, must_exist) as con:
        yield con


def _open(store: Target, must_exist: bool):  # noqa: ANN202 - a context manager of the engine's connection
    return engine(store).open(store, must_exist)


@contextmanager
def transaction(path: str | Path | None = None, *, must_exist: bool = True) -> Iterator[Any]:
    """One write transaction that bumps the data version; rolled back whole on any error. On PostgreSQL it
    holds the store's write lock (one writer at a time; readers go on reading). ``must_exist=False``: for the
    transaction that creates the store."""
    with connect(path, must_exist=must_exist) as con:
        engine_of(con).begin_write(con)
        try:
            yield con
            _bump_data_version(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            shared = _session.get()
            if shared is not None:
                shared[3] = None  # the session reads the version again after its own write


def read_df(sql: str, params: Sequence | dict | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Run one read query on a short-lived connection and return a DataFrame."""
    with connect(path) as con:
        return con.execute(sql, params or []).df()


def data_version(path: str | Path | None = None) -> str:
    """"<database id>:<version>": changes with every write, and differs between two databases that
    were created one after the other at the same path (so a cache keyed by it is never stale)."""
    with connect(path) as con:
        return _data_version(con)


def session_version(path: str | Path | None = None) -> str:
    """:func:`data_version`, read once per :func:`session` (a page run) and again after the session's own write;
    outside a session, read every time. For stores whose writes leave no file to look at (PostgreSQL)."""
    shared = _session.get()
    if shared is None or shared[0] != target(path):
        return data_version(path)
    if shared[3] is None:
        shared[3] = data_version(path)
    return shared[3]


def _data_version(con: Any) -> str:
    rows = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('db_id', 'data_version')").fetchall())
    return f"{rows.get('db_id', '')}:{rows.get('data_version', '0')}"


def _bump_data_version(con: Any) -> None:
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'"
    )


def get_meta(con: Any, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: Any, key: str, value: str) -> None:
    con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

def new_batch(
    con: Any, dataset: str, kind: str, *, user: str | None = None,
    file_name: str | None = None, sha256: str | None = None, note: str | None = None,
) -> int:
    """Open a batch (the caller's transaction writes its rows with this id) and log it."""
    batch_id = con.execute("SELECT nextval('batch_seq')").fetchone()[0]
    now = dt.datetime.now(dt.UTC)
    con.execute(
        "INSERT INTO import_batches (batch_id, dataset, kind, file_name, sha256, user_name, created_at, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [batch_id, dataset, kind, file_name, sha256, user, now, note],
    )
    audit(con, user, f"{kind}", dataset, batch_id, file_name)
    return int(batch_id)


def audit(con: Any, user: str | None, action: str, dataset: str | None = None,
          batch_id: int | None = None, detail: str | None = None) -> None:
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
        [dt.datetime.now(dt.UTC), user, action, dataset, batch_id, detail],
    )


def sample_datasets(path: str | Path | None = None) -> set[str]:
    """Datasets that still hold rows from the sample generator (badged "Eksempeldata")."""
    with connect(path) as con:
        return _sample_datasets(con)


def _sample_datasets(con: Any) -> set[str]:
    sample_batches = con.execute(
        "SELECT batch_id, dataset FROM import_batches WHERE kind = 'sample' AND undone_at IS NULL"
    ).fetchall()
    found = set()
    for batch_id, dataset in sample_batches:
        if dataset in DATASETS and con.execute(
            f"SELECT 1 FROM {q(dataset)} WHERE batch_id = ? LIMIT 1", [batch_id]
        ).fetchone():
            found.add(dataset)
    return found
