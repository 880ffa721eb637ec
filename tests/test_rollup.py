"""The per-day sums (heg_dash.rollup) stay equal to a fresh computation from the readings after every kind
of write, and the reads built on them equal the readings-level rules they replace."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from heg_dash import store
from heg_dash.config import PRICE_AREA, TIMEZONE
from heg_dash.metrics import emissions
from heg_dash.metrics.footprint import kg_per_kwh
from heg_dash.metrics.quality import FLAT_RUN_ROWS
from heg_dash.queries import sustainability, usage
from heg_dash.store import db, rollup, setup
from tests.data_support import hours, readings_csv
from tests.test_store import load

COLUMNS = ("meter_id, day, value, readings, first_start, last_start, grid_weighted, value_without_grid, hours, "
           "hours_without_grid, last_end, end_of_last, covered_s, first_value, last_value, inner_gaps, inner_gap_s, "
           "inner_overlaps, head_run, tail_run, inner_flat")


def _stored_and_fresh(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table as stored, and as a rebuild computes it now (in a transaction rolled back)."""
    with db.connect(path) as con:
        order = f"SELECT {COLUMNS} FROM {rollup.TABLE} ORDER BY meter_id, day"
        stored = con.execute(order).df()
        con.execute("BEGIN TRANSACTION")
        rollup.rebuild(con)
        fresh = con.execute(order).df()
        con.execute("ROLLBACK")
    return stored, fresh


def assert_fresh(path) -> None:
    stored, fresh = _stored_and_fresh(path)
    assert len(fresh) > 0
    pd.testing.assert_frame_equal(stored, fresh, check_exact=False, rtol=1e-12)


def _grid_csv(rows: list[tuple[str, float]], source: str = "declaration") -> bytes:
    lines = ["start,price_area,g_co2e_per_kwh,source"] + [f"{s},DK1,{g},{source}" for s, g in rows]
    return ("\n".join(lines) + "\n").encode()


def test_every_kind_of_write_keeps_the_daily_sums_fresh(sample_db, tmp_path):
    assert_fresh(sample_db)
    # Hourly readings over stored quarter-hours/hours, across midnight into the next local day.
    rows = hours("HOB-A-EL", "2025-03-29", [5.0] * 30)
    first = load("readings", readings_csv(rows))
    assert first.replaced > 0
    assert_fresh(sample_db)
    # A grid intensity for hours that had none (the sample's last days of October 2026) changes the
    # location-based sums of every meter on those days.
    grid = load("grid_co2", _grid_csv([("2026-10-29T10:00:00+01:00", 123.0), ("2026-10-29T11:00:00+01:00", 0.0)]))
    assert_fresh(sample_db)
    backup = store.backup(tmp_path / "backup.duckdb", sample_db)
    store.undo(grid.batch_id, "tester")
    assert_fresh(sample_db)
    store.undo(first.batch_id, "tester")
    assert_fresh(sample_db)
    cleared = store.clear_sample("tester")
    with db.connect(sample_db) as con:
        assert con.execute(f"SELECT count(*) FROM {rollup.TABLE}").fetchone()[0] == 0
    store.undo(cleared, "tester")
    assert_fresh(sample_db)
    store.restore(backup, "tester", sample_db)
    assert_fresh(sample_db)


def test_the_migration_fills_the_table_of_an_older_database(sample_db):
    with db.connect(sample_db) as con:
        con.execute(f"DROP TABLE {rollup.TABLE}")
        db.set_meta(con, "schema_version", "1")
    setup.ensure_database(sample_db)
    assert_fresh(sample_db)


