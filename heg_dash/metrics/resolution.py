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
