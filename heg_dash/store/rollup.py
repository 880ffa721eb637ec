"""``readings_daily``: the readings summed per meter and local day, kept in step by every write.

Pages that sum use over whole days (a year's use per meter, the CO₂e of every year since the first
reading) read this table, about 1/24 of the rows of hourly data and 1/96 of quarter-hours, instead of
scanning ``readings``. The rules are those of ``queries.usage`` and ``queries.sustainability``:

- A reading belongs to the Danish local day of its start, so a sum over whole local days is exactly the
  sum over the readings of that period.
- ``value`` is the sum in the meter's own unit (unit conversion is linear, so queries convert the sums).
- Location-based electricity: each reading's hour is its start truncated to the UTC hour (15-minute
  readings fall into their hour). ``grid_weighted`` = Σ value × the hour's grid intensity (g CO₂e/kWh,
  ``config.PRICE_AREA``, the best source of the hour, its values averaged) over the hours that have one;
  ``value_without_grid`` = Σ value over the hours that have none. A reading longer than an hour (a day or a
  month from Eloverblik's Day/Month exports or a utility's statement) takes the average intensity of the
  hours it covers that have one (:meth:`GridByHour.period`), as its use per hour is not known.
  Kept for every meter whatever its utility, so a change of meter data never makes the table stale.
- ``hours`` and ``hours_without_grid`` are bit masks of the day's UTC hours that have use (and of those
  without an intensity): bit i is the i-th hour counted from local midnight's date at 00:00 UTC minus two
  hours. OR-ing them over meters counts each hour of the school once, as the hour-by-hour rule does.
- Data quality (``queries.data.meter_quality`` joins the days): the readings in start order within the
  day give ``inner_gaps``/``inner_gap_s``/``inner_overlaps`` (a reading starting after / before the end
  of the one before it in the same day), ``covered_s``, ``last_end``, the first reading's value and the
  last reading's value and end, and the flat runs (``metrics.quality.FLAT_RUN_ROWS`` equal values in a
  row): the lengths of the day's first and last run (``head_run``, ``tail_run``; equal to ``readings``
  when the whole day is one run) and ``inner_flat``, the rows of long runs that touch neither end. Runs
  and gaps across midnight are joined from neighbouring days at read time.

Every write that changes ``readings`` or ``grid_co2`` marks the meter-days it touched (:func:`mark_batch`)
and refreshes them (:func:`refresh`) inside its own transaction, but an import of new periods, which stores
the days it summed itself (:func:`days_of_new_rows`, :func:`store_new_days`); bulk loads :func:`rebuild` the
table.

How: DuckDB selects the readings of the meter-days to compute, each with its hour's grid intensity, sorted
by meter and start; :func:`day_parts` walks them with numpy (each reading next to the one before it, the
runs of equal values) and the rows go back as Arrow. A window query over the same rows cost twice as much,
and it is the import's main cost after parsing. Work is done in chunks of meters of at most
``CHUNK_ROWS`` readings, so a rebuild of ten years holds one chunk in memory at a time. An import of new
periods (:func:`days_of_new_rows`) is walked from its own rows instead, on the second core while the store
checks and inserts them.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from heg_dash.config import PRICE_AREA, TIMEZONE
from heg_dash.importers.read import run_heads
from heg_dash.store.day_walk import (
    DAY_US,
    HOUR_US,
    GridByHour,
    arrow_days,
    local_days,
    micros,
    reading_arrays,
    walk,
)

TABLE = "readings_daily"
SOURCES = ("readings", "grid_co2")  # the datasets the table is computed from

DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (meter_id VARCHAR NOT NULL, day DATE NOT NULL, value DOUBLE, "
    "readings BIGINT NOT NULL, first_start TIMESTAMPTZ, last_start TIMESTAMPTZ, grid_weighted DOUBLE, "
    "value_without_grid DOUBLE, hours BIGINT NOT NULL, hours_without_grid BIGINT NOT NULL, "
    'last_end TIMESTAMPTZ, end_of_last TIMESTAMPTZ, covered_s DOUBLE, first_value DOUBLE, last_value DOUBLE, '
    "inner_gaps BIGINT, inner_gap_s DOUBLE, inner_overlaps BIGINT, head_run BIGINT, tail_run BIGINT, "
    "inner_flat BIGINT)"
)
_DIRTY = "_rollup_dirty"
_SPAN = "_rollup_span"  # the meter-days to compute: per meter its days and their UTC range of starts
# Source precedence of grid intensity within an hour (DESIGN.md: declaration > co2emis > import).
GRID_RANK_SQL = "CASE source WHEN 'declaration' THEN 1 WHEN 'co2emis' THEN 2 ELSE 3 END"
CHUNK_ROWS = 2_000_000  # readings fetched at once (a few hundred MB of arrays at most)


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


# ----------------------------------------------------------------------------------------- the maths


# ------------------------------------------------------------------------------------- compute, store

def _compute_spans(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the rows of the meter-days in ``_SPAN`` (meter_id, lo_utc, hi_utc; NULL bounds: no bound)."""
    # fetchall, not fetchone: a result left unfinished would block con.sql below.
    [(lo_us, hi_us)] = con.execute(
        f"SELECT CASE WHEN count(lo_utc) = count(*) THEN epoch_us(min(lo_utc)) END, "
        f"CASE WHEN count(hi_utc) = count(*) THEN epoch_us(max(hi_utc)) END FROM {_SPAN}").fetchall()
    # The overall bounds as constants too: zone maps then skip the stored row groups outside them.
    bounds = "".join(f" AND r.start {op} make_timestamptz({int(us)})"
                     for op, us in ((">=", lo_us), ("<", hi_us)) if us is not None)
    selected = (f"FROM readings r JOIN {_SPAN} s ON r.meter_id = s.meter_id "
                "AND (s.lo_utc IS NULL OR r.start >= s.lo_utc) AND (s.hi_utc IS NULL OR r.start < s.hi_utc)"
                f"{bounds}")
    sizes = con.execute(f"SELECT s.meter_id, count(*), max(epoch_us(r.\"end\")) {selected} "
                        "GROUP BY s.meter_id ORDER BY s.meter_id").fetchall()
    if not sizes:
        return
    grid = _grid_by_hour(con, _grid_bounds(lo_us, max(end for _, _, end in sizes)))
    chunk: list[str] = []
    rows = 0
    for i, (meter_id, n, _) in enumerate(sizes):
        chunk.append(meter_id)
        rows += n
        if rows >= CHUNK_ROWS or i == len(sizes) - 1:
            _compute_meters(con, selected, chunk, grid)
            chunk, rows = [], 0


