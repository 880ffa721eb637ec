"""Backup and restore: a consistent copy of the store as a DuckDB file, and its return after every table is
checked by the import's rules (:mod:`~heg_dash.store.backup_checks`). On DuckDB the file is copied; a PostgreSQL
store is copied into the same kind of file and back (:mod:`~heg_dash.store.migrate`), so one backup restores on
either engine."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from heg_dash.store import db, migrate, schema
from heg_dash.store.backup_checks import table_columns, validate_backup
from heg_dash.store.db import q
from heg_dash.store.migrate import KEEP_ON_RESTORE

__all__ = ["KEEP_ON_RESTORE", "backup", "restore", "validate_backup"]


def backup(out: str | Path, path: str | Path | None = None) -> Path:
    """A consistent copy of the database file: checkpointed, copied while this process holds the lock
    (no other process can write meanwhile), then opened to check it. Written beside ``out`` and renamed
    into place, so a failed backup never leaves half a file under the name asked for."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if db.engine(path).name == "postgresql":
        return migrate.backup_postgres(out, db.target(path))
    tmp = out.with_name(out.name + ".partial")
    with db.connect(path) as con:
        con.execute("CHECKPOINT")
        shutil.copyfile(db.target(path), tmp)
    try:
        validate_backup(tmp)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)
    return out


def _copy_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table of the attached backup ``bk`` replaces its namesake; meta except KEEP_ON_RESTORE; the
    batch sequence continues after the restored history."""
    for table, columns in table_columns(con, "bk").items():
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
    if db.engine(path).name == "postgresql":
        migrate.restore_postgres(Path(file), user, db.target(path))
        return counts
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
