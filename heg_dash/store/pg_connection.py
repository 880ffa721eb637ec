"""A PostgreSQL connection (psycopg 3) behind the small interface the store uses on both engines.

- ``execute(sql, params)`` with DuckDB's ``?`` and ``$name`` placeholders (turned into psycopg's), returning a
  result with ``fetchone``, ``fetchall`` and ``df``; a statement without rows fetches ``(rowcount,)``, as DuckDB
  answers an INSERT or DELETE with its count.
- ``df()`` gives the pandas types DuckDB's ``.df()`` gives for the same SQL types (text as ``str``, BIGINT as
  int64 or Int64 with NULLs, DATE as datetime64[us], TIMESTAMPTZ as datetime64[us, UTC], NUMERIC as float64), so
  the code above the store reads one kind of frame.
- ``register(name, rows)`` copies a DataFrame or Arrow table into a temp table of that name (COPY), where DuckDB
  would scan it in place; ``copy_in`` appends Arrow rows to a table (binary COPY, written by numpy:
  :mod:`~heg_dash.store.pg_binary`) and ``copy_out`` reads a query as Arrow (CSV parsed by Arrow's C++); psycopg's
  row-by-row paths cost several times as much.

Connections are pooled per URL within the process (``open_connection``): a connection costs 3–20 ms, a query on
an open one 0.3 ms, and a page run or a rerun's data-version check would otherwise pay the former every time.
"""

from __future__ import annotations

import io
import re
import select
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import pq

from heg_dash.store import pg_binary
from heg_dash.store.dialect import DatabaseMissing, DatabaseUnreachable

# ? and $name outside quotes; a % must be doubled for psycopg when parameters are passed.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|\$[A-Za-z_]\w*|%")
MAX_IDLE = 8  # idle connections kept per URL


