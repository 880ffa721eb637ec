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
5. the naive baseline: a quick dashboard whose page loads every reading into pandas (cached in memory
   after the first run, like ours) and groups them on every run. Measured like our pages: cold = load +
   groupings, warm = groupings. The speed-up is the naive pages' summed cold + warm time over ours.

The Data page's quality tab (a scan of every reading, run only when the tab is opened) is timed as a row
of its own, ``data:quality``.

Default scale 1.0: 60 meters, 10 years of hourly readings plus 15-minute electricity for the last 2
years (≈ 6.8 million readings). ``--scale`` multiplies the number of meters.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from heg_dash import db, rollup, sample
from heg_dash.config import ROOT, TIMEZONE
from heg_dash.navigation import registered_pages

YEARS = 10
QUARTER_HOUR_YEARS = 2
LAST_DAY = sample.LAST_DAY
FIRST_DAY = dt.date(LAST_DAY.year - YEARS, LAST_DAY.month, LAST_DAY.day) + dt.timedelta(days=1)
IMPORT_RUNS = 5  # imports timed (the median counts), each of its own period, after one that does not count
METER_MIX = {"electricity": 0.5, "district_heating": 1 / 3, "water": 1 / 6}  # of 60 meters: 30, 20, 10


@dataclass
class PageTiming:
    page: str
    cold_s: float
    warm_s: float
    floor_s: float
    chart_rows: int
    queries: int

    @property
    def warm_over_floor(self) -> float | None:
        return self.warm_s / self.floor_s if self.floor_s > 0 else None


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
            "pages": [{"page": p.page, "cold_s": p.cold_s, "warm_s": p.warm_s, "floor_s": p.floor_s}
                      for p in self.pages],
            "max_chart_rows": max((p.chart_rows for p in self.pages), default=0),
            "import": {"rows": self.import_rows, "seconds": self.import_s, "read_csv_seconds": self.read_csv_s},
            "peak_rss_mb": self.peak_rss_mb,
            "naive_speedup": self.naive_speedup(),
        }


# ----------------------------------------------------------------------------------------- generation

def _meter_frame(n_meters: int, buildings: pd.DataFrame) -> pd.DataFrame:
    in_use = buildings[buildings["status"] == "in_use"]["building_id"].tolist()
    rows = []
    counts = {u: max(1, round(n_meters * share)) for u, share in METER_MIX.items()}
    for utility, count in counts.items():
        unit = {"electricity": "kWh", "district_heating": "kWh", "water": "m3"}[utility]
        for i in range(count):
            gsrn = f"57131319{len(rows):010d}" if utility == "electricity" else None
            rows.append((f"BENCH-{utility[:2].upper()}-{i:03d}", in_use[len(rows) % len(in_use)], utility, unit,
                         gsrn, None))
    return pd.DataFrame(rows, columns=["meter_id", "building_id", "utility", "unit", "gsrn", "parent_meter_id"])


def _local_index(first: dt.date, last_inclusive: dt.date, freq: str) -> pd.DatetimeIndex:
    lo = pd.Timestamp(first).tz_localize(TIMEZONE).tz_convert("UTC")
    hi = pd.Timestamp(last_inclusive + dt.timedelta(days=1)).tz_localize(TIMEZONE).tz_convert("UTC")
    return pd.date_range(lo, hi, freq=freq, inclusive="left")


def _profile(stamps: pd.DatetimeIndex, rng: np.random.Generator, scale_kwh: float) -> np.ndarray:
    local = stamps.tz_convert(TIMEZONE)
    hour = local.hour.to_numpy()
    weekday = local.day_of_week.to_numpy()
    busy = ((hour >= 7) & (hour < 17) & (weekday < 5)).astype(float)
    season = 1 + 0.3 * np.cos(2 * np.pi * (local.day_of_year.to_numpy() - 15) / 365.25)
    return np.round(scale_kwh * (0.4 + busy) * season * rng.lognormal(0, 0.1, len(stamps)), 3)


