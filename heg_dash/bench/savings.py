"""The measured savings section (``kpis.savings``, issue 23) timed at the bench's scale: the work a page run does
when the data version has changed (every query and every fit, nothing from the cache), in a process whose
modules are loaded (as a running server's are). Reported as the row ``baeredygtighed:savings``: cold is the first
computation in the process, warm the median of three more, floor the bare time of the queries it sent."""

from __future__ import annotations

import statistics
import time

from heg_dash.bench.pages import PageTiming, floor_s, query_log
from heg_dash.store import db

ROW = "baeredygtighed:savings"
WARM_RUNS = 3


def _compute() -> int:
    from heg_dash.kpis import savings as ks

    with db.session():
        return len(ks.measured.uncached(None))


def time_savings() -> PageTiming:
    """Cold, warm and floor of the whole section, computed without the query cache."""
    started = time.perf_counter()
    with query_log() as log:
        _compute()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        _compute()
        warm.append(time.perf_counter() - started)
    return PageTiming(ROW, cold, statistics.median(warm), floor_s(log), 0, len(log))