def test_use_by_meter_equals_the_readings_summed_directly(sample_db):
    # A DST change inside the period, and a period that starts and ends mid-month.
    first_day, last_day = dt.date(2024, 3, 20), dt.date(2024, 11, 3)
    lo, hi = usage.local_bounds(first_day, last_day)
    direct = db.read_df(
        f"SELECT m.meter_id, sum(r.value) AS native, sum({usage.KWH_SQL}) AS kwh, count(*) AS readings, "
        "min(r.start) AS first_start, max(r.start) AS last_start FROM readings r JOIN meters m USING (meter_id) "
        "WHERE r.start >= ? AND r.start < ? GROUP BY ALL ORDER BY meter_id", [lo, hi])
    read = usage.use_by_meter(first_day, last_day)[direct.columns]
    pd.testing.assert_frame_equal(read.reset_index(drop=True), direct, check_exact=False, rtol=1e-12,
                                  check_dtype=False)


@pytest.mark.parametrize("year", [2024, 2026])
def test_location_based_electricity_follows_the_hour_by_hour_rule(sample_db, year):
    """The ledger (from the per-day sums) equals metrics.emissions.location_based_electricity_kg applied to
    each campus's hourly use and the hourly grid intensity; 2026 has hours without an intensity."""
    first_day, last_day = dt.date(year, 1, 1), (dt.date(2026, 10, 31) if year == 2026 else dt.date(year, 12, 31))
    ledger = sustainability.co2e_ledger(first_day, last_day)
    grid = sustainability.grid_intensity(first_day, last_day)
    fallback_row = sustainability.pick_factor(sustainability.factor_rows(), "electricity", year, "location")
    fallback = kg_per_kwh(fallback_row["kg_co2e_per_unit"], fallback_row["unit"])
    location = ledger.rows[(ledger.rows["source"] == "electricity") & (ledger.rows["method"] == "location")]
    assert len(location) == 2
    school = []
    for row in location.itertuples():
        use = usage.hourly_use("electricity", first_day, last_day, row.campus_id)
        school.append(use)
        kg, _ = emissions.location_based_electricity_kg(use, grid, fallback)
        assert row.kg == pytest.approx(kg, rel=1e-9)
        assert row.quantity == pytest.approx(use["kwh"].sum(), rel=1e-9)
    _, hours_without = emissions.location_based_electricity_kg(pd.concat(school), grid, fallback)
    assert ledger.hours_without_intensity == hours_without
    assert (hours_without > 0) == (year == 2026)


def test_refresh_without_marks_changes_nothing(sample_db):
    with db.connect(sample_db) as con:
        before = con.execute(f"SELECT count(*), sum(value) FROM {rollup.TABLE}").fetchone()
        rollup.refresh(con)
        assert con.execute(f"SELECT count(*), sum(value) FROM {rollup.TABLE}").fetchone() == before
    with pytest.raises(duckdb.CatalogException), db.connect(sample_db) as con:
        con.execute("SELECT * FROM _rollup_dirty")


# The whole-history scan the quality panel ran before the per-day parts: the reference they must equal.
REFERENCE_QUALITY_SQL = """
    WITH r AS (
        SELECT meter_id, start, "end", value, lag("end") OVER w AS prev_end,
               CASE WHEN value IS NOT DISTINCT FROM lag(value) OVER w THEN 0 ELSE 1 END AS new_run
        FROM readings WINDOW w AS (PARTITION BY meter_id ORDER BY start)
    ), runs AS (
        SELECT meter_id, sum(new_run) OVER (PARTITION BY meter_id ORDER BY start ROWS UNBOUNDED PRECEDING) AS run_id
        FROM r
    ), flat AS (
        SELECT meter_id, sum(n) AS flat_rows FROM (SELECT meter_id, run_id, count(*) AS n FROM runs GROUP BY ALL)
        WHERE n >= 24 GROUP BY meter_id
    )
    SELECT meter_id, count(*) AS rows, count(*) FILTER (WHERE start > prev_end) AS gaps,
           coalesce(sum(epoch(start) - epoch(prev_end)) FILTER (WHERE start > prev_end), 0) / 3600 AS gap_hours,
           count(*) FILTER (WHERE start < prev_end) AS overlaps, coalesce(any_value(f.flat_rows), 0) AS flat_rows
    FROM r LEFT JOIN flat f USING (meter_id) GROUP BY meter_id ORDER BY meter_id
"""


