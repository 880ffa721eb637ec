"""Backup and restore: a consistent copy of the database file, and its return after every table is checked by
the import's rules."""

from __future__ import annotations

import os
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

# Meta keys a restore keeps from the database it restores into: its identity (so caches keyed by the data
# version never mistake old data for new) and the editor password (an old backup must not bring back an
# old password).
KEEP_ON_RESTORE = ("db_id", "data_version", "editor_password")


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
            if int(version) > schema.SCHEMA_VERSION:
                raise StoreRefused("data.restore_newer", file=file.name, version=version)
            schema.create_schema(con)
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
            schema.create_schema(migrate_con)  # bring an older backup to this schema
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
