"""Chart resolutions: how many points a period gives, and the coarser step that keeps a chart small."""

from __future__ import annotations

import datetime as dt

RESOLUTIONS = ("hour", "day", "week", "month", "year")


def periods_between(first_day: dt.date, last_day: dt.date, res: str) -> int:
    """The number of ``res`` buckets that the local days ``first_day``..``last_day`` (inclusive) touch.

    Hours count 24 a day (a DST day's ±1 hour does not matter for sizing). Weeks are ISO weeks
    (Monday first), months and years calendar ones. 0 when the period is empty.
    """
    if last_day < first_day:
        return 0
    days = (last_day - first_day).days + 1
    if res == "hour":
        return days * 24
    if res == "day":
        return days
    if res == "week":
        monday = first_day - dt.timedelta(days=first_day.weekday())
        return ((last_day - monday).days // 7) + 1
    if res == "month":
        return (last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1
    if res == "year":
        return last_day.year - first_day.year + 1
    raise ValueError(f"unknown resolution {res!r} (known: {', '.join(RESOLUTIONS)})")


def coarsen_resolution(first_day: dt.date, last_day: dt.date, res: str, series: int = 1,
                       max_points: int = 5000) -> str:
    """The finest resolution, from ``res`` towards ``year``, whose points (buckets × series) fit in
    ``max_points``; ``year`` when nothing fits. A chart never sends more than that to the browser."""
    start = RESOLUTIONS.index(res)
    for candidate in RESOLUTIONS[start:]:
        if periods_between(first_day, last_day, candidate) * max(series, 1) <= max_points:
            return candidate
    return "year"


# Quick ranges of the Energi page, as Grafana has them; "now" is the newest day with data, not today.
QUICK_RANGES = ("this_week", "last_week", "days_30", "ytd", "year", "custom")
RANGE_RESOLUTION = {"this_week": "hour", "last_week": "hour", "days_30": "day", "ytd": "week", "year": "month"}


def quick_ranges(last_day: dt.date, year: int, first_day: dt.date | None = None) -> dict[str, tuple[dt.date, dt.date]]:
    """The local days (first, last inclusive) of each quick range, from the newest day with data ``last_day``:

    - ``this_week``: Monday of that day's week up to it (a week to date);
    - ``last_week``: the newest complete week, Monday to Sunday (that day's week when it is a Sunday);
    - ``days_30``: the 30 days ending with it; ``ytd``: 1 January of its year up to it;
    - ``year``: the calendar year ``year``, ending with ``last_day`` when that falls inside it.

    Every range starts no earlier than ``first_day`` (the oldest data) when given.
    """
    monday = last_day - dt.timedelta(days=last_day.weekday())
    sunday = last_day if last_day.weekday() == 6 else monday - dt.timedelta(days=1)
    ranges = {
        "this_week": (monday, last_day),
        "last_week": (sunday - dt.timedelta(days=6), sunday),
        "days_30": (last_day - dt.timedelta(days=29), last_day),
        "ytd": (dt.date(last_day.year, 1, 1), last_day),
        "year": (dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(last_day, dt.date(year, 1, 1)))),
    }
    if first_day is not None:
        ranges = {k: (max(a, first_day), max(b, first_day)) for k, (a, b) in ranges.items()}
    return ranges


def range_key(first: dt.date, last: dt.date, ranges: dict[str, tuple[dt.date, dt.date]]) -> str:
    """The quick range that is exactly (first, last), or ``custom``."""
    return next((key for key, span in ranges.items() if span == (first, last)), "custom")


def newest_complete_year(last_day: dt.date) -> int:
    """The newest complete year of data ending on ``last_day``: its year when it is 31 December, else the year
    before (the year every page opens on; the Energi page opens that year on its newest complete week)."""
    return last_day.year if (last_day.month, last_day.day) == (12, 31) else last_day.year - 1
