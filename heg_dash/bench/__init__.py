"""``python -m heg_dash bench``: speed and memory at ten times HEG's size, measured, with figures.

One run generates a large database in a temporary directory and reports:
1. per page: the AppTest script-run time cold (caches cleared; the process has imported its modules once, as
   a running server has) and warm (rerun), the time of the bare
   DuckDB queries the page ran (the floor: every query the page sent, re-run on its own), warm ÷ floor;
2. the most rows any chart sent to the browser;
3. import throughput of a 1-million-row Eloverblik CSV through the real import path, against DuckDB's own
   ``read_csv`` of the same file: the median of five such imports (each a period of its own, after one
   import of the same size that does not count, whose time is listed too: the first in a process pays for
   fresh memory;
   and every third import DuckDB merges the per-day table's row groups at its checkpoint) and of five
   ``read_csv`` runs, each run listed;
4. peak resident memory of this process (the generator and the naive baseline run in child processes,
   counted apart);
5. speed as a person feels it (``bench.browser``): each page opened from a link in a fresh browser, seconds
   until fully drawn, beside a bare Streamlit page with one chart served the same way (target: 1.5 × the bare
   page + 0.3 s);
6. the naive baseline: a quick dashboard whose page loads every reading into pandas (cached in memory
   after the first run, like ours) and groups them on every run. Measured like our pages: cold = load +
   groupings, warm = groupings. The speed-up is the naive pages' summed cold + warm time over ours.

The Data page's quality tab (a scan of every reading, run only when the tab is opened) is timed as a row
of its own, ``data:quality``; so is the Bæredygtighed page's savings section computed without the cache
(``baeredygtighed:savings``, ``bench.savings``: after every import a page pays that once).

Default scale 1.0: 60 meters, 10 years of hourly readings plus 15-minute electricity for the last 2
years (≈ 6.8 million readings). ``--scale`` multiplies the number of meters.

``--engine postgresql`` runs 1–4 on PostgreSQL: a throw-away cluster from the machine's binaries
(``bench.cluster``, PostgreSQL's durable defaults), the generated store copied into it by ``migrate`` in a
child process (its time reported), the pages' floors their queries re-run on the server, the import's floor a
bare COPY of the same file into a table of text columns. The browser part and the naive baseline are
engine-independent comparisons and run with the DuckDB default only.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heg_dash.bench.browser import BrowserTiming, time_browser
from heg_dash.bench.data import generate, generate_apart, migrate_apart
from heg_dash.bench.imports import (
    IMPORT_RUNS,
    bare_copy,
    bare_read_csv,
    eloverblik_csv,
    import_eloverblik,
    import_throughput,
)
from heg_dash.bench.naive import naive_baseline
from heg_dash.bench.pages import PageTiming, time_pages
from heg_dash.bench.savings import time_savings
from heg_dash.store import db
from heg_dash.store.dialect import Target
from heg_dash.views.navigation import registered_pages

ON_DUCKDB_ONLY = "the browser part and the naive baseline run with the DuckDB default only"

__all__ = ["BenchResult", "PageTiming", "format_table", "generate", "run"]


@dataclass
class BenchResult:
    scale: float
    readings: int
    meters: int
    generate_s: float
    pages: list[PageTiming] = field(default_factory=list)
    import_rows: int = 0
    import_runs_s: list[float] = field(default_factory=list)  # each timed import, in order
    import_warm_up_s: float | None = None  # the first import in the process, of the same size, not counted
    read_csv_runs_s: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    naive_load_s: float | None = None  # one naive cold run's load of every reading
    naive_group_s: float | None = None  # one naive run's groupings
    naive_peak_rss_mb: float | None = None
    browser: BrowserTiming = field(default_factory=BrowserTiming)
    engine: str = "duckdb"
    migrate_s: float | None = None  # PostgreSQL: the generated store copied in by `migrate`

    @property
    def import_s(self) -> float | None:
        """The median of the timed imports (None when the import was not timed)."""
        return float(np.median(self.import_runs_s)) if self.import_runs_s else None

    @property
    def read_csv_s(self) -> float | None:
        return float(np.median(self.read_csv_runs_s)) if self.read_csv_runs_s else None

    def naive_speedup(self) -> float | None:
        """The naive pages' cold + warm time over ours, page for page (see the module docstring)."""
        ours = sum(p.cold_s + p.warm_s for p in self.pages)
        if self.naive_load_s is None or self.naive_group_s is None or not ours:
            return None
        naive = len(self.pages) * (self.naive_load_s + 2 * self.naive_group_s)
        return naive / ours

    def to_json(self) -> dict:
        """The contract of ``bench --json``."""
        return {
            "engine": self.engine,
            "pages": [{"page": p.page, "cold_s": p.cold_s, "warm_s": p.warm_s, "floor_s": p.floor_s}
                      for p in self.pages],
            "max_chart_rows": max((p.chart_rows for p in self.pages), default=0),
            "import": {"rows": self.import_rows, "seconds": self.import_s, "read_csv_seconds": self.read_csv_s},
            "peak_rss_mb": self.peak_rss_mb,
            "naive_speedup": self.naive_speedup(),
            "browser": {"bare_s": self.browser.bare_s, "limit_s": self.browser.limit_s(),
                        "pages": self.browser.pages, "skipped": self.browser.skipped},
        }


