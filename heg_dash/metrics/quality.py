"""Data quality of a meter's readings: pure rules on per-meter statistics the store aggregates.

- coverage = hours covered by readings ÷ hours from the first start to the last end (1 = no gaps).
- outliers: values above the upper Tukey fence q3 + k·IQR with k = 3 ("far out"), per meter — spikes, the
  typical misread or rollover; low values (nights, holidays, July) are usually real and not counted.
- flat line: a run of at least FLAT_RUN_ROWS consecutive readings with exactly the same value (a stuck
  meter or a copied estimate); its rows are counted.
- stale: the last reading ends more than STALE_DAYS before the newest reading of any meter (compared with
  the data, not today's date, so sample data and late imports are judged fairly).
"""

from __future__ import annotations

import math

OUTLIER_IQR_K = 3.0
FLAT_RUN_ROWS = 24
STALE_DAYS = 14
MIN_COVERAGE = 0.98

ISSUES = ("gaps", "overlaps", "flat", "outliers", "stale")


def coverage(covered_hours: float | None, span_hours: float | None) -> float | None:
    """Share of the span that readings cover (None without a span)."""
    if covered_hours is None or span_hours is None or span_hours <= 0 or math.isnan(span_hours):
        return None
    return min(1.0, covered_hours / span_hours)


def outlier_threshold(q1: float | None, q3: float | None, k: float = OUTLIER_IQR_K) -> float | None:
    """Tukey's upper fence q3 + k·IQR; None when the quartiles are missing."""
    if q1 is None or q3 is None or math.isnan(q1) or math.isnan(q3):
        return None
    return q3 + k * (q3 - q1)


def issues(*, coverage_share: float | None, gaps: int, overlaps: int, flat_rows: int, outliers: int,
           days_behind: float | None) -> list[str]:
    """The meter's quality issues, in ISSUES order; [] means the readings look sound."""
    found = []
    if gaps and (coverage_share is None or coverage_share < MIN_COVERAGE):
        found.append("gaps")
    if overlaps:
        found.append("overlaps")
    if flat_rows:
        found.append("flat")
    if outliers:
        found.append("outliers")
    if days_behind is not None and days_behind > STALE_DAYS:
        found.append("stale")
    return found
