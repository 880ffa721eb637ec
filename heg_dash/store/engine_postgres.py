"""PostgreSQL 15, the second engine: several app replicas, or a shared service with one database per school
(``HEG_DASH_DB=postgresql://user@host:port/db``; nothing crosses between two databases).

- Connections are pooled per process (:mod:`~heg_dash.store.pg_connection`); every session runs in UTC.
- Readers never wait: PostgreSQL's snapshots let pages read while a write runs, and show it once committed.
- Writers take the store's write lock (a transaction-level advisory lock) at BEGIN, so one write runs at a time, as
  with DuckDB's file; a write waits for it at most ``HEG_DASH_LOCK_TIMEOUT_S``, then ``DatabaseBusy``.
- The data version lives in ``meta`` as on DuckDB; with no file to look at, the query cache reads it once per page
  run (one indexed row), so every replica shows a write on its next rerun.
- Bulk loads go through COPY (Arrow writes the CSV), bulk reads through COPY … TO STDOUT (Arrow parses it).
- Text columns sort byte-wise (``COLLATE "C"``), as DuckDB sorts text, whatever the database's locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
import psycopg
import pyarrow as pa

from heg_dash import config
from heg_dash.datasets import DATASETS, SQL_TYPES, Dataset
from heg_dash.store.dialect import TEMP_TABLES, DatabaseBusy, DatabaseMissing, Engine, Target, q
from heg_dash.store.pg_connection import PgConnection, epoch_us, open_connection, redacted

WRITE_LOCK = 0x4845_4744  # "HEGD": the advisory lock every write transaction holds
TYPES = {"DOUBLE": "DOUBLE PRECISION", "VARCHAR": 'VARCHAR COLLATE "C"'}
ARROW_TYPES = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "DATE": pa.date32(),
               "TIMESTAMPTZ": pa.timestamp("us", "UTC"), "BOOLEAN": pa.bool_()}


def typed(ds: Dataset, rows: pa.Table) -> pa.Table:
    """The incoming Arrow rows in the declared types (COPY reads text: an integer must not arrive as 2024.0)."""
    out = rows
    for c in ds.columns:
        i = out.schema.get_field_index(c.name)
        wanted = ARROW_TYPES[SQL_TYPES[c.type]]
        if out.schema.field(i).type != wanted:
            out = out.set_column(i, c.name, out.column(i).cast(wanted))
    return out


class PostgresEngine(Engine):
    name = "postgresql"
    rowid = "ctid"
    rowid_type = "tid"

    @contextmanager
    def open(self, target: Target, must_exist: bool) -> Iterator[PgConnection]:
        with open_connection(str(target)) as con:
            con.engine = self
            if must_exist and not self._has_store(con):
                raise DatabaseMissing(f"database {redacted(str(target))} holds no HEG Dashboard store yet; "
                                      "run `python -m heg_dash init`")
            yield con

    @staticmethod
    def _has_store(con: PgConnection) -> bool:
        return con.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]

    def exists(self, target: Target) -> bool:
        with self.open(target, must_exist=False) as con:
            return self._has_store(con)

    def begin_write(self, con: PgConnection) -> None:
        timeout_ms = max(1, round(config.settings().lock_timeout_s * 1000))
        con.execute(f"BEGIN; SET LOCAL lock_timeout = {timeout_ms}")
        try:
            con.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        except psycopg.errors.LockNotAvailable as exc:
            con.execute("ROLLBACK")
            raise DatabaseBusy(f"database {redacted(con.url)} is busy (another process is writing to it); "
                               "try again shortly") from exc

    def drop_store(self, target: Target) -> None:
        with self.open(target, must_exist=False) as con:
            self.begin_write(con)
            try:
                self.drop_tables(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def drop_tables(self, con: PgConnection) -> None:
        # The store's own tables only: a database may hold others (a shared service's, an extension's).
        tables = ["meta", "import_batches", "audit_log", "readings_daily"] + [
            name for ds in DATASETS.values() for name in (ds.table, ds.table + "__replaced")]
        con.execute("; ".join(f"DROP TABLE IF EXISTS {q(t)}" for t in tables) + "; DROP SEQUENCE IF EXISTS batch_seq")

    def empty_table(self, con: PgConnection, table: str) -> None:
        con.execute(f"TRUNCATE {table}")  # readers wait for the commit, then see the new rows

    def restart_sequence(self, con: PgConnection, name: str, next_value: int) -> None:
        con.execute(f"SELECT setval('{name}', {int(next_value)}, false)")

    def describe(self, target: Target) -> str:
        return redacted(str(target))

    def schema_extras(self) -> list[str]:
        """Indexes the joins of a write and the reads by period need (DuckDB's zone maps need none): readings and
        their per-day sums by meter and time; a batch's rows by batch (BRIN: batches are appended in order, so
        the index is a few pages and costs an import next to nothing)."""
        return [
            "CREATE INDEX IF NOT EXISTS readings_meter_start ON readings (meter_id, start)",
            "CREATE INDEX IF NOT EXISTS readings_batch ON readings USING brin (batch_id)",
            "CREATE INDEX IF NOT EXISTS readings__replaced_by ON readings__replaced (replaced_by)",
            "CREATE INDEX IF NOT EXISTS readings_daily_meter_day ON readings_daily (meter_id, day)",
            "CREATE INDEX IF NOT EXISTS grid_co2_start ON grid_co2 (start)",
        ]

    # ---------------------------------------------------------------------------------------------- dialect
    def sql_type(self, declared: str) -> str:
        return TYPES.get(declared, declared)

    def utc_hour(self, column: str) -> str:
        return f"date_trunc('hour', {column})"  # every session runs in UTC

    def hour_number(self, column: str) -> str:
        return f"floor(extract(epoch FROM {column}) / 3600)::BIGINT"

    def epoch_us(self, column: str) -> str:
        return epoch_us(column)

    def timestamp_us(self, us: int) -> str:
        stamp = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(us))
        return f"TIMESTAMPTZ '{stamp.isoformat()}'"

    def bit_count(self, expression: str) -> str:
        return f"bit_count(({expression})::bit(64))"

    def quartiles(self, column: str) -> str:
        return f"percentile_cont(ARRAY[0.25, 0.75]) WITHIN GROUP (ORDER BY {column})"

    def latest_before(self, left: str, right: str, columns: Sequence[str]) -> str:
        # One index probe per left row: the right side is indexed by (meter_id, start) (see create_temp).
        cols = ", ".join(dict.fromkeys(["b.start", 'b."end"', *columns]))
        return (f"{left} a JOIN LATERAL (SELECT {cols} FROM {right} b WHERE b.meter_id = a.meter_id "
                'AND b.start < a."end" ORDER BY b.start DESC LIMIT 1) b ON TRUE')

    def create_temp(self, con: PgConnection, name: str, select: str, params: Sequence | dict | None = None,
                    index: Sequence[str] = ()) -> None:
        con.temp_tables = True
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"CREATE TEMP TABLE {name} AS {select}", params)
        if index:
            con.execute(f"CREATE INDEX ON {name} ({', '.join(index)})")
        con.execute(f"ANALYZE {name}")  # autovacuum never analyses temp tables: the planner would guess

    # ----------------------------------------------------------------------------------------- data in, out
    def append_arrow(self, con: PgConnection, table: str, rows: pa.Table, columns: Sequence[str] | None = None
                     ) -> None:
        con.copy_in(table, rows, columns)

    def append_frame(self, con: PgConnection, ds: Dataset, frame: pd.DataFrame, batch_id: int) -> None:
        rows = typed(ds, pa.Table.from_pandas(frame[ds.column_names], preserve_index=False))
        rows = rows.append_column("batch_id", pa.array([batch_id] * rows.num_rows, pa.int64()))
        con.copy_in(q(ds.table), rows)

    def fetch_arrow(self, con: PgConnection, sql: str, params: Sequence | dict | None = None,
                    schema: pa.Schema | None = None) -> pa.Table:
        if schema is None:
            raise ValueError("PostgreSQL's Arrow fetch needs the result's schema")
        return con.copy_out(sql, params, schema)

    # ---------------------------------------------------------------------------------------- a write's rows
    def stage_rows(self, con: PgConnection, ds: Dataset, rows: pa.Table, in_key_order: bool) -> None:
        rows = typed(ds, rows)
        if in_key_order:  # held back: a new period's rows go straight into the table (insert_rows)
            con.pending = rows
            return
        self._copy_inc(con, ds, rows.sort_by([(k, "ascending") for k in ds.key]))

    def _copy_inc(self, con: PgConnection, ds: Dataset, rows: pa.Table) -> None:
        columns = ", ".join(f"{q(c.name)} {self.sql_type(SQL_TYPES[c.type])}" for c in ds.columns)
        con.temp_tables = True
        con.execute(f"DROP TABLE IF EXISTS _inc; CREATE TEMP TABLE _inc (_row BIGINT, {columns})")
        con.copy_in("_inc", rows)
        con.execute(f"CREATE INDEX ON _inc ({', '.join(q(k) for k in ds.key)}); ANALYZE _inc")

    def materialise(self, con: PgConnection, ds: Dataset) -> None:
        if con.pending is not None:
            rows, con.pending = con.pending, None
            self._copy_inc(con, ds, rows)

    readable = materialise

    def unstage(self, con: PgConnection) -> None:
        con.pending = None

    def count_incoming(self, con: PgConnection) -> int:
        if con.pending is not None:
            return con.pending.num_rows
        return int(con.execute("SELECT count(*) FROM _inc").fetchone()[0])

    def drop_temp(self, con: PgConnection, inc_is_view: bool) -> None:
        con.execute(f"DROP TABLE IF EXISTS _inc, {', '.join(TEMP_TABLES)}")
        self.unstage(con)

    def insert_rows(self, con: PgConnection, ds: Dataset, batch_id: int, some_same: bool) -> None:
        if con.pending is not None:  # COPY straight into the table: the rows were never needed in SQL
            rows, con.pending = con.pending, None
            rows = rows.append_column("batch_id", pa.array([batch_id] * rows.num_rows, pa.int64()))
            con.copy_in(q(ds.table), rows, [*ds.column_names, "batch_id"])
            return
        t, cols = q(ds.table), ", ".join(q(c) for c in ds.column_names)
        same = " WHERE _row NOT IN (SELECT _row FROM _same)" if some_same else ""
        con.execute(f"INSERT INTO {t} ({cols}, batch_id) SELECT {cols}, ? FROM _inc{same}", [batch_id])

    def candidates_select(self, table: str) -> str:
        # Stored intervals of a meter never overlap: those that start before its latest start at or before lo end
        # by then, so the index range from that start to hi holds every candidate (not the meter's whole history).
        return (f'SELECT s.ctid AS rid, s.meter_id, s.start, s."end" FROM _spans b CROSS JOIN LATERAL '
                f"(SELECT coalesce(max(p.start), b.lo) AS first FROM {table} p WHERE p.meter_id = b.meter_id "
                f"AND p.start <= b.lo) f JOIN {table} s ON s.meter_id = b.meter_id AND s.start >= f.first "
                'AND s.start < b.hi AND s."end" > b.lo')

    def batches(self, con: PgConnection, table: str, columns: Sequence[str], schema: pa.Schema
                ) -> Iterator[pa.RecordBatch]:
        cols = ", ".join(f'"{c}"' for c in columns)
        yield from con.copy_batches(f"SELECT {cols} FROM {table}", schema, rows_per_batch=500_000)


ENGINE = PostgresEngine()
