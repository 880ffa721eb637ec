"""The store's write side: every SQL statement that changes datasets lives here (and in db.py).

Rules (DESIGN.md, import contract):

- A write is ONE transaction: an import, an in-place edit, an undo, clearing the sample data, a restore.
  Anything that fails inside it rolls the whole write back; a killed process leaves the file as before.
- Rows are keyed by the dataset's natural key. An imported row identical to the stored row (every
  column equal, nulls equal) is *unchanged* and not written again; a stored row with the same key and
  other values is *replaced*. Readings: every stored interval that overlaps an imported interval of the
  same meter is replaced (an hourly file replaces the quarter-hours it covers, and vice versa).
- ``replace=True`` replaces the whole dataset; for readings the meters in the file over the period the
  file covers for each meter (first start to last end).
- A replaced row moves to ``<name>__replaced`` with ``replaced_by`` = the batch that replaced it, so
  :func:`undo` can restore exactly the state before a batch. An undo is refused when a later batch that is
  still in force touched the same rows (replaced a row of the batch, or wrote where the batch's restored
  rows would go).
- An import that would change nothing records no batch (nothing to undo); the audit log notes it.

Set-based SQL only: the file's frame is registered as Arrow and compared with anti-/semi-/ASOF joins, so a
million readings import in seconds. Stored readings never overlap per meter (an invariant every write
keeps), which is what lets one ASOF join find every stored interval an imported one overlaps.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from heg_dash import db, i18n, rollup
from heg_dash.datasets import DATASETS, REFERENCES, SQL_TYPES, Dataset
from heg_dash.db import q
from heg_dash.importers.read import run_heads

INTERVAL_DATASETS = ("readings",)  # datasets whose rows are intervals [start, end) per meter
CLEAR_SAMPLE_DATASET = "*"  # import_batches.dataset of a batch that spans every dataset
_INC_ARROW = "_inc_arrow"  # the incoming rows as Arrow, registered on the connection while a write is planned
PAUSE_HOOK_ENV = "HEG_DASH_TEST_PAUSE_IN_TX"  # tests only: a marker file written, then a long sleep, mid-write
# Meta keys a restore keeps from the database it restores into: its identity (so caches keyed by the data
# version never mistake old data for new) and the editor password (an old backup must not bring back an
# old password).
KEEP_ON_RESTORE = ("db_id", "data_version", "editor_password")


class StoreRefused(Exception):
    """A write the store refuses, with nothing changed: ``key`` is a catalogue key, ``values`` fill it.

    ``problems`` carries row-level problems (importers.Problem) when the refusal is about the file's rows.
    """

    def __init__(self, key: str, problems: list | None = None, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
        self.problems = problems or []

    def text(self) -> str:
        return i18n.t(self.key, **{k: _fmt(v) for k, v in self.values.items()})


def _fmt(value: object) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class Counts:
    """What a write does, counted in the file's rows: added + replaced + unchanged = the rows of the file.

    ``replaced``: file rows that take the place of stored rows (the same key; for readings, stored intervals
    they overlap, however many). ``removed``: stored rows that go without a file row in their place (the rows
    a ``--replace`` leaves out). Every stored row that goes is kept in history for undo.
    """

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: list = field(default_factory=list)  # importers.Problem, about the store's state

    @property
    def changes(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


# --------------------------------------------------------------------------------------------- context

def _sample_filter(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return (f"{prefix}batch_id NOT IN (SELECT batch_id FROM import_batches "
            "WHERE kind = 'sample' AND undone_at IS NULL)")


def import_context(con: duckdb.DuckDBPyConnection, dataset: str, *, exclude_sample: bool = False
                   ) -> tuple[pd.DataFrame | None, dict[tuple[str, str], set[str]]]:
    """What parsing a file for ``dataset`` needs from the store: (meters, known keys of its references).

    Meters map Eloverblik GSRNs (readings only). ``exclude_sample`` leaves the sample rows out, for an
    import that clears the sample data first.
    """
    where = f" WHERE {_sample_filter()}" if exclude_sample else ""
    known: dict[tuple[str, str], set[str]] = {}
    for (ds_name, _column), (target, tcol) in REFERENCES.items():
        if ds_name != dataset or (target, tcol) in known:
            continue
        rows = con.execute(f"SELECT DISTINCT CAST({q(tcol)} AS VARCHAR) FROM {q(target)}{where}").fetchall()
        known[(target, tcol)] = {r[0] for r in rows if r[0] is not None}
    meters = None
    if dataset == "readings":
        meters = con.execute(
            f"SELECT meter_id, gsrn, unit, utility FROM meters{where} ORDER BY meter_id").df()
    return meters, known


# --------------------------------------------------------------------------------------------- staging

def _stage(con: duckdb.DuckDBPyConnection, ds: Dataset, frame: pd.DataFrame,
           blocks_ready: Callable[[rollup.MeterBlocks], None] | None = None) -> rollup.MeterBlocks | None:
    """The incoming rows as ``_inc``: the declared SQL types plus ``_row`` (the file's row), in key order
    (what :func:`_write` inserts them in).

    Returns the meter blocks when each meter's intervals already follow one another (see
    :func:`_key_order`), else None. When they follow, nothing overlaps, key order is a regrouping of the rows
    by meter, not a sort, and ``_inc`` is a view of the regrouped Arrow rows (``_INC_ARROW``, registered
    until :func:`_unstage`): the Arrow rows serve the spans, the per-day sums of new periods and the insert,
    cheaper than copying them into a table first. :func:`_classify` copies it into a temp table when the
    file meets stored rows. Otherwise ``_inc`` is a temp table sorted by key.

    The blocks are found before the regrouping copies the rows (so they are in file order when it does; the
    spans and the per-day sums need no order), and ``blocks_ready`` gets them then, with ``_spans`` made.
    """
    arrow = pa.Table.from_pandas(frame[ds.column_names], preserve_index=False)
    arrow = arrow.add_column(0, "_row", pa.array(frame.index.to_numpy(np.int64)))
    regrouping = _key_order(frame) if ds.name in INTERVAL_DATASETS else None
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
    con.register(_INC_ARROW, arrow)
    if blocks is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW _inc AS {_inc_select(ds)}")
        return blocks
    key = ", ".join(q(k) for k in ds.key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _inc AS {_inc_select(ds)} ORDER BY {key}")
    _unstage(con)  # not in a finally: in a failed transaction it would raise over the error (the rollback lets go)
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
    return f"SELECT _row, {cols} FROM {_INC_ARROW}"


def _materialise(con: duckdb.DuckDBPyConnection, ds: Dataset) -> None:
    """``_inc`` as a temp table, when it is a view of the Arrow rows (the joins of :func:`_classify` need a
    table's statistics: over a view DuckDB can pick a plan that takes minutes)."""
    if con.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = '_inc'").fetchone()[0]:
        con.execute("DROP VIEW _inc")
        con.execute(f"CREATE TEMP TABLE _inc AS {_inc_select(ds)}")
        _unstage(con)


def _unstage(con: duckdb.DuckDBPyConnection) -> None:
    """Let go of the incoming Arrow rows (once nothing reads them; a no-op when none are registered). A
    rollback lets go of them too: the registration is part of the transaction."""
    con.unregister(_INC_ARROW)
    pa.default_memory_pool().release_unused()  # a regrouped copy: Arrow's pool would keep it for later


def _key_order(frame: pd.DataFrame) -> np.ndarray | list[tuple[int, int]] | None:
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


def _key_join(ds: Dataset, a: str, b: str) -> str:
    return " AND ".join(f"{a}.{q(k)} = {b}.{q(k)}" for k in ds.key)


def _same_values(ds: Dataset, a: str, b: str) -> str:
    others = [c.name for c in ds.columns if c.name not in ds.key]
    return " AND ".join(f"{a}.{q(c)} IS NOT DISTINCT FROM {b}.{q(c)}" for c in others) or "TRUE"


def _candidates(con: duckdb.DuckDBPyConnection, ds: Dataset) -> int:
    """Temp table ``_cand`` of an interval dataset: the stored rows of the file's meters, each over the period
    the file covers for it (``_spans``): the only rows an incoming one can equal or overlap, and with replace
    exactly the rows to replace. Returns how many there are (none: the file holds new periods)."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _cand AS SELECT s.rowid AS rid, s.meter_id, s.start, s.\"end\" "
        f"FROM {q(ds.table)} s JOIN _spans b ON s.meter_id = b.meter_id AND s.start < b.hi AND s.\"end\" > b.lo")
    [(count,)] = con.execute("SELECT count(*) FROM _cand").fetchall()  # all: con.sql may follow (rollup)
    return int(count)


def _classify(con: duckdb.DuckDBPyConnection, ds: Dataset, replace: bool,
              candidates: int | None = None) -> tuple[Counts, bool]:
    """Fill ``_same`` (stored rows identical to an incoming row) and ``_gone`` (stored rows to replace).

    Also says whether the incoming rows meet stored ones: for readings, whether any stored interval of a
    meter lies within the period the file covers for it; for other datasets always True. ``candidates``:
    what :func:`_candidates` returned, when it has run for these rows."""
    t = q(ds.table)
    if ds.name in INTERVAL_DATASETS:
        if candidates is None:
            candidates = _candidates(con, ds)
        if not candidates:  # new periods: nothing equal or replaced
            con.execute("CREATE OR REPLACE TEMP TABLE _same (rid BIGINT, _row BIGINT)")
            con.execute("CREATE OR REPLACE TEMP TABLE _gone (rid BIGINT)")
            return Counts(added=int(con.execute("SELECT count(*) FROM _inc").fetchone()[0])), False
        _materialise(con, ds)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _same AS SELECT s.rowid AS rid, i._row FROM {t} s JOIN _inc i "
        f"ON {_key_join(ds, 's', 'i')} WHERE {_same_values(ds, 's', 'i')}"
    )
    if ds.name in INTERVAL_DATASETS and replace:
        gone = "SELECT rid FROM _cand"
    elif ds.name in INTERVAL_DATASETS:
        # Incoming intervals do not overlap each other (checked), so they are ordered by start and end
        # alike: the one with the latest start before a stored row's end is the only one that can
        # overlap it. ASOF finds it per meter in one pass. The candidates are materialised (above): with
        # them inline, DuckDB's estimates turn the ASOF join into a nested loop (minutes at 1M rows).
        gone = ("SELECT s.rid FROM _cand s ASOF JOIN _inc i ON s.meter_id = i.meter_id AND s.\"end\" > i.start "
                "WHERE i.\"end\" > s.start")
    elif replace:
        gone = f"SELECT rowid AS rid FROM {t}"
    else:
        gone = f"SELECT s.rowid AS rid FROM {t} s SEMI JOIN _inc i ON {_key_join(ds, 's', 'i')}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _gone AS {gone} EXCEPT SELECT rid FROM _same")
    incoming = con.execute("SELECT count(*) FROM _inc").fetchone()[0]
    unchanged = con.execute("SELECT count(DISTINCT _row) FROM _same").fetchone()[0]
    gone = con.execute("SELECT count(*) FROM _gone").fetchone()[0]
    replaced, removed = _replaced_and_removed(con, ds, replace, int(gone))
    return Counts(added=int(incoming - unchanged - replaced), replaced=replaced, unchanged=int(unchanged),
                  removed=removed), True


def _replaced_and_removed(con: duckdb.DuckDBPyConnection, ds: Dataset, replace: bool, gone: int) -> tuple[int, int]:
    """(file rows that take the place of stored rows in ``_gone``, rows of ``_gone`` no file row takes the place
    of). Stored intervals never overlap per meter, so an incoming interval overlaps a stored one exactly when the
    one that starts last before it ends does (ASOF), and the same holds the other way round."""
    if not gone:
        return 0, 0
    t = q(ds.table)
    if ds.name not in INTERVAL_DATASETS:
        replaced = con.execute(
            f"SELECT count(DISTINCT i._row) FROM _inc i JOIN {t} s ON {_key_join(ds, 's', 'i')} "
            "WHERE s.rowid IN (SELECT rid FROM _gone)").fetchone()[0]
        taken = con.execute(
            f"SELECT count(*) FROM {t} s SEMI JOIN _inc i ON {_key_join(ds, 's', 'i')} "
            "WHERE s.rowid IN (SELECT rid FROM _gone)").fetchone()[0] if replace else gone
        return int(replaced), int(gone - taken)
    con.execute("CREATE OR REPLACE TEMP TABLE _gone_iv AS SELECT c.meter_id, c.start, c.\"end\" FROM _cand c "
                "WHERE c.rid IN (SELECT rid FROM _gone)")
    replaced = con.execute(
        "SELECT count(*) FROM _inc i ASOF JOIN _gone_iv s ON i.meter_id = s.meter_id AND i.\"end\" > s.start "
        "WHERE s.\"end\" > i.start").fetchone()[0]
    taken = con.execute(
        "SELECT count(*) FROM _gone_iv s ASOF JOIN _inc i ON s.meter_id = i.meter_id AND s.\"end\" > i.start "
        "WHERE i.\"end\" > s.start").fetchone()[0] if replace else gone  # without replace, only overlaps go
    return int(replaced), int(gone - taken)


def _check_overlaps(con: duckdb.DuckDBPyConnection, ds: Dataset, file: str, follows: bool = False) -> list:
    """Intervals within one file must not overlap per meter (a stored interval could not say which wins)."""
    from heg_dash.importers.validate import Problem

    if ds.name not in INTERVAL_DATASETS or follows:
        return []  # following one another, nothing overlaps: the window query would sort every row for nothing
    rows = con.execute(
        "SELECT _row, prev_row, meter_id FROM (SELECT _row, meter_id, start, "
        "lag(\"end\") OVER w AS prev_end, lag(_row) OVER w AS prev_row FROM _inc "
        "WINDOW w AS (PARTITION BY meter_id ORDER BY start)) WHERE prev_end > start ORDER BY _row LIMIT 20"
    ).fetchall()
    return [Problem(file, int(r), "start", "data.overlap_in_file", {"first": int(p), "meter": m})
            for r, p, m in rows]


def _check_references(con: duckdb.DuckDBPyConnection, ds: Dataset, file: str) -> list:
    """Every reference of the incoming rows exists once the write is done (checked inside the transaction,
    so a reference removed by another process since the preview is caught too)."""
    from heg_dash.importers.validate import Problem

    problems = []
    for (ds_name, column), (target, tcol) in REFERENCES.items():
        if ds_name != ds.name:
            continue
        if target == ds.name:  # a self-reference: the rows that stay plus the incoming ones
            known = (f"SELECT {q(tcol)} AS k FROM {q(target)} WHERE rowid NOT IN (SELECT rid FROM _gone) "
                     f"UNION SELECT {q(tcol)} FROM _inc")
        else:
            known = f"SELECT {q(tcol)} AS k FROM {q(target)}"
        if ds.name in INTERVAL_DATASETS and column == "meter_id" and not con.execute(
                f"SELECT count(*) FROM _spans WHERE meter_id NOT IN ({known})").fetchone()[0]:
            continue  # _spans holds each incoming meter id once: the rows are read only to name an unknown one
        rows = con.execute(
            f"SELECT CAST(i.{q(column)} AS VARCHAR) AS v, min(i._row), count(*) FROM _inc i "
            f"WHERE i.{q(column)} IS NOT NULL AND i.{q(column)} NOT IN ({known}) GROUP BY v ORDER BY 2 LIMIT 20"
        ).fetchall()
        problems += [Problem(file, int(first), column, "imp.unknown_reference",
                             {"value": v, "dataset": target, "target": tcol, "count": int(n)})
                     for v, first, n in rows]
    return problems


def _kept_rows(con: duckdb.DuckDBPyConnection, ds: Dataset, *, staged: bool) -> pd.DataFrame:
    """The rows ``ds`` would hold after the write (stored rows not in ``_gone``, plus the incoming rows not
    identical to a stored one), with ``_row``: the file's row, or null for a stored row. ``staged=False``:
    the table as it is (an undo)."""
    cols = ", ".join(q(c) for c in ds.column_names)
    if not staged:
        return con.execute(f"SELECT {cols}, CAST(NULL AS BIGINT) AS _row FROM {q(ds.table)}").df()
    return con.execute(
        f"SELECT {cols}, CAST(NULL AS BIGINT) AS _row FROM {q(ds.table)} WHERE rowid NOT IN (SELECT rid FROM _gone) "
        f"UNION ALL SELECT {cols}, _row FROM _inc WHERE _row NOT IN (SELECT _row FROM _same)").df()


def _integrity_problems(kept: pd.DataFrame, ds: Dataset, file: str, *, only_file_rows: bool) -> list:
    """importers.integrity's rules on the rows kept: a problem names the file's row where one is involved
    (else the stored rows' keys). ``only_file_rows``: leave out what involves no file row (an older database
    may hold a loop; a file that does not touch it is not refused for it)."""
    from heg_dash.importers.integrity import breaches
    from heg_dash.importers.validate import Problem

    def file_row(r: int) -> int | None:
        return None if pd.isna(kept["_row"].iloc[r]) else int(kept["_row"].iloc[r])

    problems, seen = [], set()
    # A breach seen from a file row first: two rows sharing a GSRN are one problem, told at the file's row.
    for breach in sorted(breaches(kept, ds), key=lambda b: file_row(b.rows[0]) is None):
        file_rows = [row for row in map(file_row, breach.rows) if row is not None]
        same = (breach.key, breach.column, frozenset(breach.rows))
        if (only_file_rows and not file_rows) or same in seen:
            continue
        seen.add(same)
        problems.append(Problem(file, file_rows[0] if file_rows else None, breach.column, breach.key,
                                breach.values))
    return problems


def _has_integrity_rules(ds: Dataset) -> bool:
    return ds.tree is not None or any(c.unique for c in ds.columns)


def _dangling_warnings(con: duckdb.DuckDBPyConnection, ds: Dataset, file: str) -> list:
    """Rows elsewhere that refer to keys this write removes (a --replace that leaves a campus out)."""
    from heg_dash.importers.validate import Problem

    warnings = []
    for (ref_ds, column), (target, tcol) in REFERENCES.items():
        if target != ds.name or ref_ds == ds.name:
            continue
        n = con.execute(
            f"SELECT count(*) FROM {q(ref_ds)} WHERE {q(column)} IN (SELECT {q(tcol)} FROM {q(target)} "
            f"WHERE rowid IN (SELECT rid FROM _gone)) AND {q(column)} NOT IN (SELECT {q(tcol)} FROM _inc)"
        ).fetchone()[0]
        if n:
            warnings.append(Problem(file, None, tcol, "data.dangling", {"count": int(n), "dataset": ref_ds,
                                                                        "column": column}))
    return warnings


def _write(con: duckdb.DuckDBPyConnection, ds: Dataset, batch_id: int) -> None:
    """Move the replaced rows to history, delete them, insert the incoming rows that are not unchanged."""
    t, cols = q(ds.table), ", ".join(q(c) for c in ds.column_names)
    con.execute(
        f"INSERT INTO {q(ds.table + '__replaced')} ({cols}, batch_id, replaced_by) "
        f"SELECT {cols}, batch_id, ? FROM {t} WHERE rowid IN (SELECT rid FROM _gone)", [batch_id])
    con.execute(f"DELETE FROM {t} WHERE rowid IN (SELECT rid FROM _gone)")
    if con.execute("SELECT count(*) FROM _same").fetchone()[0]:
        order = ", ".join(q(k) for k in ds.key)
        con.execute(
            f"INSERT INTO {t} ({cols}, batch_id) SELECT {cols}, ? FROM _inc "
            f"WHERE _row NOT IN (SELECT _row FROM _same) ORDER BY {order}", [batch_id])
    else:  # _inc is in key order (see _stage) and a plain scan keeps it: no sort of every row again
        con.execute(f"INSERT INTO {t} ({cols}, batch_id) SELECT {cols}, ? FROM _inc", [batch_id])


def _drop_temp(con: duckdb.DuckDBPyConnection, inc_is_view: bool) -> None:
    """Drop the temp tables of a write (``_inc`` a view or a table, as ``Plan.inc_is_view`` says: dropping it
    as the other kind would abort the transaction)."""
    con.execute(f"DROP {'VIEW' if inc_is_view else 'TABLE'} IF EXISTS _inc; "
                + " ".join(f"DROP TABLE IF EXISTS {name};"
                           for name in ("_spans", "_same", "_gone", "_gone_iv", "_cand", "_back")))
    _unstage(con)


def _pause_for_tests() -> None:
    """Tests only: with HEG_DASH_TEST_PAUSE_IN_TX set, announce being mid-transaction and wait to be killed."""
    marker = os.environ.get(PAUSE_HOOK_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(300)


# ------------------------------------------------------------------------------------------------ writes

@dataclass
class Plan:
    counts: Counts
    problems: list
    # The per-day sums of the incoming readings, being computed in the background (asked for with plan's
    # days_ahead), when they are new periods for their meters (no stored reading between a meter's first
    # start and last end in the file): their days then need only them (rollup.days_of_new_rows).
    new_period_days: Future[pa.Table] | None = None
    inc_is_view: bool = False  # _inc is a view of the staged Arrow rows, not a table (see _stage)


def plan(con: duckdb.DuckDBPyConnection, dataset: str, frame: pd.DataFrame, *, replace: bool, file: str,
         days_ahead: bool = False) -> Plan:
    """Stage and classify the incoming rows on ``con`` (inside the caller's transaction).

    ``days_ahead``: when the incoming readings are new periods for their meters, sum their days on the second
    core from the moment the meter blocks are known, while this core regroups and checks the rows
    (``Plan.new_period_days``).
    """
    ds = DATASETS[dataset]
    ahead: list[Future[pa.Table]] = []
    candidates: list[int] = []

    def sum_days(blocks: rollup.MeterBlocks) -> None:
        candidates.append(_candidates(con, ds))
        if not candidates[0]:
            ahead.append(rollup.days_of_new_rows(con, blocks))

    in_key_order = _stage(con, ds, frame, sum_days if days_ahead else None)
    problems = _check_overlaps(con, ds, file, in_key_order is not None)
    counts, meets_stored = _classify(con, ds, replace, candidates[0] if candidates else None)
    problems += _check_references(con, ds, file)
    if _has_integrity_rules(ds):
        problems += _integrity_problems(_kept_rows(con, ds, staged=True), ds, file, only_file_rows=True)
    if replace:
        counts.warnings += _dangling_warnings(con, ds, file)
    # _classify made a view of the Arrow rows a table where the file meets stored rows.
    return Plan(counts, problems, ahead[0] if ahead else None,
                inc_is_view=in_key_order is not None and not meets_stored)


def preview(dataset: str, frame: pd.DataFrame, *, replace: bool = False, clear_sample: bool = False,
            file: str = "", path: str | Path | None = None) -> tuple[Counts, list]:
    """What :func:`write` would do, computed in a transaction that is rolled back: (counts, problems)."""
    with db.connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            if clear_sample:
                _clear_sample(con, None)
            planned = plan(con, dataset, frame, replace=replace, file=file)
            return planned.counts, planned.problems
        finally:
            con.execute("ROLLBACK")


@dataclass
class WriteResult:
    batch_id: int | None  # None: nothing changed, no batch recorded
    counts: Counts
    cleared_batch_id: int | None = None


def write(dataset: str, frame: pd.DataFrame, *, replace: bool = False, user: str | None, kind: str = "import",
          file_name: str | None = None, sha256: str | Future[str] | None = None, clear_sample: bool = False,
          note: str | None = None, path: str | Path | None = None) -> WriteResult:
    """Store ``frame`` (a validated dataset frame) as one batch in one transaction; see the module rules.
    ``sha256`` may still be being computed (a future): it is awaited when the batch is recorded, so the
    hash runs on the second core while the rows are staged and checked.

    Raises StoreRefused (nothing changed) when a rule only the store can check fails (references,
    overlapping intervals within the file).
    """
    file = file_name or ""
    with db.transaction(path) as con:
        cleared = _clear_sample(con, user) if clear_sample else None
        planned = plan(con, dataset, frame, replace=replace, file=file, days_ahead=True)
        counts = planned.counts
        if planned.problems:
            raise StoreRefused("data.refused_rows", problems=planned.problems)
        if not counts.changes:
            db.audit(con, user, f"{kind}_unchanged", dataset, None, file_name)
            _drop_temp(con, planned.inc_is_view)
            return WriteResult(None, counts, cleared)
        if isinstance(sha256, Future):
            sha256 = sha256.result()
        batch_id = db.new_batch(con, dataset, kind, user=user, file_name=file_name, sha256=sha256, note=note)
        _write(con, DATASETS[dataset], batch_id)
        if planned.new_period_days is None:
            rollup.mark_batch(con, dataset, batch_id)
            rollup.refresh(con)
        else:  # new periods: their days were summed from the file's rows on the second core meanwhile
            rollup.store_new_days(con, planned.new_period_days.result())
        con.execute("UPDATE import_batches SET rows_added = ?, rows_replaced = ?, rows_unchanged = ?, rows_removed = ? "
                    "WHERE batch_id = ?", [counts.added, counts.replaced, counts.unchanged, counts.removed, batch_id])
        _drop_temp(con, planned.inc_is_view)
        _pause_for_tests()
        return WriteResult(batch_id, counts, cleared)


def _clear_sample(con: duckdb.DuckDBPyConnection, user: str | None) -> int | None:
    """Move every sample row to history under one batch (undoable); None when there is no sample left."""
    sample_ids = [r[0] for r in con.execute(
        "SELECT batch_id FROM import_batches WHERE kind = 'sample' AND undone_at IS NULL").fetchall()]
    if not sample_ids:
        return None
    in_sample = "batch_id IN (SELECT batch_id FROM import_batches WHERE kind = 'sample' AND undone_at IS NULL)"
    if not any(con.execute(f"SELECT 1 FROM {q(ds.table)} WHERE {in_sample} LIMIT 1").fetchone()
               for ds in DATASETS.values()):
        return None
    batch_id = db.new_batch(con, CLEAR_SAMPLE_DATASET, "clear_sample", user=user, note="Eksempeldata ryddet")
    moved = 0
    for ds in DATASETS.values():
        t, cols = q(ds.table), ", ".join(q(c) for c in ds.column_names)
        con.execute(f"INSERT INTO {q(ds.table + '__replaced')} ({cols}, batch_id, replaced_by) "
                    f"SELECT {cols}, batch_id, ? FROM {t} WHERE {in_sample}", [batch_id])
        moved += con.execute(f"DELETE FROM {t} WHERE {in_sample}").fetchone()[0]
        rollup.mark_batch(con, ds.name, batch_id)
    rollup.refresh(con)
    con.execute("UPDATE import_batches SET rows_removed = ? WHERE batch_id = ?", [moved, batch_id])
    return batch_id


def clear_sample(user: str | None, path: str | Path | None = None) -> int | None:
    """Remove all sample data as one undoable batch; the batch id, or None when no sample data is left."""
    with db.transaction(path) as con:
        return _clear_sample(con, user)


# -------------------------------------------------------------------------------------------------- undo

@dataclass
class UndoResult:
    batch_id: int
    removed: int  # rows the batch had written, deleted again
    restored: int  # rows the batch had replaced, back in place


def _overlap_conflicts(con: duckdb.DuckDBPyConnection, ds: Dataset, batch_id: int) -> list[int]:
    """Batches (other than ``batch_id``) holding current rows where the batch's replaced rows go back."""
    t, hist = q(ds.table), q(ds.table + "__replaced")
    if ds.name in INTERVAL_DATASETS:
        # Materialised first for the same reason as in _classify (an inline ASOF input can become a loop).
        con.execute(f"CREATE OR REPLACE TEMP TABLE _back AS SELECT meter_id, start, \"end\" FROM {hist} "
                    "WHERE replaced_by = ?", [batch_id])
        con.execute(f"CREATE OR REPLACE TEMP TABLE _cand AS SELECT c.meter_id, c.start, c.\"end\", c.batch_id "
                    f"FROM {t} c JOIN (SELECT meter_id, min(start) AS lo, max(\"end\") AS hi FROM _back "
                    "GROUP BY meter_id) b ON c.meter_id = b.meter_id AND c.start < b.hi AND c.\"end\" > b.lo "
                    "WHERE c.batch_id <> ?", [batch_id])
        return [int(r[0]) for r in con.execute(
            "SELECT DISTINCT c.batch_id FROM _back r ASOF JOIN _cand c ON r.meter_id = c.meter_id "
            "AND r.\"end\" > c.start WHERE c.\"end\" > r.start").fetchall()]
    sql = (f"SELECT DISTINCT c.batch_id FROM {hist} r JOIN {t} c ON {_key_join(ds, 'r', 'c')} "
           "WHERE r.replaced_by = $b AND c.batch_id <> $b")
    return [int(r[0]) for r in con.execute(sql, {"b": batch_id}).fetchall()]


def undo(batch_id: int, user: str | None, path: str | Path | None = None) -> UndoResult:
    """Restore exactly the state before ``batch_id``, in one transaction; StoreRefused when it cannot be.

    Refused when the batch is unknown or already undone, or when a later batch still in force touched the
    same rows: replaced a row the batch wrote, or wrote a row where the batch's replaced rows would return.
    """
    with db.transaction(path) as con:
        row = con.execute("SELECT undone_at FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
        if row is None:
            raise StoreRefused("data.undo_unknown", batch=batch_id)
        if row[0] is not None:
            raise StoreRefused("data.undo_already", batch=batch_id)
        later: set[int] = set()
        for ds in DATASETS.values():
            hist = q(ds.table + "__replaced")
            later |= {int(r[0]) for r in con.execute(
                f"SELECT DISTINCT replaced_by FROM {hist} WHERE batch_id = ?", [batch_id]).fetchall()}
            later |= set(_overlap_conflicts(con, ds, batch_id))
        if later:
            raise StoreRefused("data.undo_later", batch=batch_id, later=sorted(later))
        for ds in DATASETS.values():
            rollup.mark_batch(con, ds.name, batch_id)  # before: the batch's rows say where the undo writes
        already = {ds.name: _integrity_problems(_kept_rows(con, ds, staged=False), ds, "", only_file_rows=False)
                   for ds in DATASETS.values() if _has_integrity_rules(ds)}
        removed = restored = 0
        for ds in DATASETS.values():
            t, hist, cols = q(ds.table), q(ds.table + "__replaced"), ", ".join(q(c) for c in ds.column_names)
            removed += con.execute(f"DELETE FROM {t} WHERE batch_id = ?", [batch_id]).fetchone()[0]
            restored += con.execute(f"INSERT INTO {t} ({cols}, batch_id) SELECT {cols}, batch_id FROM {hist} "
                                    f"WHERE replaced_by = ? ORDER BY batch_id", [batch_id]).fetchone()[0]
            con.execute(f"DELETE FROM {hist} WHERE replaced_by = ?", [batch_id])
        for name, before in already.items():  # an undo must not close a loop of parents or share a GSRN
            ds = DATASETS[name]
            seen = {p.text() for p in before}
            new = [p for p in _integrity_problems(_kept_rows(con, ds, staged=False), ds, "", only_file_rows=False)
                   if p.text() not in seen]
            if new:
                raise StoreRefused("data.undo_breaks_rule", problems=new, batch=batch_id,
                                   problem="; ".join(p.text() for p in new))
        rollup.refresh(con)
        con.execute("UPDATE import_batches SET undone_at = ? WHERE batch_id = ?", [dt.datetime.now(dt.UTC), batch_id])
        _drop_temp(con, inc_is_view=False)  # an undo stages no incoming rows
        db.audit(con, user, "undo", None, batch_id, f"removed {removed}, restored {restored}")
        return UndoResult(batch_id, int(removed), int(restored))


def batches(path: str | Path | None = None) -> pd.DataFrame:
    """The import history, newest first."""
    return db.read_df(
        "SELECT batch_id, dataset, kind, file_name, sha256, user_name, created_at, rows_added, rows_replaced, "
        "rows_unchanged, rows_removed, undone_at, note FROM import_batches ORDER BY batch_id DESC", path=path)


# ------------------------------------------------------------------------------------------------- meta

def set_meta_value(key: str, value: str, user: str | None, path: str | Path | None = None) -> None:
    """Store a setting in ``meta`` (the editor password hash) and log who changed it (never the value)."""
    with db.transaction(path) as con:
        db.set_meta(con, key, value)
        db.audit(con, user, f"set_{key}")


def audit_event(user: str | None, action: str, detail: str | None = None, path: str | Path | None = None) -> None:
    """An entry in the audit log alone (a failed login): no dataset changes, so the data version stays and no
    page's cache is dropped."""
    with db.connect(path) as con:
        db.audit(con, user, action, None, None, detail)


def get_meta_value(key: str, path: str | Path | None = None) -> str | None:
    with db.connect(path) as con:
        return db.get_meta(con, key)


# ------------------------------------------------------------------------------------------ backup/restore

def backup(out: str | Path, path: str | Path | None = None) -> Path:
    """A consistent copy of the database file: checkpointed, copied while this process holds the lock
    (no other process can write meanwhile), then opened to check it. Written beside ``out`` and renamed
    into place, so a failed backup never leaves half a file under the name asked for."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    with db.connect(path) as con:
        con.execute("CHECKPOINT")
        shutil.copyfile(db.db_path() if path is None else Path(path), tmp)
    try:
        validate_backup(tmp)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    return out


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = ? "
        "AND table_schema = 'main' ORDER BY table_name, ordinal_position", [catalog]).fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def validate_backup(file: str | Path) -> dict[str, int]:
    """Check that ``file`` is a HEG Dashboard database this version can use: it opens, has the meta table
    and a schema version no newer than ours, and every table of the schema with its columns (after
    migrating a copy). Returns the row count per dataset; raises StoreRefused otherwise."""
    file = Path(file)
    if not file.is_file():
        raise StoreRefused("data.restore_missing", file=file)
    with tempfile.TemporaryDirectory() as tmpdir:
        copy = Path(tmpdir) / "check.duckdb"
        shutil.copyfile(file, copy)
        try:
            con = duckdb.connect(str(copy))
        except duckdb.Error as exc:
            raise StoreRefused("data.restore_bad", file=file.name, reason=str(exc)[:200]) from None
        try:
            try:
                version = db.get_meta(con, "schema_version")
            except duckdb.Error:
                version = None
            if version is None:
                raise StoreRefused("data.restore_bad", file=file.name, reason="no HEG Dashboard meta table")
            if int(version) > db.SCHEMA_VERSION:
                raise StoreRefused("data.restore_newer", file=file.name, version=version)
            db.create_schema(con)
            with _memory_schema() as ref:
                expected = _tables(ref, "memory")
            found = _tables(con, "check")
            for table, columns in expected.items():
                if found.get(table) != columns:
                    raise StoreRefused("data.restore_bad", file=file.name, reason=f"table {table} differs")
            problems = backup_problems(con, file.name)
            if problems:
                raise StoreRefused("data.restore_rules", problems=problems, file=file.name, count=len(problems),
                                   problem="; ".join(p.text() for p in problems[:5]))
            return {name: con.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0] for name in DATASETS}
        except duckdb.Error as exc:
            raise StoreRefused("data.restore_bad", file=file.name, reason=str(exc)[:200]) from None
        finally:
            con.close()


RESTORE_CHUNK_VECTORS = 512  # rows per chunk of a big table checked before a restore: 512 × 2,048


def backup_problems(con: duckdb.DuckDBPyConnection, name: str) -> list:
    """Every dataset table of a backup checked by the rules an import applies (a row is named by its number
    in its table): each row's values in chunks (importers.validate.check_stored), the rules across rows in SQL
    (unique keys, references, overlapping intervals) and the unique columns and parent tree of the rows."""
    from heg_dash.importers.integrity import breaches
    from heg_dash.importers.validate import Problem, ProblemLog, check_stored

    problems: list = []
    for ds in DATASETS.values():
        t, where = q(ds.table), f"{name}, {ds.table}"
        log = ProblemLog(where)
        cols = ", ".join(q(c) for c in ds.column_names)
        reader = con.execute(f"SELECT rowid + 1 AS _n, {cols} FROM {t} ORDER BY rowid")
        while True:
            chunk = reader.fetch_df_chunk(RESTORE_CHUNK_VECTORS)
            if chunk.empty:
                break
            check_stored(chunk.set_index("_n"), ds, log)
        problems += log.problems
        key = ", ".join(q(k) for k in ds.key)
        for *values, first, count in con.execute(
                f"SELECT {key}, min(rowid) + 1, count(*) FROM {t} GROUP BY {key} HAVING count(*) > 1 LIMIT 20"
        ).fetchall():
            fields = ", ".join(f"{k}={v}" for k, v in zip(ds.key, values, strict=True))
            problems.append(Problem(where, int(first), None, "data.restore_duplicate_key",
                                    {"fields": fields, "count": int(count)}))
        for (ref_ds, column), (target, tcol) in REFERENCES.items():
            if ref_ds != ds.name:
                continue
            problems += [Problem(where, int(first), column, "imp.unknown_reference",
                                 {"value": v, "dataset": target, "target": tcol, "count": int(n)})
                         for v, first, n in con.execute(
                             f"SELECT CAST({q(column)} AS VARCHAR) AS v, min(rowid) + 1, count(*) FROM {t} "
                             f"WHERE {q(column)} IS NOT NULL AND {q(column)} NOT IN (SELECT {q(tcol)} FROM "
                             f"{q(target)}) GROUP BY v ORDER BY 2 LIMIT 20").fetchall()]
        if ds.name in INTERVAL_DATASETS:
            problems += [Problem(where, int(row), "start", "data.overlap_in_file", {"first": int(prev), "meter": m})
                         for row, prev, m in con.execute(
                             f"SELECT _n, prev_n, meter_id FROM (SELECT rowid + 1 AS _n, meter_id, start, "
                             f"lag(\"end\") OVER w AS prev_end, lag(rowid + 1) OVER w AS prev_n FROM {t} "
                             "WINDOW w AS (PARTITION BY meter_id ORDER BY start)) WHERE prev_end > start "
                             "ORDER BY _n LIMIT 20").fetchall()]
        if _has_integrity_rules(ds):
            rows = con.execute(f"SELECT rowid + 1 AS _n, {cols} FROM {t} ORDER BY rowid").df()
            problems += [Problem(where, int(rows["_n"].iloc[b.rows[0]]), b.column, b.key, b.values)
                         for b in breaches(rows, ds)]
    return problems


class _memory_schema:
    """An in-memory database with the current schema, to compare a backup's tables with."""

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con = duckdb.connect(":memory:")
        db.create_schema(self.con)
        return self.con

    def __exit__(self, *exc: object) -> None:
        self.con.close()


def _copy_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table of the attached backup ``bk`` replaces its namesake; meta except KEEP_ON_RESTORE; the
    batch sequence continues after the restored history."""
    for table, columns in _tables(con, "bk").items():
        if table == "meta":
            continue
        cols = ", ".join(q(c) for c in columns)
        con.execute(f"DELETE FROM main.{q(table)}")
        con.execute(f"INSERT INTO main.{q(table)} ({cols}) SELECT {cols} FROM bk.main.{q(table)}")
    keep = ", ".join(f"'{k}'" for k in KEEP_ON_RESTORE)
    con.execute(f"DELETE FROM main.meta WHERE key NOT IN ({keep})")
    con.execute(f"INSERT INTO main.meta SELECT key, value FROM bk.main.meta WHERE key NOT IN ({keep})")
    next_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM main.import_batches").fetchone()[0]
    con.execute("DROP SEQUENCE main.batch_seq")
    con.execute(f"CREATE SEQUENCE main.batch_seq START {int(next_id)}")


def restore(file: str | Path, user: str | None, path: str | Path | None = None) -> dict[str, int]:
    """Replace the whole store with a backup's contents in one transaction (validated first).

    Works while the app runs: the data version moves on, so every page shows the restored data at once.
    The database's identity and editor password are kept (KEEP_ON_RESTORE). Returns rows per dataset.
    """
    counts = validate_backup(file)
    with tempfile.TemporaryDirectory() as tmpdir:
        copy = Path(tmpdir) / "restore.duckdb"
        shutil.copyfile(file, copy)
        with duckdb.connect(str(copy)) as migrate_con:
            db.create_schema(migrate_con)  # bring an older backup to this schema
        with db.connect(path) as con:
            # ATTACH/DETACH cannot be inside the transaction that reads the attached file.
            con.execute(f"ATTACH '{copy}' AS bk (READ_ONLY)")
            try:
                con.execute("BEGIN TRANSACTION")
                try:
                    _copy_tables(con)
                    db._bump_data_version(con)
                    db.audit(con, user, "restore", None, None, Path(file).name)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            finally:
                con.execute("DETACH bk")
    return counts