def generate(path: Path, scale: float = 1.0) -> tuple[int, int]:
    """A large database at ``path``: the sample's small datasets plus ``60 × scale`` meters of readings.

    Electricity meters have hourly readings for the first 8 years and 15-minute readings for the last
    2; heat and water meters hourly for all 10 years. Returns (readings, meters).
    """
    db.init_db(path, sample=False)
    frames = sample.generate()
    meters = _meter_frame(max(3, round(60 * scale)), frames["buildings"])
    split = dt.date(LAST_DAY.year - QUARTER_HOUR_YEARS, LAST_DAY.month, LAST_DAY.day) + dt.timedelta(days=1)
    hourly_all = _local_index(FIRST_DAY, LAST_DAY, "h")
    hourly_early = _local_index(FIRST_DAY, split - dt.timedelta(days=1), "h")
    quarter_late = _local_index(split, LAST_DAY, "15min")
    total = 0
    with db.transaction(path) as con:
        batch = db.new_batch(con, "readings", "sample", user="bench", note="bench data")
        for name, frame in frames.items():
            if name in ("readings", "meters"):
                continue
            sample.insert_frame(con, name, frame, batch, refresh_rollup=False)
        sample.insert_frame(con, "meters", pd.concat([frames["meters"], meters]), batch, refresh_rollup=False)
        for i, meter in enumerate(meters.itertuples()):
            rng = np.random.default_rng([sample.SEED, 900 + i])
            parts = [(hourly_early, pd.Timedelta(hours=1), 1.0), (quarter_late, pd.Timedelta(minutes=15), 0.25)] \
                if meter.utility == "electricity" else [(hourly_all, pd.Timedelta(hours=1), 1.0)]
            for stamps, length, share in parts:
                table = pa.table({
                    "meter_id": pa.array(np.full(len(stamps), meter.meter_id)),
                    "start": pa.array(stamps), "end": pa.array(stamps + length),
                    "value": pa.array(_profile(stamps, rng, 8.0 * share)),
                    "quality": pa.array(np.full(len(stamps), "measured")),
                })
                con.register("bench_rows", table)
                con.execute('INSERT INTO readings SELECT meter_id, start, "end", value, quality, ? FROM bench_rows',
                            [batch])
                con.unregister("bench_rows")
                total += len(stamps)
        rollup.rebuild(con)
    return total, len(meters)


