"""DuckDB, the embedded default: one file, one writing process at a time.

Connections are short-lived (open, work, close) because DuckDB lets only one process hold the file read-write, and
the CLI (cron imports and fetches) must work while the app runs. On a lock we retry with back-off for a bounded
time, then raise ``DatabaseBusy`` with a clear message. The file's and its log's modification time and size tell
when a write happened (:meth:`DuckDBEngine.signature`), so a page rerun without a write never opens the file.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from heg_dash import config
from heg_dash.datasets import SQL_TYPES, Dataset
from heg_dash.store.dialect import TEMP_TABLES, DatabaseBusy, DatabaseMissing, Engine, Target, q

CHECKPOINT_THRESHOLD = "1MB"  # DuckDB's default is 16 MB
INC_ARROW = "_inc_arrow"  # the incoming rows as Arrow, registered on the connection while a write is planned


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def file_signature(path: str) -> tuple[tuple[int, int] | None, ...]:
    """(modification time in ns, size) of the database file and of its write-ahead log (None: no such file)."""
    signature = []
    for name in (path, path + ".wal"):
        try:
            stat = os.stat(name)
        except FileNotFoundError:
            signature.append(None)
        else:
            signature.append((stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


class DuckDBEngine(Engine):
    name = "duckdb"
    rowid = "rowid"
    rowid_type = "BIGINT"

    @contextmanager
    def open(self, target: Target, must_exist: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        target = Path(target)
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

    def exists(self, target: Target) -> bool:
        return Path(target).exists()

    def begin_write(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("BEGIN TRANSACTION")  # the file lock, held since the connection opened, keeps others out

    def signature(self, target: Target) -> object | None:
        return file_signature(str(target))

    def drop_store(self, target: Target) -> None:
        target = Path(target)
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".wal").unlink(missing_ok=True)

    def restart_sequence(self, con: duckdb.DuckDBPyConnection, name: str, next_value: int) -> None:
        con.execute(f"DROP SEQUENCE {name}")
        con.execute(f"CREATE SEQUENCE {name} START {int(next_value)}")

    # ---------------------------------------------------------------------------------------------- dialect
    def utc_hour(self, column: str) -> str:
        # Integer arithmetic on the epoch: several times faster than date_trunc('hour', …) on a time-zone-aware
        # column (which goes through the ICU calendar).
        return f"to_timestamp(epoch_ms({column}) // 3600000 * 3600)"

    def hour_number(self, column: str) -> str:
        return f"epoch_ms({column}) // 3600000"

    def epoch_us(self, column: str) -> str:
        return f"epoch_us({column})"

    def timestamp_us(self, us: int) -> str:
        return f"make_timestamptz({int(us)})"

    def bit_count(self, expression: str) -> str:
        return f"bit_count({expression})"

    def quartiles(self, column: str) -> str:
        return f"quantile_cont({column}, [0.25, 0.75])"

    def latest_before(self, left: str, right: str, columns: Sequence[str]) -> str:
        # ASOF finds it per meter in one pass. Both sides must be tables: with an inline input, DuckDB's estimates
        # can turn the ASOF join into a nested loop (minutes at 1M rows).
        return f'{left} a ASOF JOIN {right} b ON a.meter_id = b.meter_id AND a."end" > b.start'

    def create_temp(self, con: duckdb.DuckDBPyConnection, name: str, select: str,
                    params: Sequence | dict | None = None, index: Sequence[str] = ()) -> None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params or [])

    # ----------------------------------------------------------------------------------------- data in, out
    def append_arrow(self, con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table,
                     columns: Sequence[str] | None = None) -> None:
        con.register("_append_rows", rows)
        cols = ", ".join(f'"{c}"' for c in (columns or rows.column_names))
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _append_rows")
        con.unregister("_append_rows")  # not in a finally: after a failed statement it would hide the error

    def append_frame(self, con: duckdb.DuckDBPyConnection, ds: Dataset, frame: pd.DataFrame, batch_id: int) -> None:
        cols = ds.column_names
        con.register("incoming_frame", frame[cols])
        try:
            col_sql = ", ".join(q(c) for c in cols)
            con.execute(f"INSERT INTO {q(ds.table)} ({col_sql}, batch_id) SELECT {col_sql}, ? FROM incoming_frame",
                        [batch_id])
        finally:
            con.unregister("incoming_frame")

    def fetch_arrow(self, con: duckdb.DuckDBPyConnection, sql: str, params: Sequence | dict | None = None,
                    schema: pa.Schema | None = None) -> pa.Table:
        return con.sql(sql, params=params).to_arrow_table()

    # ---------------------------------------------------------------------------------------- a write's rows
    @staticmethod
    def _inc_select(ds: Dataset) -> str:
        cols = ", ".join(f"CAST({q(c.name)} AS {SQL_TYPES[c.type]}) AS {q(c.name)}" for c in ds.columns)
        return f"SELECT _row, {cols} FROM {INC_ARROW}"

    def stage_rows(self, con: duckdb.DuckDBPyConnection, ds: Dataset, rows: pa.Table, in_key_order: bool) -> None:
        con.register(INC_ARROW, rows)
        if in_key_order:
            con.execute(f"CREATE OR REPLACE TEMP VIEW _inc AS {self._inc_select(ds)}")
            return
        key = ", ".join(q(k) for k in ds.key)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _inc AS {self._inc_select(ds)} ORDER BY {key}")
        self.unstage(con)  # not in a finally: in a failed transaction it would raise over the error (the rollback
        # lets go)

    def materialise(self, con: duckdb.DuckDBPyConnection, ds: Dataset) -> None:
        # The joins of _classify need a table's statistics: over a view DuckDB can pick a plan that takes minutes.
        if con.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = '_inc'").fetchone()[0]:
            con.execute("DROP VIEW _inc")
            con.execute(f"CREATE TEMP TABLE _inc AS {self._inc_select(ds)}")
            self.unstage(con)

    def unstage(self, con: duckdb.DuckDBPyConnection) -> None:
        con.unregister(INC_ARROW)
        pa.default_memory_pool().release_unused()  # a regrouped copy: Arrow's pool would keep it for later

    def readable(self, con: duckdb.DuckDBPyConnection, ds: Dataset) -> None:
        pass  # the view reads the Arrow rows

    def count_incoming(self, con: duckdb.DuckDBPyConnection) -> int:
        return int(con.execute("SELECT count(*) FROM _inc").fetchone()[0])

    def drop_temp(self, con: duckdb.DuckDBPyConnection, inc_is_view: bool) -> None:
        # Dropping _inc as the other kind would abort the transaction.
        con.execute(f"DROP {'VIEW' if inc_is_view else 'TABLE'} IF EXISTS _inc; "
                    + " ".join(f"DROP TABLE IF EXISTS {name};" for name in TEMP_TABLES))
        self.unstage(con)

    def insert_rows(self, con: duckdb.DuckDBPyConnection, ds: Dataset, batch_id: int, some_same: bool) -> None:
        t, cols = q(ds.table), ", ".join(q(c) for c in ds.column_names)
        if some_same:
            order = ", ".join(q(k) for k in ds.key)
            con.execute(
                f"INSERT INTO {t} ({cols}, batch_id) SELECT {cols}, ? FROM _inc "
                f"WHERE _row NOT IN (SELECT _row FROM _same) ORDER BY {order}", [batch_id])
        else:  # _inc is in key order (see stage) and a plain scan keeps it: no sort of every row again
            con.execute(f"INSERT INTO {t} ({cols}, batch_id) SELECT {cols}, ? FROM _inc", [batch_id])

    def candidates_select(self, table: str) -> str:
        return (f'SELECT s.rowid AS rid, s.meter_id, s.start, s."end" FROM {table} s JOIN _spans b '
                'ON s.meter_id = b.meter_id AND s.start < b.hi AND s."end" > b.lo')

    def batches(self, con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str],
                schema: pa.Schema) -> Iterator[pa.RecordBatch]:
        cols = ", ".join(f'"{c}"' for c in columns)
        yield from con.sql(f"SELECT {cols} FROM {table}").to_arrow_reader(500_000)


ENGINE = DuckDBEngine()
