"""What the two engines share and where they part: quoting, the store's exceptions, and the interface each engine
(:mod:`~heg_dash.store.engine_duckdb`, :mod:`~heg_dash.store.engine_postgres`) fills in.

The store writes one SQL both engines understand wherever that costs nothing (``?`` parameters, explicit GROUP BY,
window functions in a subquery instead of QUALIFY, ``INTERVAL '1 hour'``, ``extract(year FROM …)``, ``ON CONFLICT``).
What differs lives behind :class:`Engine`: opening and locking, the SQL fragments one engine spells differently (the
UTC hour of a time, µs since the epoch, a row's id, bit counts, quantiles, an ASOF join), temp tables, bulk loads
and fetches as Arrow, and the engine's own steps of a write (staging the incoming rows, inserting them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pyarrow as pa

SERVER_SCHEMES = ("postgresql://", "postgres://")
# The temp tables of a write besides _inc (see store.plan): dropped when it is done.
TEMP_TABLES = ("_spans", "_same", "_gone", "_gone_iv", "_cand", "_back")


def q(name: str) -> str:
    """Quote an identifier (columns such as "end" and "use" are SQL keywords)."""
    return '"' + name.replace('"', '""') + '"'


def is_server_url(target: object) -> bool:
    """True for a PostgreSQL connection URL (``postgresql://user@host:port/db``); a path or nothing is DuckDB."""
    return isinstance(target, str) and target.lower().startswith(SERVER_SCHEMES)


class DatabaseBusy(RuntimeError):
    """Another process held the database (DuckDB's file, PostgreSQL's write lock) longer than the lock timeout."""


class DatabaseMissing(RuntimeError):
    """The database does not exist or holds no store yet (run ``python -m heg_dash init``)."""


class DatabaseUnreachable(RuntimeError):
    """The PostgreSQL server could not be reached or refused the connection (the message names where, never a
    password)."""


Target = Path | str  # a DuckDB file, or a PostgreSQL URL


class Engine:
    """One engine's side of the store. Each method names what it stands for; the two implementations say how."""

    name: str
    rowid: str  # the expression of a stored row's identity within a transaction
    rowid_type: str

    # ------------------------------------------------------------------------------------------ connections
    def open(self, target: Target, must_exist: bool) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def exists(self, target: Target) -> bool:
        """Whether ``target`` holds a store (a DuckDB file; a PostgreSQL database with the ``meta`` table)."""
        raise NotImplementedError

    def begin_write(self, con: Any) -> None:
        """Begin a write transaction; on PostgreSQL, also take the store's write lock (one writer at a time, as
        DuckDB's file allows), waiting at most the lock timeout."""
        raise NotImplementedError

    def signature(self, target: Target) -> object | None:
        """Something cheap that changes with every committed write, or None when only a read of the data version
        can tell (the query cache then reads it once per page run)."""
        return None

    def drop_store(self, target: Target) -> None:
        """Remove the store at ``target`` (``init --force``): the file, or every table of the store."""
        raise NotImplementedError

    def drop_tables(self, con: Any) -> None:
        """Drop every table of the store on ``con`` (inside the caller's transaction, where the engine allows)."""
        raise NotImplementedError

    def empty_table(self, con: Any, table: str) -> None:
        """Remove every row of ``table`` (inside the caller's transaction)."""
        con.execute(f"DELETE FROM {table}")

    def restart_sequence(self, con: Any, name: str, next_value: int) -> None:
        """Make the sequence ``name`` give ``next_value`` next."""
        raise NotImplementedError

    def describe(self, target: Target) -> str:
        """``target`` as a person may read it (a URL without its password)."""
        return str(target)

    def schema_extras(self) -> list[str]:
        """Statements the engine adds to the schema (indexes), run after the tables are made."""
        return []

    # ---------------------------------------------------------------------------------------------- dialect
    def sql_type(self, declared: str) -> str:
        """The column type of a declared SQL type (``datasets.SQL_TYPES``)."""
        return declared

    def utc_hour(self, column: str) -> str:
        """SQL for the UTC hour a TIMESTAMPTZ falls in (a TIMESTAMPTZ)."""
        raise NotImplementedError

    def hour_number(self, column: str) -> str:
        """SQL for the hours since the epoch of a TIMESTAMPTZ (BIGINT)."""
        raise NotImplementedError

    def epoch_us(self, column: str) -> str:
        """SQL for the µs since the epoch of a TIMESTAMPTZ (BIGINT)."""
        raise NotImplementedError

    def timestamp_us(self, us: int) -> str:
        """SQL for the TIMESTAMPTZ constant ``us`` µs after the epoch."""
        raise NotImplementedError

    def bit_count(self, expression: str) -> str:
        """SQL for the number of bits set in a BIGINT."""
        raise NotImplementedError

    def quartiles(self, column: str) -> str:
        """SQL for an aggregate list of the 25 % and 75 % quantiles (continuous) of ``column``; index it ``[1]``,
        ``[2]``."""
        raise NotImplementedError

    def latest_before(self, left: str, right: str, columns: Sequence[str]) -> str:
        """A FROM clause joining each row of ``left`` (aliased ``a``) to the row of ``right`` (aliased ``b``) of the
        same meter with the latest start before the left row's end (ASOF), with ``columns`` of ``b``. Rows of
        ``right`` must not overlap per meter; a left row without one is left out."""
        raise NotImplementedError

    def create_temp(self, con: Any, name: str, select: str, params: Sequence | dict | None = None,
                    index: Sequence[str] = ()) -> None:
        """Temp table ``name`` (replacing one of that name) as the rows of ``select``; ``index``: columns the
        engine may index for the joins that follow (PostgreSQL does, and gathers the table's statistics)."""
        raise NotImplementedError

    # ----------------------------------------------------------------------------------------- data in, out
    def append_arrow(self, con: Any, table: str, rows: pa.Table, columns: Sequence[str] | None = None) -> None:
        """Append Arrow rows to ``table`` (by column name; ``columns`` default to the Arrow table's)."""
        raise NotImplementedError

    def append_frame(self, con: Any, ds: Any, frame: Any, batch_id: int) -> None:
        """Append a frame in a dataset's declared columns to its table under ``batch_id`` (bulk loads)."""
        raise NotImplementedError

    def fetch_arrow(self, con: Any, sql: str, params: Sequence | dict | None = None,
                    schema: pa.Schema | None = None) -> pa.Table:
        """A query's rows as Arrow; ``schema`` names the result's columns and types (PostgreSQL needs it)."""
        raise NotImplementedError

    # ---------------------------------------------------------------------------------------- a write's rows
    def stage_rows(self, con: Any, ds: Any, rows: pa.Table, in_key_order: bool) -> None:
        """Make the incoming Arrow rows (``_row`` and the dataset's columns) readable as ``_inc``. ``in_key_order``:
        the rows are in key order and follow one another per meter (an import of readings as exports come): the
        engine may hold them back until a join needs them (:meth:`materialise`) or they are inserted."""
        raise NotImplementedError

    def materialise(self, con: Any, ds: Any) -> None:
        """``_inc`` as a temp table fit for joins with the stored rows."""
        raise NotImplementedError

    def readable(self, con: Any, ds: Any) -> None:
        """``_inc`` readable by SQL (rows held back become a table; a view already is)."""
        raise NotImplementedError

    def unstage(self, con: Any) -> None:
        """Let go of the incoming Arrow rows (a no-op when none are held)."""
        raise NotImplementedError

    def count_incoming(self, con: Any) -> int:
        raise NotImplementedError

    def drop_temp(self, con: Any, inc_is_view: bool) -> None:
        """Drop a write's temp tables (``TEMP_TABLES`` and ``_inc``, a view or not) and let go of its rows."""
        raise NotImplementedError

    def insert_rows(self, con: Any, ds: Any, batch_id: int, some_same: bool) -> None:
        """Insert ``_inc``'s rows under ``batch_id``; ``some_same``: leave out the rows in ``_same``."""
        raise NotImplementedError

    def candidates_select(self, table: str) -> str:
        """SELECT of the stored intervals of ``table`` (rid, meter_id, start, end) that may meet an incoming one:
        those of each meter in ``_spans`` that overlap its period (lo, hi)."""
        raise NotImplementedError

    def batches(self, con: Any, table: str, columns: Sequence[str], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
        """Every row of ``table`` as Arrow batches of bounded size, typed by ``schema`` (for copies between stores)."""
        raise NotImplementedError