def redacted(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def translate(sql: str, params: Sequence | dict | None) -> tuple[str, Sequence | dict | None]:
    """``?``/``$name`` placeholders as psycopg's ``%s``/``%(name)s`` (and ``%`` escaped) when there are
    parameters; the SQL as it is otherwise (psycopg then sends it unparsed, several statements allowed)."""
    if not params:
        return sql, None

    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith("$"):
            return f"%({token[1:]})s"
        return token.replace("%", "%%")  # a quoted string or name: psycopg reads % even there

    values = {k: adapt(v) for k, v in params.items()} if isinstance(params, dict) else [adapt(v) for v in params]
    return _TOKENS.sub(swap, sql), values


def epoch_us(column: str) -> str:
    """SQL for the µs since the epoch of a TIMESTAMPTZ (BIGINT)."""
    return f"(extract(epoch FROM {column}) * 1000000)::BIGINT"


def adapt(value: object) -> object:
    """A parameter psycopg can send: numpy scalars as Python numbers, pandas times as datetimes, NaT/NA as NULL."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [adapt(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


# ---------------------------------------------------------------------------------------- results → pandas

_INTS = {20: "int64", 21: "int32", 23: "int32"}  # int8, int2, int4 (DuckDB: BIGINT int64, SMALLINT/INTEGER int32)
_NULLABLE_INTS = {"int64": "Int64", "int32": "Int32"}
_FLOATS = {700, 701, 1700}  # float4, float8, numeric
_TEXT = {25, 1043, 1042, 19, 705}  # text, varchar, bpchar, name, unknown
_FLOAT_ARRAYS = {1021, 1022, 1231}


def column(oid: int, values: Sequence) -> object:
    """One result column as DuckDB's ``.df()`` would give it."""
    has_null = any(v is None for v in values)
    if oid in _INTS:
        kind = _INTS[oid]
        return pd.array(values, dtype=_NULLABLE_INTS[kind]) if has_null else np.array(values, dtype=kind)
    if oid in _FLOATS:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if oid == 16:  # bool
        return pd.array(values, dtype="boolean") if has_null else np.array(values, dtype=bool)
    if oid == 1082:  # date
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[us]").to_numpy()
    if oid == 1184:  # timestamptz
        return pd.DatetimeIndex(pd.to_datetime(list(values), utc=True)).as_unit("us")
    if oid == 1114:  # timestamp
        return pd.DatetimeIndex(pd.to_datetime(list(values))).as_unit("us")
    if oid == 1186:  # interval
        return pd.TimedeltaIndex(pd.to_timedelta(list(values))).as_unit("us")
    if oid in _TEXT:
        if values and all(v is None for v in values):
            return np.array(values, dtype=object)
        return pd.array(values, dtype="str")
    if oid in _FLOAT_ARRAYS:
        out = np.empty(len(values), dtype=object)
        out[:] = [None if v is None else np.array([np.nan if x is None else float(x) for x in v]) for v in values]
        return out
    return np.array(values, dtype=object)


class Result:
    """A statement's outcome: its rows (all fetched at once) or, for a statement without rows, its row count."""

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self.description = cursor.description
        self.rows = cursor.fetchall() if cursor.description is not None else [(cursor.rowcount,)]
        self._next = 0

    def fetchone(self) -> tuple | None:
        if self._next >= len(self.rows):
            return None
        self._next += 1
        return self.rows[self._next - 1]

    def fetchall(self) -> list[tuple]:
        rest, self._next = self.rows[self._next:], len(self.rows)
        return rest

    def df(self) -> pd.DataFrame:
        names = [d.name for d in self.description]
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(names)
        data = {i: column(d.type_code, values) for i, (d, values) in enumerate(zip(self.description, columns,
                                                                                       strict=True))}
        frame = pd.DataFrame(data, index=pd.RangeIndex(len(self.rows)))
        frame.columns = names
        return frame


# ------------------------------------------------------------------------------------------- connection

class PgConnection:
    """The store's interface over one psycopg connection (autocommit: the store says BEGIN and COMMIT itself)."""

    engine: object = None  # set by engine_postgres: the Engine this connection belongs to

    def __init__(self, raw: psycopg.Connection, url: str) -> None:
        self.raw, self.url = raw, url
        self.temp_tables = False  # whether temp tables may be left to discard before the connection is reused
        self.pending: pa.Table | None = None  # a write's incoming rows held back (engine_postgres.stage_rows)

    def execute(self, sql: str, params: Sequence | dict | None = None) -> Result:
        if sql == "ROLLBACK":
            self.pending = None  # as DuckDB lets go of a registered table at a rollback
        sql, values = translate(sql, params)
        with self.raw.cursor() as cursor:
            cursor.execute(sql, values, prepare=False)
            return Result(cursor)

    def register(self, name: str, rows: pd.DataFrame | pa.Table) -> None:
        """A temp table ``name`` holding ``rows`` (DuckDB scans a registered frame in place; here it is copied)."""
        table = rows if isinstance(rows, pa.Table) else pa.Table.from_pandas(rows, preserve_index=False)
        columns = ", ".join(f'"{f.name}" {arrow_sql_type(f.type)}' for f in table.schema)
        self.execute(f'DROP TABLE IF EXISTS "{name}"; CREATE TEMP TABLE "{name}" ({columns})')
        self.temp_tables = True
        self.copy_in(f'"{name}"', table)

    def unregister(self, name: str) -> None:
        self.execute(f'DROP TABLE IF EXISTS "{name}"')

    def copy_in(self, table: str, rows: pa.Table, columns: Sequence[str] | None = None) -> None:
        """Append ``rows`` to ``table`` through COPY in the binary format (columns by name; all of the Arrow
        table's by default). The columns' types must be those :mod:`~heg_dash.store.pg_binary` writes."""
        rows = rows if columns is None else rows.select(list(columns))
        cols = ", ".join(f'"{c}"' for c in rows.column_names)
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT binary)") \
                as copy:
            copy.write(pg_binary.encode(rows))

    def copy_out(self, sql: str, params: Sequence | dict | None, schema: pa.Schema) -> pa.Table:
        """The rows of a query as Arrow, typed by ``schema`` (COPY … TO STDOUT as CSV, parsed by Arrow)."""
        return pa.Table.from_batches(list(self.copy_batches(self.bind(sql, params), schema)), schema)

    def copy_batches(self, query: str, schema: pa.Schema, rows_per_batch: int = 1_000_000) -> Iterator[pa.RecordBatch]:
        """The rows of ``query`` as Arrow batches typed by ``schema``. Times travel as µs since the epoch (Arrow's
        CSV reader does not read PostgreSQL's ``+00`` offsets); rows are read straight from libpq, one message
        each, psycopg's per-row machinery costing several times as much."""
        names = ", ".join(epoch_us(f'_q."{f.name}"')
                          if pa.types.is_timestamp(f.type) else f'_q."{f.name}"' for f in schema)
        copy = f"COPY (SELECT {names} FROM ({query}) AS _q) TO STDOUT WITH (FORMAT csv)"
        pg = self.raw.pgconn
        with self.raw.lock:
            pg.send_query(copy.encode())
            while pg.flush():
                select.select([], [pg.socket], [])
            result = pg.get_result()
            if result.status != pq.ExecStatus.COPY_OUT:
                while pg.get_result() is not None:
                    pass
                raise psycopg.errors.error_from_result(result)
            parts: list[bytes] = []
            while True:
                size, data = pg.get_copy_data(0)
                if size < 0:
                    break
                parts.append(bytes(data))
                if len(parts) >= rows_per_batch:
                    yield from parse_csv(b"".join(parts), schema).to_batches()
                    parts = []
            final = None
            while (result := pg.get_result()) is not None:
                final = result
            if size < -1 or (final is not None and final.status != pq.ExecStatus.COMMAND_OK):
                raise psycopg.errors.error_from_result(final) if final is not None else psycopg.OperationalError(
                    pg.error_message.decode(errors="replace"))
        if parts:
            yield from parse_csv(b"".join(parts), schema).to_batches()

    def bind(self, sql: str, params: Sequence | dict | None) -> str:
        """The query with its parameters bound in (COPY takes no parameters)."""
        sql, values = translate(sql, params)
        if values is None:
            return sql
        return psycopg.ClientCursor(self.raw).mogrify(sql, values)

    def close(self) -> None:
        self.raw.close()