def _grid_bounds(lo_us: int | None, end_us: int | None) -> str:
    """The bounds on ``r.start`` of the grid hours readings from ``lo_us`` that end by ``end_us`` can use (a
    reading longer than an hour uses every hour it covers)."""
    return "".join(f" AND r.start {op} make_timestamptz({int(us)})"
                   for op, us in ((">=", lo_us), ("<", end_us)) if us is not None)


def _grid_by_hour(con: duckdb.DuckDBPyConnection, bounds: str) -> GridByHour:
    """The hours' intensity in ``config.PRICE_AREA``: the best source of each hour, its values averaged.
    ``bounds`` limit ``r.start``: grid_co2 is aliased ``r`` for them."""
    table = con.sql(f"""
        SELECT hour_no, avg(g_co2e_per_kwh) AS g FROM (
            SELECT epoch_ms(r.start) // 3600000 AS hour_no, g_co2e_per_kwh, {GRID_RANK_SQL} AS rank
            FROM grid_co2 r WHERE price_area = '{PRICE_AREA}' AND g_co2e_per_kwh IS NOT NULL{bounds}
            QUALIFY rank = min(rank) OVER (PARTITION BY hour_no))
        GROUP BY hour_no""").to_arrow_table()
    return GridByHour(table.column("hour_no").to_numpy(), table.column("g").to_numpy())


def _compute_meters(con: duckdb.DuckDBPyConnection, selected: str, meter_ids: list[str], grid: GridByHour
                    ) -> None:
    table = con.sql(f"""
        SELECT c.code AS meter, epoch_us(r.start) AS start, epoch_us(r."end") AS "end", r.value
        {selected}
        JOIN (SELECT unnest($meters) AS meter_id, generate_subscripts($meters, 1) - 1 AS code) c
            ON c.meter_id = s.meter_id
        ORDER BY meter, start""", params={"meters": meter_ids}).to_arrow_table()
    parts = walk(table.column("meter").to_numpy(), *reading_arrays(table), grid)
    del table
    _store_days(con, arrow_days(parts, meter_ids))


