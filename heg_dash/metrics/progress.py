"""Progress towards targets: the one status function every page, KPI and report uses.

The Open SDG progress method: the observed yearly growth since the baseline compared with the yearly
growth needed to reach the target on time. Goals are rolled up from their indicators by the SDSN rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

STATUSES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration", "no_data")
STATUS_RANK = {"achieved": 5, "on_track": 4, "acceleration_needed": 3, "limited_progress": 2, "deterioration": 1}
TRENDS = ("improving", "stable", "worsening", "no_data")
STABLE_CHANGE = 0.01  # a change under 1 % is "stable"


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def target_for_year(target_value: float, target_year: int, year: int, annual_rate: float | None = None) -> float:
    """The value a target asks for in ``year``.

    With an annual rate the path runs back from the target: value / (1 + rate)^(target_year − year),
    so 1,800 in 2028 at 5 %/yr asks for 1,410.35 in 2023; from the target year on it is the target itself.
    Without a rate the target value applies in every year.
    """
    if annual_rate is None or _missing(annual_rate) or year >= target_year:
        return float(target_value)
    return float(target_value) / (1 + float(annual_rate)) ** (target_year - year)


def meets_target(value: float, target_value: float, direction: str) -> bool:
    return value >= target_value if direction == "higher" else value <= target_value


def _yearly_growth(start: float, end: float, years: float, compound: bool) -> float:
    if compound:
        return (end / start) ** (1 / years) - 1
    return (end - start) / years


def progress_status(
    value: float | None, year: int, baseline_value: float | None, baseline_year: int | None,
    target_value: float | None, target_year: int | None, direction: str,
) -> str:
    """Status of a measure in ``year`` against its final target.

    - ``no_data`` without a value, target or baseline;
    - ``achieved`` when the value meets the final target (checked first, so a met target is never hidden);
    - ``no_data`` when ``year`` ≤ the baseline year (no growth to observe yet);
    - otherwise R = observed yearly growth since the baseline ÷ yearly growth needed from the baseline to
      reach the target in the target year. Growth is compound when the baseline and value are positive,
      linear otherwise. R ≥ 0.95 ``on_track``, ≥ 0.60 ``acceleration_needed``, ≥ 0 ``limited_progress``,
      else ``deterioration``. The ratio is direction-aware by construction: for a "lower" target both
      growths are negative when things go the right way.
    """
    if any(_missing(x) for x in (value, baseline_value, target_value)) or baseline_year is None or target_year is None:
        return "no_data"
    if meets_target(value, target_value, direction):
        return "achieved"
    if year <= baseline_year:
        return "no_data"
    compound = baseline_value > 0 and value > 0 and target_value > 0
    observed = _yearly_growth(baseline_value, value, year - baseline_year, compound)
    needed = _yearly_growth(baseline_value, target_value, max(target_year - baseline_year, 1), compound)
    if needed == 0:  # the target equals the baseline and is not met: the value moved the wrong way
        return "deterioration"
    ratio = observed / needed
    if ratio >= 0.95:
        return "on_track"
    if ratio >= 0.60:
        return "acceleration_needed"
    if ratio >= 0:
        return "limited_progress"
    return "deterioration"


def trend(previous: float | None, latest: float | None, direction: str) -> str:
    """From the last two values: ``stable`` when the change is under 1 %, else improving or worsening.

    The change is relative to the previous value; from a previous value of 0 any change counts.
    """
    if _missing(previous) or _missing(latest):
        return "no_data"
    change = latest - previous
    relative = abs(change) / abs(previous) if previous != 0 else (math.inf if change else 0.0)
    if relative < STABLE_CHANGE:
        return "stable"
    better = change > 0 if direction == "higher" else change < 0
    return "improving" if better else "worsening"


def goal_status(statuses: Iterable[str]) -> str:
    """A goal's status from its indicators (the SDSN rule).

    Indicators with ``no_data`` are left out; one indicator stands alone; otherwise the two lowest ranks
    (achieved 5 … deterioration 1) are averaged and rounded down.
    """
    ranks = sorted(STATUS_RANK[s] for s in statuses if s in STATUS_RANK)
    if not ranks:
        return "no_data"
    rank = ranks[0] if len(ranks) == 1 else math.floor((ranks[0] + ranks[1]) / 2)
    return next(s for s, r in STATUS_RANK.items() if r == rank)


def goal_trend(trends: Iterable[str]) -> str:
    """The sign of the sum over the indicators' trends (improving +1, stable 0, worsening −1)."""
    score = {"improving": 1, "stable": 0, "worsening": -1}
    known = [score[t] for t in trends if t in score]
    if not known:
        return "no_data"
    total = sum(known)
    return "improving" if total > 0 else "worsening" if total < 0 else "stable"