# ----------------------------------------------------------------------------------------- generation


# ------------------------------------------------------------------------------------------ pages


# ------------------------------------------------------------------------------------------ naive


# ------------------------------------------------------------------------------------------ import


# ------------------------------------------------------------------------------------------ run

@contextmanager
def _store(path: Path, engine: str) -> Iterator[tuple[Target, float | None]]:
    """The store the bench measures and the seconds it took to migrate there: the generated DuckDB file, or a
    database of a throw-away PostgreSQL cluster it was copied into (stopped and removed afterwards)."""
    if engine == "duckdb":
        yield path, None
        return
    from heg_dash.bench import cluster
    from heg_dash.store import pg_connection

    server = cluster.start(fast=False)
    try:
        url = server.create_database("bench")
        started = time.perf_counter()
        migrate_apart(path, url)
        yield url, time.perf_counter() - started
    finally:
        pg_connection.close_idle()
        server.stop()


def run(scale: float = 1.0, import_rows: int = 1_000_000, workdir: Path | None = None,
        import_file: Callable[[Path], int] | None = import_eloverblik, engine: str = "duckdb") -> BenchResult:
    """The whole benchmark (see the module docstring) in a temporary directory (or ``workdir``), on ``engine``."""
    with tempfile.TemporaryDirectory(prefix="heg-bench-") as tmp:
        base = Path(workdir or tmp)
        base.mkdir(parents=True, exist_ok=True)
        previous_db = os.environ.get("HEG_DASH_DB")
        try:
            started = time.perf_counter()
            readings, meters = generate_apart(base / "bench.duckdb", scale)
            result = BenchResult(scale, readings, meters, time.perf_counter() - started, engine=engine)
            with _store(base / "bench.duckdb", engine) as (store, result.migrate_s):
                os.environ["HEG_DASH_DB"] = str(store)
                _measure(result, store, base, import_rows, import_file)
        finally:
            if previous_db is None:
                os.environ.pop("HEG_DASH_DB", None)
            else:
                os.environ["HEG_DASH_DB"] = previous_db
    return result