def _store_days(con: duckdb.DuckDBPyConnection, days: pa.Table) -> None:
    con.register("_rollup_days", days)
    con.execute(f"INSERT INTO {TABLE} BY NAME SELECT * FROM _rollup_days")
    con.unregister("_rollup_days")  # not in a finally: after a failed statement it would hide the error


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the whole table from the readings."""
    con.execute(f"DELETE FROM {TABLE}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_SPAN} AS SELECT DISTINCT meter_id, NULL::TIMESTAMPTZ AS lo_utc, "
                "NULL::TIMESTAMPTZ AS hi_utc FROM readings WHERE meter_id IS NOT NULL")
    _compute_spans(con)
    con.execute(f"DROP TABLE IF EXISTS {_SPAN}")


def _ensure_dirty(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_DIRTY} (meter_id VARCHAR, lo DATE, hi DATE)")


def mark_batch(con: duckdb.DuckDBPyConnection, dataset: str, batch_id: int) -> None:
    """Remember the meter-days a batch touched: the rows it wrote and the rows it replaced.

    Call it after an import has written, and before an undo changes anything (then the same rows say
    where the undo will write). A grid intensity batch touches every meter on the days it covers.
    """
    if dataset not in SOURCES:
        return
    _ensure_dirty(con)
    # The local day of the first and last start only (a time zone conversion per row costs more).
    lo, hi = (f"timezone('{TIMEZONE}', {f}(start))::DATE" for f in ("min", "max"))
    if dataset == "readings":
        con.execute(
            f"INSERT INTO {_DIRTY} SELECT meter_id, {lo}, {hi} FROM ("
            "SELECT meter_id, start FROM readings WHERE batch_id = $b "
            "UNION ALL SELECT meter_id, start FROM readings__replaced WHERE replaced_by = $b) GROUP BY meter_id",
            {"b": batch_id})
    else:
        # An hour's intensity counts for readings whose UTC hour it is: widen by a day for the time zone.
        touched = ("SELECT start FROM grid_co2 WHERE batch_id = $b "
                   "UNION ALL SELECT start FROM grid_co2__replaced WHERE replaced_by = $b")
        con.execute(f"INSERT INTO {_DIRTY} SELECT NULL, {lo} - 1, {hi} + 1 FROM ({touched}) HAVING count(*) > 0",
                    {"b": batch_id})
        # and for the days and months that cover it (their average intensity), which may begin long before.
        con.execute(
            f"INSERT INTO {_DIRTY} SELECT r.meter_id, {lo.replace('start', 'r.start')}, "
            f"{hi.replace('start', 'r.start')} FROM readings r, (SELECT min(start) AS lo, max(start) AS hi "
            f"FROM ({touched})) t WHERE r.\"end\" - r.start > INTERVAL 1 HOUR AND r.\"end\" > t.lo "
            "AND r.start <= t.hi AND r.start >= t.lo - INTERVAL 367 DAY GROUP BY r.meter_id", {"b": batch_id})


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the marked meter-days from the readings as they are now, then forget the marks."""
    _ensure_dirty(con)
    if con.execute(f"SELECT count(*) FROM {_DIRTY}").fetchone()[0]:
        # Per meter the days from its first to its last marked day; a mark without a meter is every meter.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {_SPAN} AS
            SELECT meter_id, lo, hi, timezone('{TIMEZONE}', lo::TIMESTAMP) AS lo_utc,
                   timezone('{TIMEZONE}', (hi + 1)::TIMESTAMP) AS hi_utc
            FROM (SELECT meter_id, min(lo) AS lo, max(hi) AS hi
                  FROM (SELECT meter_id, lo, hi FROM {_DIRTY} WHERE meter_id IS NOT NULL
                        UNION ALL
                        SELECT m.meter_id, d.lo, d.hi FROM {_DIRTY} d,
                               (SELECT meter_id FROM meters UNION SELECT DISTINCT meter_id FROM {TABLE}) m
                        WHERE d.meter_id IS NULL)
                  GROUP BY meter_id)""")
        con.execute(f"DELETE FROM {TABLE} t USING {_SPAN} s "
                    "WHERE t.meter_id = s.meter_id AND t.day BETWEEN s.lo AND s.hi")
        _compute_spans(con)
        con.execute(f"DROP TABLE IF EXISTS {_SPAN}")
    con.execute(f"DROP TABLE IF EXISTS {_DIRTY}")


def store_new_days(con: duckdb.DuckDBPyConnection, days: pa.Table) -> None:
    """Store the days of an import of new periods (:func:`days_of_new_rows`, after the rows are inserted) in
    place of the table's rows for the same meters from each one's first to its last day: in place of
    ``mark_batch`` and ``refresh``, which would find exactly those days and compute them from the table."""
    con.register("_rollup_new", days)
    con.execute(f"""
        DELETE FROM {TABLE} t USING (SELECT meter_id, min(day) AS lo, max(day) AS hi FROM _rollup_new
                                     GROUP BY meter_id) k
        WHERE t.meter_id = k.meter_id AND t.day BETWEEN k.lo AND k.hi""")
    con.unregister("_rollup_new")
    _store_days(con, days)


# Computes the days of an import's own rows on the second core while the store checks and inserts them.
_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="heg-rollup")


@dataclass(frozen=True)
class MeterBlocks:
    """Readings (meter_id, start, end, value) grouped by meter, each meter's rows by start, as an import
    stages them: where each meter's rows begin, its id and the period they cover (µs since the epoch)."""

    rows: pa.Table
    heads: np.ndarray  # the row each meter's block begins at
    meter_ids: pa.Array
    lo_us: np.ndarray  # each meter's first start
    hi_us: np.ndarray  # each meter's last end

    @classmethod
    def of(cls, rows: pa.Table) -> MeterBlocks:
        meter = rows.column("meter_id").combine_chunks()
        heads = run_heads(meter)
        start_us, end_us = (micros(rows.column(name)) for name in ("start", "end"))
        return cls(rows, heads, meter.take(pa.array(heads)), np.minimum.reduceat(start_us, heads),
                   np.maximum.reduceat(end_us, heads))


