"""Import throughput: a 1,000,000-row Eloverblik export through the real import path against the engine's own
bare load of the same file (DuckDB's ``read_csv``, PostgreSQL's COPY)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from heg_dash.bench.data import LAST_DAY
from heg_dash.config import TIMEZONE
from heg_dash.store import db

IMPORT_RUNS = 5  # imports timed (the median counts), each of its own period, after one that does not count


def eloverblik_csv(path: Path, meters: pd.DataFrame, rows: int, skip_hours: int = 0) -> int:
    """An Eloverblik export (``;``, decimal comma, BOM, Danish local time) of ``rows`` hourly readings for
    the electricity meters with a GSRN, from ``skip_hours`` after the generated data ends. Returns the row
    count."""
    el = meters[meters["gsrn"].notna()]
    per_meter = max(1, rows // len(el))
    start = pd.Timestamp(LAST_DAY + dt.timedelta(days=1)).tz_localize(TIMEZONE).tz_convert("UTC")
    stamps = pd.date_range(start + pd.Timedelta(hours=skip_hours), periods=per_meter, freq="h").tz_convert(TIMEZONE)
    fra = stamps.strftime("%d-%m-%Y %H:%M:%S")
    til = (stamps.tz_localize(None) + pd.Timedelta(hours=1)).strftime("%d-%m-%Y %H:%M:%S")
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\n")
        for gsrn in el["gsrn"]:
            rng = np.random.default_rng([int(gsrn[-6:]), skip_hours])
            values = np.char.replace(np.round(rng.uniform(1, 20, per_meter), 3).astype(str), ".", ",")
            block = pd.DataFrame({"a": gsrn, "b": fra, "c": til, "d": values, "e": "KWH", "f": "Målt",
                                  "g": "Tidsserie"})
            block.to_csv(fh, sep=";", header=False, index=False)
            written += per_meter
    return written


def import_eloverblik(csv_path: Path) -> int:
    """The real import path, as `import readings FILE --format eloverblik` runs it: parse, validate against
    the stored meters, store as one batch in one transaction. Returns the rows stored."""
    from heg_dash.importers.read import read_file
    from heg_dash.store import imports as importing

    content = read_file(csv_path)
    with db.session():  # as the CLI: one connection for the context and the write
        parsed = importing.read_upload("readings", csv_path.name, content, "eloverblik")
        if parsed.problems:
            raise RuntimeError(parsed.problems[0].text())
        summary = importing.apply(parsed, user="bench", file_name=csv_path.name, sha256=parsed.digest)
    return summary.added + summary.replaced


def bare_read_csv(csv_path: Path) -> float:
    """DuckDB's own ``read_csv`` of the file into a table: the floor of an import on DuckDB. Seconds."""
    import duckdb

    con = duckdb.connect()
    try:
        started = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', decimal_separator=',', header=true)",
                    [str(csv_path)])
        return time.perf_counter() - started
    finally:
        con.close()


def bare_copy(url: str) -> Callable[[Path], float]:
    """PostgreSQL's own COPY of the file (its seven columns as text) into a table: the floor of an import on
    PostgreSQL, on the server the import writes to. Returns a function of the file giving seconds."""
    import psycopg

    def load(csv_path: Path) -> float:
        with psycopg.connect(url) as con:
            con.execute("CREATE TEMP TABLE bare (a text, b text, c text, d text, e text, f text, g text)")
            started = time.perf_counter()
            with con.cursor().copy("COPY bare FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as copy, \
                    csv_path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            con.commit()
            return time.perf_counter() - started

    return load


def import_throughput(csv_paths: list[Path], import_file: Callable[[Path], int], warm_up: Path,
                      bare_load: Callable[[Path], float] = bare_read_csv) -> tuple[float, list[float], list[float]]:
    """(the seconds of the warm-up import, of our import of each file in ``csv_paths``, of the engine's bare
    load of each, ``bare_load``: DuckDB's ``read_csv`` or PostgreSQL's COPY): files of one size, each a period of
    its own, imported one after the other.

    ``warm_up`` (a file of the same size and yet another period) is imported first and does not count:
    throughput is a steady figure, as the pages' cold runs come after one untimed run. A smaller warm-up
    left the first timed import growing the memory pools to the file's size.
    """
    started = time.perf_counter()
    if import_file(warm_up) <= 0:
        raise RuntimeError("the warm-up import stored nothing")
    warm_up_s = time.perf_counter() - started
    ours, theirs = [], []
    for csv_path in csv_paths:
        started = time.perf_counter()
        stored = import_file(csv_path)
        ours.append(time.perf_counter() - started)
        if stored <= 0:
            raise RuntimeError("the import stored nothing")
        theirs.append(bare_load(csv_path))
    return warm_up_s, ours, theirs
