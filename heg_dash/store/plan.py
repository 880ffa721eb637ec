"""What a write would do, worked out inside its transaction: which stored rows an incoming row equals or
replaces (:func:`plan` fills ``_same`` and ``_gone``), its counts, and every rule only the store can check —
overlaps within the file, references, unique columns and parent trees over the rows kept."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from heg_dash.datasets import DATASETS, REFERENCE_LISTS, REFERENCES, Dataset, split_list
from heg_dash.store import rollup
from heg_dash.store.common import INTERVAL_DATASETS, Counts, key_join
from heg_dash.store.db import engine_of, q
from heg_dash.store.staging import stage


def _same_values(ds: Dataset, a: str, b: str) -> str:
    others = [c.name for c in ds.columns if c.name not in ds.key]
    return " AND ".join(f"{a}.{q(c)} IS NOT DISTINCT FROM {b}.{q(c)}" for c in others) or "TRUE"


def _candidates(con: Any, ds: Dataset) -> int:
    """Temp table ``_cand`` of an interval dataset: the stored rows of the file's meters, each over the period
    the file covers for it (``_spans``): the only rows an incoming one can equal or overlap, and with replace
    exactly the rows to replace. Returns how many there are (none: the file holds new periods)."""
    eng = engine_of(con)
    eng.create_temp(con, "_cand", eng.candidates_select(q(ds.table)), index=("meter_id", "start"))
    [(count,)] = con.execute("SELECT count(*) FROM _cand").fetchall()  # all: con.sql may follow (rollup)
    return int(count)


def _classify(con: Any, ds: Dataset, replace: bool, candidates: int | None = None) -> tuple[Counts, bool]:
    """Fill ``_same`` (stored rows identical to an incoming row) and ``_gone`` (stored rows to replace).

    Also says whether the incoming rows meet stored ones: for readings, whether any stored interval of a
    meter lies within the period the file covers for it; for other datasets always True. ``candidates``:
    what :func:`_candidates` returned, when it has run for these rows."""
    t, eng = q(ds.table), engine_of(con)
    if ds.name in INTERVAL_DATASETS:
        if candidates is None:
            candidates = _candidates(con, ds)
        if not candidates:  # new periods: nothing equal or replaced
            eng.create_temp(con, "_same", f"SELECT CAST(NULL AS {eng.rowid_type}) AS rid, CAST(NULL AS BIGINT) AS _row "
                            "WHERE FALSE")
            eng.create_temp(con, "_gone", f"SELECT CAST(NULL AS {eng.rowid_type}) AS rid WHERE FALSE")
            return Counts(added=eng.count_incoming(con)), False
        eng.materialise(con, ds)
    eng.create_temp(con, "_same", f"SELECT s.{eng.rowid} AS rid, i._row FROM {t} s JOIN _inc i "
                                  f"ON {key_join(ds, 's', 'i')} WHERE {_same_values(ds, 's', 'i')}")
    if ds.name in INTERVAL_DATASETS and replace:
        gone = "SELECT rid FROM _cand"
    elif ds.name in INTERVAL_DATASETS:
        # Incoming intervals do not overlap each other (checked), so they are ordered by start and end
        # alike: the one with the latest start before a stored row's end is the only one that can
        # overlap it (an ASOF join). The candidates are materialised (above): with them inline, DuckDB's
        # estimates turn the ASOF join into a nested loop (minutes at 1M rows).
        gone = f'SELECT a.rid FROM {eng.latest_before("_cand", "_inc", [])} WHERE b."end" > a.start'
    elif replace:
        gone = f"SELECT {eng.rowid} AS rid FROM {t}"
    else:
        gone = (f"SELECT s.{eng.rowid} AS rid FROM {t} s "
                f"WHERE EXISTS (SELECT 1 FROM _inc i WHERE {key_join(ds, 's', 'i')})")
    eng.create_temp(con, "_gone", f"{gone} EXCEPT SELECT rid FROM _same")
    incoming = con.execute("SELECT count(*) FROM _inc").fetchone()[0]
    unchanged = con.execute("SELECT count(DISTINCT _row) FROM _same").fetchone()[0]
    gone = con.execute("SELECT count(*) FROM _gone").fetchone()[0]
    replaced, removed = _replaced_and_removed(con, ds, replace, int(gone))
    return Counts(added=int(incoming - unchanged - replaced), replaced=replaced, unchanged=int(unchanged),
                  removed=removed), True


def _replaced_and_removed(con: Any, ds: Dataset, replace: bool, gone: int) -> tuple[int, int]:
    """(file rows that take the place of stored rows in ``_gone``, rows of ``_gone`` no file row takes the place
    of). Stored intervals never overlap per meter, so an incoming interval overlaps a stored one exactly when the
    one that starts last before it ends does (ASOF), and the same holds the other way round."""
    if not gone:
        return 0, 0
    t, eng = q(ds.table), engine_of(con)
    if ds.name not in INTERVAL_DATASETS:
        replaced = con.execute(
            f"SELECT count(DISTINCT i._row) FROM _inc i JOIN {t} s ON {key_join(ds, 's', 'i')} "
            f"WHERE s.{eng.rowid} IN (SELECT rid FROM _gone)").fetchone()[0]
        taken = con.execute(
            f"SELECT count(*) FROM {t} s WHERE EXISTS (SELECT 1 FROM _inc i WHERE {key_join(ds, 's', 'i')}) "
            f"AND s.{eng.rowid} IN (SELECT rid FROM _gone)").fetchone()[0] if replace else gone
        return int(replaced), int(gone - taken)
    eng.create_temp(con, "_gone_iv", 'SELECT c.meter_id, c.start, c."end" FROM _cand c '
                    "WHERE c.rid IN (SELECT rid FROM _gone)", index=("meter_id", "start"))
    replaced = con.execute(
        f'SELECT count(*) FROM {eng.latest_before("_inc", "_gone_iv", [])} WHERE b."end" > a.start').fetchone()[0]
    taken = con.execute(
        f'SELECT count(*) FROM {eng.latest_before("_gone_iv", "_inc", [])} WHERE b."end" > a.start'
    ).fetchone()[0] if replace else gone  # without replace, only overlaps go
    return int(replaced), int(gone - taken)


def _check_overlaps(con: Any, ds: Dataset, file: str, follows: bool = False) -> list:
    """Intervals within one file must not overlap per meter (a stored interval could not say which wins)."""
    from heg_dash.importers.problems import Problem

    if ds.name not in INTERVAL_DATASETS or follows:
        return []  # following one another, nothing overlaps: the window query would sort every row for nothing
    rows = con.execute(
        "SELECT _row, prev_row, meter_id FROM (SELECT _row, meter_id, start, "
        "lag(\"end\") OVER w AS prev_end, lag(_row) OVER w AS prev_row FROM _inc "
        "WINDOW w AS (PARTITION BY meter_id ORDER BY start)) AS w WHERE prev_end > start ORDER BY _row LIMIT 20"
    ).fetchall()
    return [Problem(file, int(r), "start", "data.overlap_in_file", {"first": int(p), "meter": m})
            for r, p, m in rows]


def _check_references(con: Any, ds: Dataset, file: str) -> list:
    """Every reference of the incoming rows exists once the write is done (checked inside the transaction,
    so a reference removed by another process since the preview is caught too)."""
    from heg_dash.importers.problems import Problem

    problems, eng = [], engine_of(con)
    for (ds_name, column), (target, tcol) in REFERENCES.items():
        if ds_name != ds.name:
            continue
        if target == ds.name:  # a self-reference: the rows that stay plus the incoming ones
            known = (f"SELECT {q(tcol)} AS k FROM {q(target)} WHERE {eng.rowid} NOT IN (SELECT rid FROM _gone) "
                     f"UNION SELECT {q(tcol)} FROM _inc")
        else:
            known = f"SELECT {q(tcol)} AS k FROM {q(target)}"
        if ds.name in INTERVAL_DATASETS and column == "meter_id" and not con.execute(
                f"SELECT count(*) FROM _spans WHERE meter_id NOT IN ({known})").fetchone()[0]:
            continue  # _spans holds each incoming meter id once: the rows are read only to name an unknown one
        eng.readable(con, ds)
        rows = con.execute(
            f"SELECT CAST(i.{q(column)} AS VARCHAR) AS v, min(i._row), count(*) FROM _inc i "
            f"WHERE i.{q(column)} IS NOT NULL AND i.{q(column)} NOT IN ({known}) GROUP BY v ORDER BY 2 LIMIT 20"
        ).fetchall()
        problems += [Problem(file, int(first), column, "imp.unknown_reference",
                             {"value": v, "dataset": target, "target": tcol, "count": int(n)})
                     for v, first, n in rows]
    return problems + _check_reference_lists(con, ds, file)


def _check_reference_lists(con: Any, ds: Dataset, file: str) -> list:
    """Every id in the incoming rows' reference lists (``REFERENCE_LISTS``: a small dataset's cells such as
    "A;B") exists once the write is done; split in Python, so the SQL stays what every engine shares."""
    from heg_dash.importers.integrity import unknown_in_lists
    from heg_dash.importers.problems import Problem

    problems = []
    for (ds_name, column), (target, tcol) in REFERENCE_LISTS.items():
        if ds_name != ds.name:
            continue
        cells = con.execute(f"SELECT _row, {q(column)} FROM _inc WHERE {q(column)} IS NOT NULL").fetchall()
        if not cells:
            continue
        known = {str(k) for (k,) in con.execute(f"SELECT {q(tcol)} FROM {q(target)}").fetchall()}
        problems += [Problem(file, first, column, "imp.unknown_reference",
                             {"value": v, "dataset": target, "target": tcol, "count": n})
                     for v, first, n in unknown_in_lists(pd.Series(dict(cells), dtype=object), known)[:20]]
    return problems


def kept_rows(con: Any, ds: Dataset, *, staged: bool) -> pd.DataFrame:
    """The rows ``ds`` would hold after the write (stored rows not in ``_gone``, plus the incoming rows not
    identical to a stored one), with ``_row``: the file's row, or null for a stored row. ``staged=False``:
    the table as it is (an undo)."""
    cols, rowid = ", ".join(q(c) for c in ds.column_names), engine_of(con).rowid
    if not staged:
        return con.execute(f"SELECT {cols}, CAST(NULL AS BIGINT) AS _row FROM {q(ds.table)}").df()
    return con.execute(
        f"SELECT {cols}, CAST(NULL AS BIGINT) AS _row FROM {q(ds.table)} WHERE {rowid} NOT IN (SELECT rid FROM _gone) "
        f"UNION ALL SELECT {cols}, _row FROM _inc WHERE _row NOT IN (SELECT _row FROM _same)").df()


def integrity_problems(kept: pd.DataFrame, ds: Dataset, file: str, *, only_file_rows: bool) -> list:
    """importers.integrity's rules on the rows kept: a problem names the file's row where one is involved
    (else the stored rows' keys). ``only_file_rows``: leave out what involves no file row (an older database
    may hold a loop; a file that does not touch it is not refused for it)."""
    from heg_dash.importers.integrity import breaches
    from heg_dash.importers.problems import Problem

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


def has_integrity_rules(ds: Dataset) -> bool:
    return ds.tree is not None or any(c.unique for c in ds.columns)


def _dangling_warnings(con: Any, ds: Dataset, file: str) -> list:
    """Rows elsewhere that refer to keys this write removes (a --replace that leaves a campus out)."""
    from heg_dash.importers.problems import Problem

    warnings = []
    for (ref_ds, column), (target, tcol) in REFERENCES.items():
        if target != ds.name or ref_ds == ds.name:
            continue
        n = con.execute(
            f"SELECT count(*) FROM {q(ref_ds)} WHERE {q(column)} IN (SELECT {q(tcol)} FROM {q(target)} "
            f"WHERE {engine_of(con).rowid} IN (SELECT rid FROM _gone)) "
            f"AND {q(column)} NOT IN (SELECT {q(tcol)} FROM _inc)"
        ).fetchone()[0]
        if n:
            warnings.append(Problem(file, None, tcol, "data.dangling", {"count": int(n), "dataset": ref_ds,
                                                                        "column": column}))
    for (ref_ds, column), (target, tcol) in REFERENCE_LISTS.items():
        if target != ds.name or ref_ds == ds.name:
            continue
        gone = {str(k) for (k,) in con.execute(
            f"SELECT {q(tcol)} FROM {q(target)} WHERE {engine_of(con).rowid} IN (SELECT rid FROM _gone) "
            f"AND {q(tcol)} NOT IN (SELECT {q(tcol)} FROM _inc)").fetchall()}
        if not gone:
            continue
        cells = con.execute(f"SELECT {q(column)} FROM {q(ref_ds)} WHERE {q(column)} IS NOT NULL").fetchall()
        n = sum(1 for (cell,) in cells if gone & set(split_list(cell)))
        if n:
            warnings.append(Problem(file, None, tcol, "data.dangling", {"count": n, "dataset": ref_ds,
                                                                        "column": column}))
    return warnings


@dataclass
class Plan:
    counts: Counts
    problems: list
    # The per-day sums of the incoming readings, being computed in the background (asked for with plan's
    # days_ahead), when they are new periods for their meters (no stored reading between a meter's first
    # start and last end in the file): their days then need only them (rollup.days_of_new_rows).
    new_period_days: Future[pa.Table] | None = None
    inc_is_view: bool = False  # _inc is a view of the staged Arrow rows, not a table (see stage)


def plan(con: Any, dataset: str, frame: pd.DataFrame, *, replace: bool, file: str,
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

    in_key_order = stage(con, ds, frame, sum_days if days_ahead else None)
    problems = _check_overlaps(con, ds, file, in_key_order is not None)
    counts, meets_stored = _classify(con, ds, replace, candidates[0] if candidates else None)
    problems += _check_references(con, ds, file)
    if has_integrity_rules(ds):
        problems += integrity_problems(kept_rows(con, ds, staged=True), ds, file, only_file_rows=True)
    if replace:
        counts.warnings += _dangling_warnings(con, ds, file)
    # _classify made a view of the Arrow rows a table where the file meets stored rows.
    return Plan(counts, problems, ahead[0] if ahead else None,
                inc_is_view=in_key_order is not None and not meets_stored)
