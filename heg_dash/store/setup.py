"""A database to work on: created empty or with the shipped sample data, on a command or the app's first start.

A database that holds imported data is never replaced without ``force``; one made with ``init --empty`` is
never filled by the app.
"""

from __future__ import annotations

from pathlib import Path

from heg_dash.store import sample as sample_module
from heg_dash.store.db import connect, db_path, set_meta
from heg_dash.store.schema import create_schema


def has_data(path: str | Path | None = None) -> bool:
    """True when any dataset holds rows that did not come from the sample generator."""
    with connect(path) as con:
        row = con.execute(
            "SELECT count(*) FROM import_batches WHERE kind NOT IN ('sample', 'clear_sample') AND undone_at IS NULL"
        ).fetchone()
        return bool(row[0])


def batch_count(path: str | Path | None = None) -> int:
    """How many batches in force the database holds (what ``init`` is about to throw away)."""
    with connect(path) as con:
        return int(con.execute("SELECT count(*) FROM import_batches WHERE undone_at IS NULL").fetchone()[0])


def init_db(path: str | Path | None = None, *, sample: bool = True, force: bool = False) -> Path:
    """Create the database file, with the shipped sample data or empty.

    Refuses (FileExistsError) to replace a file that holds real imported data unless ``force``.
    """
    target = Path(path) if path is not None else db_path()
    if target.exists():
        if not force and has_data(target):
            raise FileExistsError(f"{target} holds imported data; use --force to replace it")
        target.unlink()
        wal = target.with_name(target.name + ".wal")
        if wal.exists():
            wal.unlink()
    with connect(target, must_exist=False) as con:
        create_schema(con)
        set_meta(con, "created_as", "sample" if sample else "empty")
    if sample:
        sample_module.load(target)
    return target


def ensure_database(path: str | Path | None = None) -> bool:
    """On first start: create the database with sample data. Returns True when it was created.

    An existing file (an ``init --empty`` one too) is only migrated, never filled.
    """
    target = Path(path) if path is not None else db_path()
    if target.exists():
        with connect(target) as con:
            create_schema(con)
        return False
    init_db(target, sample=True)
    return True