def _awkward_readings(seed: int) -> pd.DataFrame:
    """Hourly and quarter-hour readings with flat runs across midnight (and across whole days), gaps at and
    away from midnight, an overlap, over the October DST night."""
    import numpy as np

    rng = np.random.default_rng(seed)
    frames = []
    for meter, step in (("HOB-A-EL", "15min"), ("HOB-A-FV", "1h"), ("AAR-A-EL", "1h")):
        stamps = pd.date_range("2025-10-20", "2025-11-05", freq=step, tz="Europe/Copenhagen", inclusive="left")
        stamps = stamps.tz_convert("UTC")
        keep = rng.random(len(stamps)) > 0.02  # scattered gaps
        keep[200:260] = False  # a longer gap
        stamps = stamps[keep]
        # Runs: mostly long runs of one value (some longer than a day), some noise.
        values, value = [], 1.0
        for _ in stamps:
            if rng.random() < 0.03:
                value = float(rng.integers(1, 4))
            values.append(value if rng.random() > 0.05 else float(rng.integers(1, 4)))
        length = pd.Timedelta(step)
        frame = pd.DataFrame({"meter_id": meter, "start": stamps, "end": stamps + length, "value": values,
                              "quality": "measured"})
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    # One overlapping reading (a stored file cannot hold one, but the panel must count it if it exists).
    extra = out.iloc[[10]].copy()
    extra["start"] = extra["start"] + pd.Timedelta(minutes=5)
    extra["end"] = extra["end"] + pd.Timedelta(minutes=5)
    return pd.concat([out, extra], ignore_index=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quality_from_daily_parts_equals_the_whole_history_scan(sample_db, seed):
    from heg_dash.queries import data as data_queries
    from heg_dash.store import sample

    with db.transaction(sample_db) as con:
        meters = ("HOB-A-EL", "HOB-A-FV", "AAR-A-EL")
        con.execute("DELETE FROM readings WHERE meter_id IN (?, ?, ?)", list(meters))
        rollup.rebuild(con)
        batch = db.new_batch(con, "readings", "sample", note="test")
        sample.insert_frame(con, "readings", _awkward_readings(seed), batch)
    assert_fresh(sample_db)
    reference = db.read_df(REFERENCE_QUALITY_SQL).set_index("meter_id")
    found = data_queries.meter_quality().set_index("meter_id")
    assert reference.loc[list(meters), "flat_rows"].gt(0).all()
    assert reference.loc[list(meters), "gaps"].gt(0).all()
    for column in ("rows", "gaps", "overlaps", "flat_rows"):
        assert found.loc[reference.index, column].tolist() == reference[column].astype(int).tolist(), column
    assert found.loc[reference.index, "gap_hours"].tolist() == pytest.approx(reference["gap_hours"].tolist())


def reference_days_sql() -> str:
    """The table's rows as the first version computed them, with one window query over every reading: the
    reference the numpy walk (day_walk.day_parts) must equal, column for column."""
    return f"""
        WITH r AS (
            SELECT r.meter_id, r.start, r."end", r.value,
                   timezone('{TIMEZONE}', r.start)::DATE AS day,
                   epoch_ms(r.start) // 3600000 AS hour_no
            FROM readings r
        ), ordered AS (
            -- One sort: each reading next to the one before it in the same meter-day.
            SELECT *, lag("end") OVER day_order AS prev_end, row_number() OVER day_order AS rn,
                   1::BIGINT << CAST(hour_no - (epoch(day::TIMESTAMP)::BIGINT // 3600 - 2) AS INTEGER) AS hour_bit,
                   value IS DISTINCT FROM lag(value) OVER day_order OR row_number() OVER day_order = 1
                       AS run_start
            FROM r WINDOW day_order AS (PARTITION BY meter_id, day ORDER BY start)
        ), g AS (
            SELECT epoch_ms(start) // 3600000 AS hour_no, g_co2e_per_kwh, {rollup.GRID_RANK_SQL} AS rank
            FROM grid_co2
            WHERE price_area = '{PRICE_AREA}' AND g_co2e_per_kwh IS NOT NULL
        ), grid AS (
            SELECT hour_no, avg(g_co2e_per_kwh) AS g
            FROM (SELECT * FROM g QUALIFY rank = min(rank) OVER (PARTITION BY hour_no)) GROUP BY hour_no
        ), reading_grid AS (
            -- A reading longer than an hour: the average intensity of the hours it covers that have one.
            SELECT o.*, CASE WHEN epoch(o."end") - epoch(o.start) > 3600
                             THEN (SELECT avg(grid.g) FROM grid WHERE grid.hour_no >= o.hour_no
                                   AND grid.hour_no < ceil(epoch_ms(o."end") / 3600000))
                             ELSE (SELECT grid.g FROM grid WHERE grid.hour_no = o.hour_no) END AS g
            FROM ordered o
        ), days AS (
            SELECT o.meter_id, o.day, sum(o.value) AS value, count(*) AS readings,
                   min(o.start) AS first_start, max(o.start) AS last_start,
                   sum(o.value * o.g) AS grid_weighted,
                   sum(o.value) FILTER (WHERE o.g IS NULL) AS value_without_grid,
                   coalesce(bit_or(o.hour_bit) FILTER (WHERE o.value IS NOT NULL), 0) AS hours,
                   coalesce(bit_or(o.hour_bit) FILTER (WHERE o.value IS NOT NULL AND o.g IS NULL), 0)
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
            FROM reading_grid o
            GROUP BY o.meter_id, o.day
        )
        SELECT * EXCLUDE (starts),
               coalesce(list_sum([starts[i + 1] - starts[i] FOR i IN range(2, len(starts))
                                  IF starts[i + 1] - starts[i] >= {int(FLAT_RUN_ROWS)}]), 0) AS inner_flat
        FROM days
    """


def _assert_equals_reference(path) -> None:
    with db.connect(path) as con:
        stored = con.execute(f"SELECT {COLUMNS} FROM {rollup.TABLE} ORDER BY meter_id, day").df()
        reference = con.execute(f"SELECT {COLUMNS} FROM ({reference_days_sql()}) ORDER BY meter_id, day").df()
    assert len(stored) > 0
    pd.testing.assert_frame_equal(stored, reference, check_exact=False, rtol=1e-12, check_dtype=False)


def test_the_sample_days_equal_the_window_query(sample_db):
    _assert_equals_reference(sample_db)


@pytest.mark.parametrize("seed", [4, 5])
def test_awkward_days_equal_the_window_query(sample_db, seed):
    """Gaps, an overlap, runs across midnight, the October night, a NULL value at the start, end and middle
    of a day and a value equal to its neighbours' across a NULL, a day with one reading."""
    from heg_dash.store import sample

    frame = _awkward_readings(seed)
    with db.transaction(sample_db) as con:
        con.execute("DELETE FROM readings WHERE meter_id IN ('HOB-A-EL', 'HOB-A-FV', 'AAR-A-EL')")
        batch = db.new_batch(con, "readings", "sample", note="test")
        sample.insert_frame(con, "readings", frame, batch, refresh_rollup=False)
        # NULL values cannot come through an import, but the table must follow the SQL rules if they exist.
        con.execute("UPDATE readings SET value = NULL WHERE meter_id = 'HOB-A-FV' AND start IN (SELECT start FROM "
                    "readings WHERE meter_id = 'HOB-A-FV' ORDER BY start LIMIT 5 OFFSET 40)")
        con.execute("UPDATE readings SET value = NULL WHERE meter_id = 'AAR-A-EL' AND "
                    "timezone('Europe/Copenhagen', start)::TIME IN ('00:00', '23:00', '12:00')")
        con.execute("INSERT INTO readings VALUES ('HOB-A-VA', '2030-01-01 10:00+00', '2030-01-01 11:00+00', 2.5, "
                    "'measured', ?)", [batch])
        rollup.rebuild(con)
    _assert_equals_reference(sample_db)


def _rows(meter: str, first: str, periods: int, step: str, seed: int, skip: slice | None = None
          ) -> list[tuple[str, str, str, float]]:
    """Readings of ``meter`` from ``first`` (UTC), with runs of equal values across midnight and without the
    readings at the positions ``skip``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    stamps = pd.date_range(first, periods=periods, freq=step, tz="UTC")
    values = np.repeat(rng.integers(1, 5, periods), rng.integers(1, 40, periods))[:periods].astype(float)
    keep = np.ones(periods, bool)
    if skip is not None:
        keep[skip] = False
    return [(meter, s.isoformat(), (s + pd.Timedelta(step)).isoformat(), float(v))
            for s, v, k in zip(stamps, values, keep, strict=True) if k]


def test_days_of_new_periods_come_from_the_imported_rows_and_equal_the_window_query(sample_db, monkeypatch):
    """An import of periods new for their meters sums its days from its own rows (beside the insert), with
    the stored readings of each meter's first and last day, which it may share with them."""
    known_days: list[pd.DataFrame] = []
    computing, from_table = rollup.days_of_new_rows, []

    def spy(con, rows):
        future = computing(con, rows)
        known_days.append(future.result().to_pandas())
        return future

    monkeypatch.setattr(rollup, "days_of_new_rows", spy)
    monkeypatch.setattr(rollup, "_compute_spans", lambda con, real=rollup._compute_spans: from_table.append(1) or
                        real(con))
    # An intensity for some of the new hours: the walk looks it up per hour.
    load("grid_co2", _grid_csv([("2026-11-02T10:00:00+01:00", 150.0), ("2026-11-02T11:00:00+01:00", 0.0),
                                ("2026-11-03T23:00:00+01:00", 90.0)]))
    known_days.clear()
    from_table.clear()
    load("readings", readings_csv(
        # Begins at 17:00 on 31 October, a day whose morning the sample holds.
        _rows("HOB-F-PV", "2026-10-31T16:00", 80, "1h", 1)
        # Quarter-hours from the sample's end, without the whole of 3 November (local).
        + _rows("HOB-A-EL", "2026-10-31T23:00", 4 * 24 * 5, "15min", 2, slice(4 * 24 * 2, 4 * 24 * 3))
        # Ends at noon: the next import continues that day.
        + _rows("AAR-E-EL", "2021-06-30T22:00", 60, "1h", 3)
        # Before the sample's first reading, up to it.
        + _rows("HOB-B-EL", "2018-12-28T23:00", 72, "1h", 4)
        # One day only.
        + _rows("HOB-C-EL", "2026-11-05T09:00", 4, "1h", 5)))
    [first] = known_days
    assert from_table == []
    pv = first[first["meter_id"] == "HOB-F-PV"].set_index("day")
    assert pv.index.min() == dt.date(2026, 10, 31) and pv.index.max() == dt.date(2026, 11, 4)
    assert pv.loc[dt.date(2026, 10, 31), "readings"] > 7  # the file's 7 hours and the sample's before them
    assert dt.date(2026, 11, 3) not in set(first[first["meter_id"] == "HOB-A-EL"]["day"])
    _assert_equals_reference(sample_db)
    load("readings", readings_csv(_rows("AAR-E-EL", "2021-07-03T12:00", 50, "1h", 6)))  # after a 2-hour gap
    assert len(known_days) == 2 and from_table == []
    _assert_equals_reference(sample_db)
    # Over stored readings: the days are computed from the table.
    replaced = load("readings", readings_csv(_rows("HOB-A-EL", "2026-11-01T23:00", 30, "1h", 7)))
    assert replaced.replaced > 0 and len(known_days) == 2 and from_table == [1]
    _assert_equals_reference(sample_db)
    assert_fresh(sample_db)
