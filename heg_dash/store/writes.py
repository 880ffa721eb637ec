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

Set-based SQL only: the file's frame is registered as Arrow (DuckDB) or copied in (PostgreSQL, COPY) and compared
with anti-/semi-/ASOF joins (a LATERAL probe on PostgreSQL), so a million readings import in seconds. Stored
readings never overlap per meter (an invariant every write keeps), which is what lets one ASOF join find every
stored interval an imported one overlaps.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from heg_dash.datasets import DATASETS, REFERENCE_LISTS, REFERENCES, Dataset
from heg_dash.store import db, rollup
from heg_dash.store.common import CLEAR_SAMPLE_DATASET, Counts, StoreRefused, sample_filter
from heg_dash.store.db import engine_of, q
from heg_dash.store.plan import plan

PAUSE_HOOK_ENV = "HEG_DASH_TEST_PAUSE_IN_TX"  # tests only: a marker file written, then a long sleep, mid-write


def import_context(con: Any, dataset: str, *, exclude_sample: bool = False
                   ) -> tuple[pd.DataFrame | None, dict[tuple[str, str], set[str]]]:
    """What parsing a file for ``dataset`` needs from the store: (meters, known keys of its references).

    Meters map Eloverblik GSRNs (readings only). ``exclude_sample`` leaves the sample rows out, for an
    import that clears the sample data first.
    """
    where = f" WHERE {sample_filter()}" if exclude_sample else ""
    known: dict[tuple[str, str], set[str]] = {}
    for (ds_name, _column), (target, tcol) in (*REFERENCES.items(), *REFERENCE_LISTS.items()):
        if ds_name != dataset or (target, tcol) in known:
            continue
        rows = con.execute(f"SELECT DISTINCT CAST({q(tcol)} AS VARCHAR) FROM {q(target)}{where}").fetchall()
        known[(target, tcol)] = {r[0] for r in rows if r[0] is not None}
    meters = None
    if dataset == "readings":
        meters = con.execute(
            f"SELECT meter_id, gsrn, unit, utility FROM meters{where} ORDER BY meter_id").df()
    return meters, known


def _write(con: Any, ds: Dataset, batch_id: int) -> None:
    """Move the replaced rows to history, delete them, insert the incoming rows that are not unchanged."""
    t, cols, eng = q(ds.table), ", ".join(q(c) for c in ds.column_names), engine_of(con)
    con.execute(
        f"INSERT INTO {q(ds.table + '__replaced')} ({cols}, batch_id, replaced_by) "
        f"SELECT {cols}, batch_id, ? FROM {t} WHERE {eng.rowid} IN (SELECT rid FROM _gone)", [batch_id])
    con.execute(f"DELETE FROM {t} WHERE {eng.rowid} IN (SELECT rid FROM _gone)")
    eng.insert_rows(con, ds, batch_id, some_same=bool(con.execute("SELECT count(*) FROM _same").fetchone()[0]))


def drop_temp(con: Any, inc_is_view: bool) -> None:
    """Drop the temp tables of a write (``_inc`` a view or a table, as ``Plan.inc_is_view`` says: dropping it
    as the other kind would abort the transaction)."""
    engine_of(con).drop_temp(con, inc_is_view)


def _pause_for_tests() -> None:
    """Tests only: with HEG_DASH_TEST_PAUSE_IN_TX set, announce being mid-transaction and wait to be killed."""
    marker = os.environ.get(PAUSE_HOOK_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(300)


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
            drop_temp(con, planned.inc_is_view)
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
        drop_temp(con, planned.inc_is_view)
        _pause_for_tests()
        return WriteResult(batch_id, counts, cleared)


def _clear_sample(con: Any, user: str | None) -> int | None:
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


def batches(path: str | Path | None = None) -> pd.DataFrame:
    """The import history, newest first."""
    return db.read_df(
        "SELECT batch_id, dataset, kind, file_name, sha256, user_name, created_at, rows_added, rows_replaced, "
        "rows_unchanged, rows_removed, undone_at, note FROM import_batches ORDER BY batch_id DESC", path=path)


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