def generate_apart(path: Path, scale: float) -> tuple[int, int]:
    """:func:`generate` in a child process: the generator's frames are test data, not the app's work, so
    they do not count in the peak memory this process reports."""
    code = ("import json, sys; from pathlib import Path; from heg_dash import bench; "
            "print(json.dumps(bench.generate(Path(sys.argv[1]), float(sys.argv[2]))))")
    out = subprocess.run([sys.executable, "-c", code, str(path), repr(scale)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    readings, meters = json.loads(out.stdout.strip().splitlines()[-1])
    return int(readings), int(meters)


# ------------------------------------------------------------------------------------------ pages

@contextmanager
def _query_log() -> list[tuple[str, object]]:
    """Record every read query (SQL and parameters) the package sends while the block runs."""
    log: list[tuple[str, object]] = []
    original = db.read_df

    def recording(sql, params=None, path=None):
        log.append((sql, params))
        return original(sql, params, path)

    db.read_df = recording
    try:
        yield log
    finally:
        db.read_df = original


def _floor_s(log: list[tuple[str, object]]) -> float:
    """The bare DuckDB time of the page's queries: each re-run once on one connection, results fetched."""
    with db.connect() as con:
        started = time.perf_counter()
        for sql, params in log:
            con.execute(sql, params or []).fetchall()
        return time.perf_counter() - started


def _chart_rows(at) -> int:
    """Rows sent to the browser by the page's charts (Vega-Lite datasets and pydeck layers)."""
    most = 0
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            reader = pa.ipc.open_stream(io.BytesIO(dataset.data.data))
            most = max(most, reader.read_all().num_rows)
        if chart.proto.HasField("data") and chart.proto.data.data:
            most = max(most, pa.ipc.open_stream(io.BytesIO(chart.proto.data.data)).read_all().num_rows)
    for deck in at.get("deck_gl_json_chart"):
        spec = json.loads(deck.proto.json)
        for layer in spec.get("layers", []):
            data = layer.get("data")
            if isinstance(data, list):
                most = max(most, len(data))
    return most


# Tabs that run only when opened, timed as rows of their own: page -> (tabs key, catalogue key of the tab).
LAZY_TABS = {"data": ("data_tab", "data.tab.quality")}


def _timed(at, page: str, before_cold: Callable[[], None] | None = None) -> PageTiming:
    """Cold (caches cleared) and warm (rerun) runs of what ``at`` shows next, with the floor of its queries."""
    import streamlit as st

    st.cache_data.clear()
    with _query_log() as log:
        if before_cold is not None:
            before_cold()
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"page {page} failed: {at.exception[0].value}")
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    return PageTiming(page, cold, warm, _floor_s(log), _chart_rows(at), len(log))


@contextmanager
def _routed_like_the_server() -> None:
    """AppTest runs a page reached by ``switch_page`` on its own on every run (Streamlit's legacy mode for a
    pages/ folder, which it resets before each run); a real server routes every run through app.py
    (``ui.ensure_router``), which wraps the page in its per-run work such as the shared connection. And
    AppTest compiles every script on every run (a new script cache each run), where a server compiles each
    once. The bench times the server's path: legacy mode stays off and one script cache serves every run."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    original = PagesManager.__init__

    def routed(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    shared = ScriptCache()
    PagesManager.__init__ = routed
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        PagesManager.__init__ = original
        app_test.ScriptCache = local_script_runner.ScriptCache = ScriptCache


def time_pages(pages: list[str], timeout_s: float = 120) -> list[PageTiming]:
    """Cold (caches cleared) and warm (rerun) AppTest runs of each page through the router, with the floor
    of its queries; a page's lazy tab (LAZY_TABS) is opened after it and timed as ``<page>:<tab>``."""
    with _routed_like_the_server():
        return _time_pages(pages, timeout_s)


def _time_pages(pages: list[str], timeout_s: float) -> list[PageTiming]:
    from streamlit.testing.v1 import AppTest

    from heg_dash.i18n import t

    # One untimed run first: a server imports its modules once when it starts, not on each cold page.
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout_s).run()
    results = []
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout_s)
        if page != "overblik":
            at.run()
            at.switch_page(f"pages/{page}.py")
        results.append(_timed(at, page))
        if page in LAZY_TABS:
            key, label = LAZY_TABS[page]
            open_tab = functools.partial(at.session_state.__setitem__, key, t(label))
            results.append(_timed(at, f"{page}:{label.rsplit('.', 1)[-1]}", open_tab))
    return results


# ------------------------------------------------------------------------------------------ naive

