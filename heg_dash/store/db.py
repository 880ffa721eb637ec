"""The DuckDB store: connections, schema, migrations, transactions and the data version.

Connections are short-lived (open, work, close) because DuckDB lets only one process hold the file
read-write, and the CLI (cron imports and fetches) must work while the app runs. On a lock we retry with
back-off for a bounded time, then raise ``DatabaseBusy`` with a clear message. Every write bumps the data
version, which the app's query cache is keyed by. Timestamps are stored as UTC ``TIMESTAMPTZ``.

All SQL lives here, in ``heg_dash.queries``, ``heg_dash.store`` (writes) and ``heg_dash.store.rollup``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from heg_dash import config
from heg_dash.datasets import DATASETS

CHECKPOINT_THRESHOLD = "1MB"  # DuckDB's default is 16 MB


class DatabaseBusy(RuntimeError):
    """Another process held the database file for longer than the lock timeout."""


class DatabaseMissing(RuntimeError):
    """The database file does not exist (run ``python -m heg_dash init``)."""


def q(name: str) -> str:
    """Quote an identifier (columns such as "end" and "use" are SQL keywords)."""
    return '"' + name.replace('"', '""') + '"'


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def db_path() -> Path:
    return config.settings().db_path


# A connection shared by the reads of one command or page run (see ``session``), per thread: the path,
# and the connection once something has asked for one.
_session: contextvars.ContextVar[list | None] = contextvars.ContextVar("heg_dash_db_session", default=None)


@contextmanager
def session(path: str | Path | None = None) -> Iterator[None]:
    """Share one connection among everything ``connect`` opens on ``path`` inside the block.

    For work that reads a lot at once (a report, the KPIs, a page run): opening the file costs 5–30 ms,
    and a report reads a few hundred times. The connection opens at the first read (a rerun answered
    from the cache never opens the file) and closes when the block ends, so the file stays short-lived.
    """
    target = Path(path) if path is not None else db_path()
    if _session.get() is not None:
        yield
        return
    shared: list = [target, None, None]  # path, connection, its context manager
    token = _session.set(shared)
    try:
        yield
    finally:
        _session.reset(token)
        if shared[2] is not None:
            shared[2].__exit__(None, None, None)


@contextmanager
def connect(path: str | Path | None = None, *, must_exist: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection, retried with back-off while another process holds the file."""
    target = Path(path) if path is not None else db_path()
    shared = _session.get()
    if shared is not None and shared[0] == target:
        if shared[1] is None:
            opened = _open(target, must_exist)
            shared[1], shared[2] = opened.__enter__(), opened
        yield shared[1]
        return
    with _open(target, must_exist) as con:
        yield con


@contextmanager
def _open(target: Path, must_exist: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    if must_exist and not target.exists():
        raise DatabaseMissing(f"database {target} does not exist; run `python -m heg_dash init`")
    target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + config.settings().lock_timeout_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(target))
            break
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                if _is_lock_error(exc):
                    raise DatabaseBusy(
                        f"database {target} is busy (another process is writing to it); try again shortly"
                    ) from exc
                raise
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 1.0)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET memory_limit = '{config.settings().duckdb_memory}'")
        con.execute("SET enable_progress_bar = false")  # no bar on a CLI's stderr
        # A commit that would log more than this checkpoints instead: a big import's rows (the per-day sums of
        # a million readings are 7 MB) then go to the file once, not to the log first and at the close again.
        con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        yield con
    finally:
        con.close()


@contextmanager
def transaction(path: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction that bumps the data version; rolled back whole on any error."""
    with connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            _bump_data_version(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def read_df(sql: str, params: Sequence | dict | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Run one read query on a short-lived connection and return a DataFrame."""
    with connect(path) as con:
        return con.execute(sql, params or []).df()


def data_version(path: str | Path | None = None) -> str:
    """"<database id>:<version>": changes with every write, and differs between two databases that
    were created one after the other at the same path (so a cache keyed by it is never stale)."""
    with connect(path) as con:
        return _data_version(con)


def _data_version(con: duckdb.DuckDBPyConnection) -> str:
    rows = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('db_id', 'data_version')").fetchall())
    return f"{rows.get('db_id', '')}:{rows.get('data_version', '0')}"


def _bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'"
    )


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])






def new_batch(
    con: duckdb.DuckDBPyConnection, dataset: str, kind: str, *, user: str | None = None,
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


def audit(con: duckdb.DuckDBPyConnection, user: str | None, action: str, dataset: str | None = None,
          batch_id: int | None = None, detail: str | None = None) -> None:
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
        [dt.datetime.now(dt.UTC), user, action, dataset, batch_id, detail],
    )


def sample_datasets(path: str | Path | None = None) -> set[str]:
    """Datasets that still hold rows from the sample generator (badged "Eksempeldata")."""
    with connect(path) as con:
        return _sample_datasets(con)


def _sample_datasets(con: duckdb.DuckDBPyConnection) -> set[str]:
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