def _measure(result: BenchResult, store: Target, base: Path, import_rows: int,
             import_file: Callable[[Path], int] | None) -> None:
    # The kiosk composer draws no data; every other page is timed.
    pages = [p for p in registered_pages() if p != "praesentation"]
    result.pages = time_pages(pages)
    result.pages.append(time_savings())
    if import_file is not None:
        stored = db.read_df("SELECT * FROM meters", path=store)
        csv_paths, skip = [], 0
        for run in range(IMPORT_RUNS):
            csv_paths.append(base / f"eloverblik-{run + 1}.csv")
            result.import_rows = eloverblik_csv(csv_paths[-1], stored, import_rows, skip)
            skip += result.import_rows // int(stored["gsrn"].notna().sum())
        warm_up = base / "eloverblik-warm-up.csv"
        eloverblik_csv(warm_up, stored, import_rows, skip)
        bare_load = bare_read_csv if result.engine == "duckdb" else bare_copy(str(store))
        result.import_warm_up_s, result.import_runs_s, result.read_csv_runs_s = import_throughput(
            csv_paths, import_file, warm_up, bare_load)
    result.peak_rss_mb = peak_rss_mb()
    if result.engine != "duckdb":
        result.browser = BrowserTiming(skipped=ON_DUCKDB_ONLY)
        return
    result.naive_load_s, result.naive_group_s, result.naive_peak_rss_mb = naive_baseline(Path(store))
    result.browser = time_browser(Path(store), pages)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def format_table(result: BenchResult) -> str:
    """The human-readable report with the figures."""
    lines = [
        f"{result.engine}, scale {result.scale}: {result.readings:,} readings on {result.meters} meters "
        f"(generated in {result.generate_s:.1f} s"
        + (f"; copied into PostgreSQL by migrate in {result.migrate_s:.1f} s)" if result.migrate_s is not None
           else ")"),
        "",
        f"{'page':<16}{'cold s':>9}{'warm s':>9}{'floor s':>9}{'warm/floor':>12}{'queries':>9}{'chart rows':>12}",
    ]
    for p in result.pages:
        ratio = f"{p.warm_over_floor:.2f}" if p.warm_over_floor is not None else "–"
        lines.append(f"{p.page:<16}{p.cold_s:>9.3f}{p.warm_s:>9.3f}{p.floor_s:>9.3f}{ratio:>12}{p.queries:>9}"
                     f"{p.chart_rows:>12}")
    figures = result.to_json()
    lines += ["", f"max chart rows: {figures['max_chart_rows']}"]
    if result.import_s is not None:
        bare = "DuckDB read_csv" if result.engine == "duckdb" else "PostgreSQL COPY"
        rate = result.import_rows / result.import_s
        csv_rate = result.import_rows / result.read_csv_s
        lines.append(f"import: {result.import_rows:,} rows in {result.import_s:.2f} s ({rate:,.0f} rows/s); "
                     f"{bare} {result.read_csv_s:.2f} s ({csv_rate:,.0f} rows/s); "
                     f"ratio {rate / csv_rate:.2f} (medians of {len(result.import_runs_s)}; ours "
                     f"{', '.join(f'{s:.2f}' for s in result.import_runs_s)} s, {bare} "
                     f"{', '.join(f'{s:.2f}' for s in result.read_csv_runs_s)} s; the first import in the "
                     f"process, not counted, {result.import_warm_up_s:.2f} s)")
    lines.append(f"peak RSS: {result.peak_rss_mb:.0f} MB")
    if result.naive_load_s is not None:
        n = len(result.pages)
        cold = sum(p.cold_s for p in result.pages)
        warm = sum(p.warm_s for p in result.pages)
        naive_cold, naive_warm = n * (result.naive_load_s + result.naive_group_s), n * result.naive_group_s
        lines.append(f"naive baseline (pandas loads every reading, then groups them on each run; peak "
                     f"{result.naive_peak_rss_mb:.0f} MB): load {result.naive_load_s:.2f} s, groupings "
                     f"{result.naive_group_s:.2f} s per run")
        lines.append(f"  {n} pages cold: naive {naive_cold:.1f} s, ours {cold:.1f} s ({naive_cold / cold:.1f}×); "
                     f"warm: naive {naive_warm:.1f} s, ours {warm:.1f} s ({naive_warm / warm:.1f}×); "
                     f"speed-up (cold + warm): {figures['naive_speedup']:.1f}×")
    lines += browser_lines(result.browser)
    return "\n".join(lines)


def browser_lines(timing: BrowserTiming) -> list[str]:
    if timing.skipped:
        return ["", f"browser: not measured ({timing.skipped})"]
    lines = ["", f"browser (a link opened in a fresh browser, seconds until fully drawn, median): bare Streamlit page "
             f"with one chart {timing.bare_s:.2f} s; limit 1.5 × bare + 0.3 s = {timing.limit_s():.2f} s"]
    for page, seconds in timing.pages.items():
        lines.append(f"  {page:<16}{seconds:>7.2f} s  {'within' if timing.within(page) else 'OVER'}")
    return lines

