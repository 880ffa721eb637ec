"""Undo: restore exactly the state before a batch, in one transaction, or refuse and change nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from heg_dash.datasets import DATASETS, Dataset
from heg_dash.store import db, rollup
from heg_dash.store.common import INTERVAL_DATASETS, StoreRefused, key_join
from heg_dash.store.db import q
from heg_dash.store.plan import has_integrity_rules, integrity_problems, kept_rows
from heg_dash.store.writes import drop_temp


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
    sql = (f"SELECT DISTINCT c.batch_id FROM {hist} r JOIN {t} c ON {key_join(ds, 'r', 'c')} "
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
        already = {ds.name: integrity_problems(kept_rows(con, ds, staged=False), ds, "", only_file_rows=False)
                   for ds in DATASETS.values() if has_integrity_rules(ds)}
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
            new = [p for p in integrity_problems(kept_rows(con, ds, staged=False), ds, "", only_file_rows=False)
                   if p.text() not in seen]
            if new:
                raise StoreRefused("data.undo_breaks_rule", problems=new, batch=batch_id,
                                   problem="; ".join(p.text() for p in new))
        rollup.refresh(con)
        con.execute("UPDATE import_batches SET undone_at = ? WHERE batch_id = ?", [dt.datetime.now(dt.UTC), batch_id])
        drop_temp(con, inc_is_view=False)  # an undo stages no incoming rows
        db.audit(con, user, "undo", None, batch_id, f"removed {removed}, restored {restored}")
        return UndoResult(batch_id, int(removed), int(restored))
