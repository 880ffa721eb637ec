"""Reads behind the Data page: what is stored per dataset, the import history, per-meter quality."""

from __future__ import annotations

import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.datasets import DATASETS
from heg_dash.metrics import quality
from heg_dash.queries.cache import cached
from heg_dash.queries.overview import _FRESHNESS
from heg_dash.store import db


@cached
def dataset_overview() -> pd.DataFrame:
    """One row per dataset: rows stored, newest data date (dated datasets), last change, sample or not."""
    with db.connect() as con:
        sample = db._sample_datasets(con)
        changed = dict(con.execute(
            "SELECT dataset, max(created_at) FROM import_batches WHERE undone_at IS NULL GROUP BY dataset"
        ).fetchall())
        rows = []
        for name, ds in DATASETS.items():
            count = con.execute(f"SELECT count(*) FROM {db.q(name)}").fetchone()[0]
            newest = con.execute(f"SELECT {_FRESHNESS[name]} FROM {db.q(name)}").fetchone()[0] \
                if name in _FRESHNESS else None
            rows.append({"dataset": name, "rows": int(count), "newest": newest, "changed": changed.get(name),
                         "sample": name in sample, "editable": ds.editable})
    return pd.DataFrame(rows)


@cached
def batch_list(limit: int = 200) -> pd.DataFrame:
    """The import history, newest first (local times)."""
    return db.read_df(
        f"SELECT batch_id, dataset, kind, file_name, user_name, timezone('{TIMEZONE}', created_at) AS created, "
        f"rows_added, rows_replaced, rows_removed, timezone('{TIMEZONE}', undone_at) AS undone, note "
        "FROM import_batches "
        "ORDER BY batch_id DESC LIMIT ?", [limit])


def _scope(campus: str | None) -> tuple[str, list]:
    if not campus:
        return "", []
    return (" WHERE m.building_id IN (SELECT building_id FROM buildings WHERE campus_id = ?)", [campus])


@cached
def meter_quality(campus: str | None = None) -> pd.DataFrame:
    """Per meter: rows, first start and last end (local), coverage, gaps, overlaps, flat-line rows, outliers,
    and the issues found (metrics.quality has the rules)."""
    where, params = _scope(campus)
    n = int(quality.FLAT_RUN_ROWS)
    # Gaps, overlaps and flat runs from the per-day parts (heg_dash.rollup), joined across midnight here:
    # a day's first reading follows the previous day's last one; a run continues into the next day when
    # that day's first value equals the previous day's last value.
    stats = db.read_df(f"""
        WITH d AS (
            SELECT *, lag(end_of_last) OVER w AS prev_end, lag(last_value) OVER w AS prev_value,
                   lag(day) OVER w AS prev_day
            FROM readings_daily WINDOW w AS (PARTITION BY meter_id ORDER BY day)
        ), segments AS (
            SELECT meter_id, day, 0 AS part, head_run AS len,
                   prev_day IS NOT NULL AND first_value IS NOT DISTINCT FROM prev_value AS continues
            FROM d
            UNION ALL
            SELECT meter_id, day, 1 AS part, tail_run AS len, false AS continues FROM d WHERE head_run < readings
        ), chains AS (
            SELECT meter_id, sum(len) AS len FROM (
                SELECT meter_id, len, sum(CASE WHEN continues THEN 0 ELSE 1 END)
                           OVER (PARTITION BY meter_id ORDER BY day, part ROWS UNBOUNDED PRECEDING) AS chain
                FROM segments)
            GROUP BY meter_id, chain
        ), flat AS (
            SELECT meter_id, sum(len) AS flat_rows FROM chains WHERE len >= {n} GROUP BY meter_id
        ), agg AS (
            SELECT meter_id, sum(readings)::BIGINT AS n_rows, min(first_start) AS first_start,
                   max(last_end) AS last_end, max(last_start) AS last_start, sum(covered_s) / 3600 AS covered_h,
                   (epoch(max(last_end)) - epoch(min(first_start))) / 3600 AS span_h,
                   sum(inner_gaps) + count(*) FILTER (WHERE first_start > prev_end) AS gaps,
                   (sum(inner_gap_s) + coalesce(sum(epoch(first_start) - epoch(prev_end))
                                                FILTER (WHERE first_start > prev_end), 0)) / 3600 AS gap_h,
                   sum(inner_overlaps) + count(*) FILTER (WHERE first_start < prev_end) AS overlaps,
                   sum(inner_flat) AS inner_flat
            FROM d GROUP BY meter_id
        ), quartiles AS (
            SELECT meter_id, quantile_cont(value, [0.25, 0.75]) AS q FROM readings GROUP BY meter_id
        )
        SELECT m.meter_id, m.utility, m.unit, m.building_id, a.n_rows, a.first_start, a.last_start, a.last_end,
               a.covered_h, a.span_h, coalesce(a.gaps, 0)::BIGINT AS gaps, coalesce(a.gap_h, 0) AS gap_h,
               coalesce(a.overlaps, 0)::BIGINT AS overlaps,
               (coalesce(f.flat_rows, 0) + coalesce(a.inner_flat, 0))::BIGINT AS flat_rows,
               q.q[1] AS q1, q.q[2] AS q3
        FROM meters m LEFT JOIN agg a USING (meter_id) LEFT JOIN flat f USING (meter_id)
             LEFT JOIN quartiles q USING (meter_id){where}
        ORDER BY m.meter_id""", params)
    stats["high"] = [quality.outlier_threshold(q1, q3) for q1, q3 in zip(stats["q1"], stats["q3"], strict=True)]
    with db.connect() as con:
        con.register("fences", stats[["meter_id", "high"]])
        outliers = dict(con.execute(
            "SELECT r.meter_id, count(*) FROM readings r JOIN fences f USING (meter_id) "
            "WHERE r.value > f.high GROUP BY r.meter_id").fetchall())
        con.unregister("fences")
    stats["outliers"] = stats["meter_id"].map(outliers).fillna(0).astype(int)
    newest = stats["last_end"].max()
    out = []
    for row in stats.itertuples(index=False):
        cov = quality.coverage(row.covered_h, row.span_h) if pd.notna(row.n_rows) else None
        behind = (newest - row.last_end).total_seconds() / 86400 if pd.notna(row.last_end) else None
        found = quality.issues(coverage_share=cov, gaps=int(row.gaps), overlaps=int(row.overlaps),
                               flat_rows=int(row.flat_rows), outliers=int(row.outliers), days_behind=behind)
        out.append({
            "meter_id": row.meter_id, "utility": row.utility, "unit": row.unit, "building_id": row.building_id,
            "rows": int(row.n_rows) if pd.notna(row.n_rows) else 0,
            "first": row.first_start.tz_convert(TIMEZONE) if pd.notna(row.first_start) else None,
            "last": row.last_start.tz_convert(TIMEZONE) if pd.notna(row.last_start) else None,
            "coverage": cov, "gaps": int(row.gaps), "gap_hours": float(row.gap_h),
            "overlaps": int(row.overlaps), "flat_rows": int(row.flat_rows), "outliers": int(row.outliers),
            "issues": tuple(found) if pd.notna(row.n_rows) else ("no_readings",),
        })
    return pd.DataFrame(out)
