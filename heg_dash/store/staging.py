"""The incoming rows of a write, staged on the connection as ``_inc`` (and, for readings, ``_spans``): in key
order, as a view of their Arrow rows where each meter's intervals already follow one another (the usual
export), else as a temp table sorted by key."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from heg_dash.datasets import SQL_TYPES, Dataset
from heg_dash.importers.read import run_heads
from heg_dash.store import rollup
from heg_dash.store.common import INTERVAL_DATASETS
from heg_dash.store.db import q

INC_ARROW = "_inc_arrow"  # the incoming rows as Arrow, registered on the connection while a write is planned


def stage(con: duckdb.DuckDBPyConnection, ds: Dataset, frame: pd.DataFrame,
           blocks_ready: Callable[[rollup.MeterBlocks], None] | None = None) -> rollup.MeterBlocks | None:
    """The incoming rows as ``_inc``: the declared SQL types plus ``_row`` (the file's row), in key order
    (what :func:`_write` inserts them in).

    Returns the meter blocks when each meter's intervals already follow one another (see
    :func:`key_order`), else None. When they follow, nothing overlaps, key order is a regrouping of the rows
    by meter, not a sort, and ``_inc`` is a view of the regrouped Arrow rows (``INC_ARROW``, registered
    until :func:`unstage`): the Arrow rows serve the spans, the per-day sums of new periods and the insert,
    cheaper than copying them into a table first. :func:`_classify` copies it into a temp table when the
    file meets stored rows. Otherwise ``_inc`` is a temp table sorted by key.

    The blocks are found before the regrouping copies the rows (so they are in file order when it does; the
    spans and the per-day sums need no order), and ``blocks_ready`` gets them then, with ``_spans`` made.
    """
    arrow = pa.Table.from_pandas(frame[ds.column_names], preserve_index=False)
    arrow = arrow.add_column(0, "_row", pa.array(frame.index.to_numpy(np.int64)))
    regrouping = key_order(frame) if ds.name in INTERVAL_DATASETS else None
    if isinstance(regrouping, np.ndarray):
        arrow = arrow.take(regrouping)
    blocks = None if regrouping is None else rollup.MeterBlocks.of(arrow)  # each meter's rows one block now
    if blocks is not None:
        _spans_of_blocks(con, blocks)
        if blocks_ready is not None:
            blocks_ready(blocks)
    if isinstance(regrouping, list) and regrouping != sorted(regrouping):
        # Block copies, not a take row by row; one chunk, which DuckDB reads twice as fast as the slices.
        arrow = pa.concat_tables([arrow.slice(first, rows) for first, rows in regrouping]).combine_chunks()
    con.register(INC_ARROW, arrow)
    if blocks is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW _inc AS {_inc_select(ds)}")
        return blocks
    key = ", ".join(q(k) for k in ds.key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _inc AS {_inc_select(ds)} ORDER BY {key}")
    unstage(con)  # not in a finally: in a failed transaction it would raise over the error (the rollback lets go)
    if ds.name in INTERVAL_DATASETS:
        con.execute("CREATE OR REPLACE TEMP TABLE _spans AS SELECT meter_id, min(start) AS lo, max(\"end\") AS hi "
                    "FROM _inc GROUP BY meter_id")
    return None


def _spans_of_blocks(con: duckdb.DuckDBPyConnection, blocks: rollup.MeterBlocks) -> None:
    """Temp table ``_spans``: per meter of the incoming rows the period they cover, first start to last end;
    from the Arrow rows, as reading them through the view would cost a scan."""
    utc = pa.timestamp("us", tz="UTC")
    spans = pa.table({"meter_id": blocks.meter_ids, "lo": pa.array(blocks.lo_us, utc),
                      "hi": pa.array(blocks.hi_us, utc)})
    con.register("_spans_arrow", spans)
    con.execute("CREATE OR REPLACE TEMP TABLE _spans AS SELECT CAST(meter_id AS VARCHAR) AS meter_id, "
                "CAST(lo AS TIMESTAMPTZ) AS lo, CAST(hi AS TIMESTAMPTZ) AS hi FROM _spans_arrow")
    con.unregister("_spans_arrow")


def _inc_select(ds: Dataset) -> str:
    cols = ", ".join(f"CAST({q(c.name)} AS {SQL_TYPES[c.type]}) AS {q(c.name)}" for c in ds.columns)
    return f"SELECT _row, {cols} FROM {INC_ARROW}"


def materialise(con: duckdb.DuckDBPyConnection, ds: Dataset) -> None:
    """``_inc`` as a temp table, when it is a view of the Arrow rows (the joins of :func:`_classify` need a
    table's statistics: over a view DuckDB can pick a plan that takes minutes)."""
    if con.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = '_inc'").fetchone()[0]:
        con.execute("DROP VIEW _inc")
        con.execute(f"CREATE TEMP TABLE _inc AS {_inc_select(ds)}")
        unstage(con)


def unstage(con: duckdb.DuckDBPyConnection) -> None:
    """Let go of the incoming Arrow rows (once nothing reads them; a no-op when none are registered). A
    rollback lets go of them too: the registration is part of the transaction."""
    con.unregister(INC_ARROW)
    pa.default_memory_pool().release_unused()  # a regrouped copy: Arrow's pool would keep it for later


def key_order(frame: pd.DataFrame) -> np.ndarray | list[tuple[int, int]] | None:
    """How to put the rows in key order (meter id as DuckDB sorts text, then start) without sorting, when
    each meter's intervals follow one another in file order; else None (the SQL sort and overlap query
    decide).

    Following one another: each starting after the previous one's start and no earlier than its end (as
    exports and meter files are written). Then, ordered by start, no interval starts before the previous
    one ends: exactly what :func:`_check_overlaps` looks for.

    When each meter's rows are one block of the file, as exports and meter files come: the blocks as
    (first row, rows) in meter id order (regrouping them copies blocks, not rows one by one). Otherwise the
    row order that groups the rows by meter, each meter's rows in file order.
    """
    start, end = frame.get("start"), frame.get("end")
    # Only times the cast to TIMESTAMPTZ keeps as they are (nanoseconds would be cut to microseconds).
    if len(frame) < 2 or not all(isinstance(c, pd.Series) and isinstance(c.dtype, pd.DatetimeTZDtype)
                                 and c.dtype.unit in ("s", "ms", "us") for c in (start, end)):
        return None
    if start.dtype.unit != end.dtype.unit or frame["meter_id"].isna().any() or start.isna().any() \
            or end.isna().any():
        return None
    start, end = start.array.asi8, end.array.asi8  # epoch in UTC, in the dtype's unit
    meter = pa.array(frame["meter_id"], pa.large_string())  # no copy for the str dtype
    heads = run_heads(meter)
    head_ids = meter.take(pa.array(heads))
    if pc.count_distinct(head_ids).as_py() == len(heads):  # each meter one block
        same = np.ones(len(frame) - 1, bool)
        same[heads[1:] - 1] = False  # the pairs of rows on either side of a block boundary
        if not _each_follows(start, end, same):
            return None
        rows = np.diff(np.r_[heads, len(frame)])
        return [(int(heads[i]), int(rows[i])) for i in _text_order(head_ids.to_pylist())]
    codes, uniques = pd.factorize(frame["meter_id"])
    rank = np.empty(len(uniques), np.int64)
    rank[_text_order([str(u) for u in uniques])] = np.arange(len(uniques))
    keys = rank[codes]
    order = np.argsort(keys.astype(np.int16) if len(uniques) < 2**15 else keys, kind="stable")
    same = codes[order][1:] == codes[order][:-1]
    return order if _each_follows(start[order], end[order], same) else None


def _text_order(texts: list[str]) -> list[int]:
    """The positions of ``texts`` in the order DuckDB sorts text (by UTF-8 bytes)."""
    return sorted(range(len(texts)), key=lambda i: texts[i].encode("utf-8"))


def _each_follows(start: np.ndarray, end: np.ndarray, same: np.ndarray) -> bool:
    """Each interval starts after the one before and no earlier than its end, wherever ``same`` says the two
    rows are of one meter."""
    return bool(((start[1:] > start[:-1]) & (end[:-1] <= start[1:]))[same].all())
