"""The check of a backup before it is restored (or a DuckDB store before it is migrated): it opens, its schema is
this version's or older, and every table keeps the rules an import applies."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from heg_dash.datasets import DATASETS, REFERENCE_LISTS, REFERENCES
from heg_dash.store import db, schema
from heg_dash.store.common import INTERVAL_DATASETS, StoreRefused
from heg_dash.store.db import q
from heg_dash.store.plan import has_integrity_rules


def table_columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
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
            if int(version) > schema.SCHEMA_VERSION:
                raise StoreRefused("data.restore_newer", file=file.name, version=version)
            schema.create_schema(con)
            with _memory_schema() as ref:
                expected = table_columns(ref, "memory")
            found = table_columns(con, "check")
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
    from heg_dash.importers.integrity import breaches, unknown_in_lists
    from heg_dash.importers.problems import Problem, ProblemLog
    from heg_dash.importers.validate import check_stored

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
        for (ref_ds, column), (target, tcol) in REFERENCE_LISTS.items():
            if ref_ds != ds.name:
                continue
            cells = con.execute(f"SELECT rowid + 1, {q(column)} FROM {t} WHERE {q(column)} IS NOT NULL").fetchall()
            known = {str(k) for (k,) in con.execute(f"SELECT {q(tcol)} FROM {q(target)}").fetchall()}
            problems += [Problem(where, first, column, "imp.unknown_reference",
                                 {"value": v, "dataset": target, "target": tcol, "count": n})
                         for v, first, n in unknown_in_lists(pd.Series(dict(cells), dtype=object), known)[:20]]
        if ds.name in INTERVAL_DATASETS:
            problems += [Problem(where, int(row), "start", "data.overlap_in_file", {"first": int(prev), "meter": m})
                         for row, prev, m in con.execute(
                             f"SELECT _n, prev_n, meter_id FROM (SELECT rowid + 1 AS _n, meter_id, start, "
                             f"lag(\"end\") OVER w AS prev_end, lag(rowid + 1) OVER w AS prev_n FROM {t} "
                             "WINDOW w AS (PARTITION BY meter_id ORDER BY start)) WHERE prev_end > start "
                             "ORDER BY _n LIMIT 20").fetchall()]
        if has_integrity_rules(ds):
            rows = con.execute(f"SELECT rowid + 1 AS _n, {cols} FROM {t} ORDER BY rowid").df()
            problems += [Problem(where, int(rows["_n"].iloc[b.rows[0]]), b.column, b.key, b.values)
                         for b in breaches(rows, ds)]
    return problems


class _memory_schema:
    """An in-memory database with the current schema, to compare a backup's tables with."""

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con = duckdb.connect(":memory:")
        schema.create_schema(self.con)
        return self.con

    def __exit__(self, *exc: object) -> None:
        self.con.close()