NAIVE_CODE = """
import json, resource, sys, time
import duckdb
t = time.perf_counter()
con = duckdb.connect(sys.argv[1], read_only=True)
r = con.execute("SELECT r.*, m.utility, m.building_id FROM readings r JOIN meters m USING (meter_id)").df()
con.close()
local = r["start"].dt.tz_convert("Europe/Copenhagen")
r["year"], r["month"] = local.dt.year, local.dt.month
r["hour"], r["weekday"] = local.dt.hour, local.dt.day_of_week
load = time.perf_counter() - t
runs = int(sys.argv[2])
t = time.perf_counter()
for _ in range(runs):  # a page's groupings, as each run of a quick dashboard's page does them
    r.groupby(["year", "month", "utility"])["value"].sum()
    r.groupby(["year", "building_id", "utility"])["value"].sum()
    r[r["utility"] == "electricity"].groupby(["weekday", "hour"])["value"].mean()
print(json.dumps({"load_s": load, "group_s": (time.perf_counter() - t) / runs,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def naive_baseline(path: Path, runs: int = 3) -> tuple[float, float, float]:
    """(seconds to load every reading, seconds of one page's groupings, peak MB) of the naive way, in a child
    process so its memory is its own; the groupings are timed over ``runs`` runs and averaged."""
    out = subprocess.run([sys.executable, "-c", NAIVE_CODE, str(path), str(runs)], capture_output=True,
                         text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return figures["load_s"], figures["group_s"], figures["peak_rss_mb"]


# ------------------------------------------------------------------------------------------ import

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
    from heg_dash.importers import apply as importing
    from heg_dash.importers.read import read_file

    content = read_file(csv_path)
    with db.session():  # as the CLI: one connection for the context and the write
        parsed = importing.read_upload("readings", csv_path.name, content, "eloverblik")
        if parsed.problems:
            raise RuntimeError(parsed.problems[0].text())
        summary = importing.apply(parsed, user="bench", file_name=csv_path.name, sha256=parsed.digest)
    return summary.added + summary.replaced


def import_throughput(csv_paths: list[Path], import_file: Callable[[Path], int], warm_up: Path
                      ) -> tuple[float, list[float], list[float]]:
    """(the seconds of the warm-up import, of our import of each file in ``csv_paths``, of DuckDB's
    ``read_csv`` of each): files of one size, each a period of its own, imported one after the other.

    ``warm_up`` (a file of the same size and yet another period) is imported first and does not count:
    throughput is a steady figure, as the pages' cold runs come after one untimed run. A smaller warm-up
    left the first timed import growing the memory pools to the file's size.
    """
    import duckdb

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
        con = duckdb.connect()
        started = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', decimal_separator=',', header=true)",
                    [str(csv_path)])
        theirs.append(time.perf_counter() - started)
        con.close()
    return warm_up_s, ours, theirs


# ------------------------------------------------------------------------------------------ run

def run(scale: float = 1.0, import_rows: int = 1_000_000, workdir: Path | None = None,
        import_file: Callable[[Path], int] | None = import_eloverblik) -> BenchResult:
    """The whole benchmark (see the module docstring) in a temporary directory (or ``workdir``)."""
    with tempfile.TemporaryDirectory(prefix="heg-bench-") as tmp:
        base = Path(workdir or tmp)
        base.mkdir(parents=True, exist_ok=True)
        path = base / "bench.duckdb"
        previous_db = os.environ.get("HEG_DASH_DB")
        os.environ["HEG_DASH_DB"] = str(path)
        try:
            started = time.perf_counter()
            readings, meters = generate_apart(path, scale)
            result = BenchResult(scale, readings, meters, time.perf_counter() - started)
            # The kiosk composer draws no data; every other page is timed.
            pages = [p for p in registered_pages() if p != "praesentation"]
            result.pages = time_pages(pages)
            if import_file is not None:
                stored = db.read_df("SELECT * FROM meters", path=path)
                csv_paths, skip = [], 0
                for run in range(IMPORT_RUNS):
                    csv_paths.append(base / f"eloverblik-{run + 1}.csv")
                    result.import_rows = eloverblik_csv(csv_paths[-1], stored, import_rows, skip)
                    skip += result.import_rows // int(stored["gsrn"].notna().sum())
                warm_up = base / "eloverblik-warm-up.csv"
                eloverblik_csv(warm_up, stored, import_rows, skip)
                result.import_warm_up_s, result.import_runs_s, result.read_csv_runs_s = import_throughput(
                    csv_paths, import_file, warm_up)
            result.peak_rss_mb = peak_rss_mb()
            result.naive_load_s, result.naive_group_s, result.naive_peak_rss_mb = naive_baseline(path)
        finally:
            if previous_db is None:
                os.environ.pop("HEG_DASH_DB", None)
            else:
                os.environ["HEG_DASH_DB"] = previous_db
    return result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def format_table(result: BenchResult) -> str:
    """The human-readable report with the figures."""
    lines = [
        f"scale {result.scale}: {result.readings:,} readings on {result.meters} meters "
        f"(generated in {result.generate_s:.1f} s)",
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
        rate = result.import_rows / result.import_s
        csv_rate = result.import_rows / result.read_csv_s
        lines.append(f"import: {result.import_rows:,} rows in {result.import_s:.2f} s ({rate:,.0f} rows/s); "
                     f"DuckDB read_csv {result.read_csv_s:.2f} s ({csv_rate:,.0f} rows/s); "
                     f"ratio {rate / csv_rate:.2f} (medians of {len(result.import_runs_s)}; ours "
                     f"{', '.join(f'{s:.2f}' for s in result.import_runs_s)} s, read_csv "
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
    return "\n".join(lines)

