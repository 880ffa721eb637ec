"""``readings_daily``: the readings summed per meter and local day, kept in step by every write.

Pages that sum use over whole days (a year's use per meter, the CO₂e of every year since the first
reading) read this table, about 1/24 of the rows of hourly data and 1/96 of quarter-hours, instead of
scanning ``readings``. The rules are those of ``queries.usage`` and ``queries.sustainability``:

- A reading belongs to the Danish local day of its start, so a sum over whole local days is exactly the
  sum over the readings of that period.
- ``value`` is the sum in the meter's own unit (unit conversion is linear, so queries convert the sums).
- Location-based electricity: each reading's hour is its start truncated to the UTC hour (15-minute
  readings fall into their hour; longer ones keep their own start). ``grid_weighted`` = Σ value × the
  hour's grid intensity (g CO₂e/kWh, ``config.PRICE_AREA``, the best source of the hour, its values
  averaged) over the hours that have one; ``value_without_grid`` = Σ value over the hours that have none.
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
and refreshes them (:func:`refresh`) inside its own transaction; bulk loads :func:`rebuild` the table.
"""

from __future__ import annotations

import duckdb

from heg_dash.config import PRICE_AREA, TIMEZONE
from heg_dash.metrics.quality import FLAT_RUN_ROWS

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
# Source precedence of grid intensity within an hour (DESIGN.md: declaration > co2emis > import).
GRID_RANK_SQL = "CASE source WHEN 'declaration' THEN 1 WHEN 'co2emis' THEN 2 ELSE 3 END"


def _aggregate_sql(where: str) -> str:
    """SELECT the table's rows (by name) from the readings that ``where`` keeps (alias r)."""
    return f"""
        WITH r AS (
            SELECT r.meter_id, r.start, r."end", r.value,
                   timezone('{TIMEZONE}', r.start)::DATE AS day,
                   epoch_ms(r.start) // 3600000 AS hour_no
            FROM readings r {where}
        ), ordered AS (
            -- One sort: each reading next to the one before it in the same meter-day.
            SELECT *, lag("end") OVER day_order AS prev_end, row_number() OVER day_order AS rn,
                   1::BIGINT << CAST(hour_no - (epoch(day::TIMESTAMP)::BIGINT // 3600 - 2) AS INTEGER) AS hour_bit,
                   value IS DISTINCT FROM lag(value) OVER day_order OR row_number() OVER day_order = 1
                       AS run_start
            FROM r WINDOW day_order AS (PARTITION BY meter_id, day ORDER BY start)
        ), hours AS (
            SELECT DISTINCT hour_no FROM r
        ), g AS (
            SELECT epoch_ms(start) // 3600000 AS hour_no, g_co2e_per_kwh, {GRID_RANK_SQL} AS rank
            FROM grid_co2
            WHERE price_area = '{PRICE_AREA}' AND g_co2e_per_kwh IS NOT NULL
              AND epoch_ms(start) // 3600000 IN (SELECT hour_no FROM hours)
        ), grid AS (
            SELECT hour_no, avg(g_co2e_per_kwh) AS g
            FROM (SELECT * FROM g QUALIFY rank = min(rank) OVER (PARTITION BY hour_no)) GROUP BY hour_no
        ), days AS (
            SELECT o.meter_id, o.day, sum(o.value) AS value, count(*) AS readings,
                   min(o.start) AS first_start, max(o.start) AS last_start,
                   sum(o.value * grid.g) AS grid_weighted,
                   sum(o.value) FILTER (WHERE grid.g IS NULL) AS value_without_grid,
                   coalesce(bit_or(o.hour_bit) FILTER (WHERE o.value IS NOT NULL), 0) AS hours,
                   coalesce(bit_or(o.hour_bit) FILTER (WHERE o.value IS NOT NULL AND grid.g IS NULL), 0)
                       AS hours_without_grid,
                   max(o."end") AS last_end, arg_max(o."end", o.start) AS end_of_last,
                   sum(epoch(o."end") - epoch(o.start)) AS covered_s,
                   arg_min(o.value, o.start) AS first_value, arg_max(o.value, o.start) AS last_value,
                   count(*) FILTER (WHERE o.start > o.prev_end) AS inner_gaps,
                   coalesce(sum(epoch(o.start) - epoch(o.prev_end)) FILTER (WHERE o.start > o.prev_end), 0)
                       AS inner_gap_s,
                   count(*) FILTER (WHERE o.start < o.prev_end) AS inner_overlaps,
                   -- Runs of equal values by the row number they start at: the first run, the last run,
                   -- and the long ones between them.
                   list(o.rn ORDER BY o.rn) FILTER (WHERE o.run_start) AS starts,
                   coalesce(min(o.rn) FILTER (WHERE o.run_start AND o.rn > 1) - 1, count(*)) AS head_run,
                   count(*) - max(o.rn) FILTER (WHERE o.run_start) + 1 AS tail_run
            FROM ordered o LEFT JOIN grid USING (hour_no)
            GROUP BY o.meter_id, o.day
        )
        SELECT * EXCLUDE (starts),
               coalesce(list_sum([starts[i + 1] - starts[i] FOR i IN range(2, len(starts))
                                  IF starts[i + 1] - starts[i] >= {int(FLAT_RUN_ROWS)}]), 0) AS inner_flat
        FROM days
    """


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


# The whole table from the readings (a bulk load, the migration that introduced it).
REBUILD_SQL = (f"DELETE FROM {TABLE}", f"INSERT INTO {TABLE} BY NAME {_aggregate_sql('')}")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the whole table from the readings."""
    for sql in REBUILD_SQL:
        con.execute(sql)


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
        con.execute(
            f"INSERT INTO {_DIRTY} SELECT NULL, {lo} - 1, {hi} + 1 FROM ("
            "SELECT start FROM grid_co2 WHERE batch_id = $b "
            "UNION ALL SELECT start FROM grid_co2__replaced WHERE replaced_by = $b) HAVING count(*) > 0",
            {"b": batch_id})


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the marked meter-days from the readings as they are now, then forget the marks."""
    _ensure_dirty(con)
    if con.execute(f"SELECT count(*) FROM {_DIRTY}").fetchone()[0]:
        # Per meter the days from its first to its last marked day; a mark without a meter is every meter.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _span AS
            SELECT meter_id, min(lo) AS lo, max(hi) AS hi,
                   timezone('{TIMEZONE}', min(lo)::TIMESTAMP) AS lo_utc,
                   timezone('{TIMEZONE}', (max(hi) + 1)::TIMESTAMP) AS hi_utc
            FROM (SELECT meter_id, lo, hi FROM {_DIRTY} WHERE meter_id IS NOT NULL
                  UNION ALL
                  SELECT m.meter_id, d.lo, d.hi FROM {_DIRTY} d,
                         (SELECT meter_id FROM meters UNION SELECT DISTINCT meter_id FROM {TABLE}) m
                  WHERE d.meter_id IS NULL)
            GROUP BY meter_id""")
        con.execute(f"DELETE FROM {TABLE} t USING _span s "
                    "WHERE t.meter_id = s.meter_id AND t.day BETWEEN s.lo AND s.hi")
        where = ("JOIN _span s ON r.meter_id = s.meter_id "
                 "WHERE r.start >= s.lo_utc AND r.start < s.hi_utc")
        con.execute(f"INSERT INTO {TABLE} BY NAME {_aggregate_sql(where)}")
        con.execute("DROP TABLE IF EXISTS _span")
    con.execute(f"DROP TABLE IF EXISTS {_DIRTY}")