def parse_csv(data: bytes, schema: pa.Schema) -> pa.Table:
    """PostgreSQL's CSV of rows typed by ``schema`` (an unquoted empty field is NULL, a quoted one an empty
    string; times as µs since the epoch, see :meth:`PgConnection.copy_out`)."""
    if not data:
        return schema.empty_table()
    options = pacsv.ConvertOptions(
        column_types={f.name: pa.int64() if pa.types.is_timestamp(f.type) else f.type for f in schema},
        null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=False, true_values=["t"],
        false_values=["f"])
    texts = any(pa.types.is_string(f.type) or pa.types.is_large_string(f.type) for f in schema)
    table = pacsv.read_csv(io.BytesIO(data), read_options=pacsv.ReadOptions(column_names=schema.names),
                           parse_options=pacsv.ParseOptions(newlines_in_values=texts), convert_options=options)
    return table.cast(schema)


def arrow_sql_type(kind: pa.DataType) -> str:
    """The PostgreSQL column type for an Arrow type (for tables made from Arrow rows)."""
    if pa.types.is_boolean(kind):
        return "BOOLEAN"
    if pa.types.is_integer(kind):
        return "BIGINT"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "DOUBLE PRECISION"
    if pa.types.is_date(kind):
        return "DATE"
    if pa.types.is_timestamp(kind):
        return "TIMESTAMPTZ" if kind.tz else "TIMESTAMP"
    return 'TEXT COLLATE "C"'


# ------------------------------------------------------------------------------------------------- pool

_idle: dict[str, list[psycopg.Connection]] = {}
_lock = threading.Lock()


def _connect(url: str) -> psycopg.Connection:
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        text = str(exc)
        if "does not exist" in text:
            raise DatabaseMissing(f"database {redacted(url)} does not exist; create it first "
                                  "(createdb, or CREATE DATABASE)") from None
        raise DatabaseUnreachable(f"cannot connect to {redacted(url)}: {text.strip().splitlines()[-1]}") from None
    raw.execute("SET TimeZone = 'UTC'")
    raw.execute("SET application_name = 'heg-dash'")
    return raw


@contextmanager
def open_connection(url: str) -> Iterator[PgConnection]:
    """A pooled connection to ``url``; back in the pool afterwards when it is idle and sound."""
    with _lock:
        pool = _idle.get(url)
        raw = pool.pop() if pool else None
    if raw is None or raw.closed or raw.broken:
        raw = _connect(url)
    con = PgConnection(raw, url)
    try:
        yield con
    finally:
        _release(con)


def _release(con: PgConnection) -> None:
    raw = con.raw
    try:
        if raw.closed or raw.broken:
            return
        if raw.info.transaction_status != pq.TransactionStatus.IDLE:
            raw.execute("ROLLBACK")
        if con.temp_tables:
            raw.execute("DISCARD TEMP")
    except psycopg.Error:
        raw.close()
        return
    with _lock:
        pool = _idle.setdefault(con.url, [])
        if len(pool) < MAX_IDLE:
            pool.append(raw)
            return
    raw.close()


def close_idle(url: str | None = None) -> None:
    """Close the pooled connections (to ``url``, or all): before a database is dropped, or at exit."""
    with _lock:
        urls = [url] if url is not None else list(_idle)
        closing = [raw for u in urls for raw in _idle.pop(u, [])]
    for raw in closing:
        raw.close()
