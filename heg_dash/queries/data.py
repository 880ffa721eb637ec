"""Reads behind the Data page: what is stored per dataset, the import history, per-meter quality."""

from __future__ import annotations

import pandas as pd

from heg_dash import db
from heg_dash.config import TIMEZONE
from heg_dash.datasets import DATASETS
from heg_dash.metrics import quality
from heg_dash.queries.cache import cached
from heg_dash.queries.overview import _FRESHNESS


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
        f"rows_added, rows_replaced, timezone('{TIMEZONE}', undone_at) AS undone, note FROM import_batches "
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
    stats = db.read_df(f"""
        WITH r AS (
            SELECT meter_id, start, "end", value,
                   lag("end") OVER w AS prev_end,
                   CASE WHEN value IS NOT DISTINCT FROM lag(value) OVER w THEN 0 ELSE 1 END AS new_run
            FROM readings WINDOW w AS (PARTITION BY meter_id ORDER BY start)
        ), runs AS (
            SELECT meter_id, sum(new_run) OVER (PARTITION BY meter_id ORDER BY start
                                                ROWS UNBOUNDED PRECEDING) AS run_id FROM r
        ), flat AS (
            SELECT meter_id, sum(n) AS flat_rows FROM (
                SELECT meter_id, run_id, count(*) AS n FROM runs GROUP BY meter_id, run_id)
            WHERE n >= {int(quality.FLAT_RUN_ROWS)} GROUP BY meter_id
        ), agg AS (
            SELECT meter_id, count(*) AS n_rows, min(start) AS first_start, max("end") AS last_end,
                   max(start) AS last_start,
                   sum(epoch("end") - epoch(start)) / 3600 AS covered_h,
                   (epoch(max("end")) - epoch(min(start))) / 3600 AS span_h,
                   count(*) FILTER (WHERE start > prev_end) AS gaps,
                   coalesce(sum(epoch(start) - epoch(prev_end)) FILTER (WHERE start > prev_end), 0) / 3600
                       AS gap_h,
                   count(*) FILTER (WHERE start < prev_end) AS overlaps,
                   quantile_cont(value, 0.25) AS q1, quantile_cont(value, 0.75) AS q3
            FROM r GROUP BY meter_id
        )
        SELECT m.meter_id, m.utility, m.unit, m.building_id, a.n_rows, a.first_start, a.last_start, a.last_end,
               a.covered_h, a.span_h, coalesce(a.gaps, 0) AS gaps, coalesce(a.gap_h, 0) AS gap_h,
               coalesce(a.overlaps, 0) AS overlaps, coalesce(f.flat_rows, 0) AS flat_rows, a.q1, a.q3
        FROM meters m LEFT JOIN agg a USING (meter_id) LEFT JOIN flat f USING (meter_id){where}
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