def days_of_new_rows(con: duckdb.DuckDBPyConnection, blocks: MeterBlocks) -> Future[pa.Table]:
    """The table's rows for every day of ``blocks``, computed in the background (for :func:`store_new_days`),
    before the rows are stored.

    No stored reading of a meter may lie between its first start and its last end in ``blocks`` (an import
    of new periods). Then a meter's days hold these rows only, but its first and last day, which may also
    hold stored readings just before or after them: those are read here, on ``con`` with the grid
    intensity, so the background work touches no connection and a caller can insert the rows meanwhile.
    """
    rows, heads = blocks.rows, blocks.heads
    ends = np.append(heads[1:], rows.num_rows)  # one past each meter's last row
    start_us, end_us, value, valid = reading_arrays(rows)
    last = start_us[ends - 1]
    edges = pa.table({
        "code": np.arange(len(heads)), "meter_id": blocks.meter_ids,
        "day_lo": _local_midnight(local_days(blocks.lo_us, blocks.lo_us // HOUR_US)),
        "lo": blocks.lo_us, "hi": blocks.hi_us,
        "day_hi": _local_midnight(local_days(last, last // HOUR_US) + 1),
    })
    bounds = (f" AND r.start >= make_timestamptz({int(edges.column('day_lo').to_numpy().min())})"
              f" AND r.start < make_timestamptz({int(edges.column('day_hi').to_numpy().max())})")
    con.register("_rollup_edges", edges)
    neighbours = con.sql(f"""
        SELECT e.code, epoch_us(r.start) AS start, epoch_us(r."end") AS "end", r.value,
               epoch_us(r.start) < e.lo AS before
        FROM readings r JOIN _rollup_edges e ON r.meter_id = e.meter_id
            AND epoch_us(r.start) >= e.day_lo AND epoch_us(r.start) < e.day_hi
            AND (epoch_us(r.start) < e.lo OR epoch_us(r.start) >= e.hi){bounds}
        ORDER BY e.code, r.start""").to_arrow_table()
    con.unregister("_rollup_edges")
    neighbour_end = int(pc.max(neighbours.column("end")).as_py() or 0) if neighbours.num_rows else 0
    grid = _grid_by_hour(con, _grid_bounds(int(edges.column("day_lo").to_numpy().min()),
                                           max(int(blocks.hi_us.max()), neighbour_end)))

    def compute() -> pa.Table:
        meter = np.zeros(rows.num_rows, np.int64)
        meter[heads[1:]] = 1
        np.cumsum(meter, out=meter)
        arrays = [meter, start_us, end_us, value, valid]
        if neighbours.num_rows:  # each meter's rows before its first day's new rows, after its last day's
            code = neighbours.column("code").to_numpy()
            at = np.where(neighbours.column("before").to_numpy(zero_copy_only=False), heads[code], ends[code])
            arrays = [np.insert(a, at, b) for a, b in zip(arrays, [code, *reading_arrays(neighbours)],
                                                          strict=True)]
        return arrow_days(walk(*arrays, grid), blocks.meter_ids.to_pylist())

    return _AHEAD.submit(compute)


def _local_midnight(days: np.ndarray) -> np.ndarray:
    """The UTC instant (µs since the epoch) of local midnight starting each day (days since 1970-01-01)."""
    wall = pd.DatetimeIndex((days * DAY_US).view("M8[us]"))
    return wall.tz_localize(TIMEZONE).tz_convert("UTC").asi8
