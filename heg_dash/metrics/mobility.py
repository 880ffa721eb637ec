"""Mobility metrics: Erasmus+ distance bands, activity types, durations, counts and the green-travel share.

Every function is pure. ``exchanges`` frames have the columns of the ``exchanges`` dataset; the ones used
here are direction (``out``/``in``), participant (``student``/``staff``), start_date, participants and
green_travel.

- ``DISTANCE_BANDS``: the band keys in order, "0-9" … "8000+"
- ``erasmus_distance_band(km) -> str | None``, ``erasmus_distance_bands(km: Series) -> Series``
- ``duration_days(start, end) -> int`` (both days included)
- ``derive_activity(participant, start_date, end_date, activity=None) -> str``
- ``green_travel_share(exchanges) -> float | None``
- ``mobility_counts(exchanges, year) -> {"outbound_students", "outbound_staff", "inbound"}``
"""

from __future__ import annotations

import math
from bisect import bisect_right
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

# Erasmus+ distance bands of one-way km: each key with the lowest whole km it starts at.
_BAND_STARTS = (0, 10, 100, 500, 2000, 3000, 4000, 8000)
DISTANCE_BANDS = ("0-9", "10-99", "100-499", "500-1999", "2000-2999", "3000-3999", "4000-7999", "8000+")

# Erasmus+ VET durations in days, travel days excluded: ErasmusPro 90–365; staff job shadowing 2–60;
# staff teaching/training assignments up to 365.
ERASMUS_PRO_MIN_DAYS = 90
STAFF_MIN_DAYS = 2
JOB_SHADOWING_MAX_DAYS = 60
STAFF_MAX_DAYS = 365


def _is_missing(value: Any) -> bool:
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def erasmus_distance_band(km: float | None) -> str | None:
    """The Erasmus+ distance band of a one-way distance: "0-9", "10-99", "100-499", "500-1999",
    "2000-2999", "3000-3999", "4000-7999" or "8000+".

    The km are first rounded down to whole km, as the Erasmus+ distance calculator does. So 9.99 km
    is "0-9" and 499.9 km is "100-499". None for a missing distance. ValueError for a negative one.
    """
    if _is_missing(km):
        return None
    if km < 0:
        raise ValueError(f"distance cannot be negative, got {km}")
    return DISTANCE_BANDS[bisect_right(_BAND_STARTS, math.floor(km)) - 1]


def erasmus_distance_bands(km: pd.Series) -> pd.Series:
    """``erasmus_distance_band`` for every value of a Series (same index; missing where km is missing)."""
    return km.map(erasmus_distance_band).rename("distance_band")


def duration_days(start: date | pd.Timestamp | str, end: date | pd.Timestamp | str) -> int:
    """Length of a stay in days, with both the start day and the end day included.

    For example, 3–7 March is 5 days. ValueError when end is before start.
    """
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if last < first:
        raise ValueError(f"end {last} is before start {first}")
    return (last - first).days + 1


def derive_activity(
    participant: str,
    start_date: date | pd.Timestamp | str,
    end_date: date | pd.Timestamp | str,
    activity: str | None = None,
) -> str:
    """The exchange's activity. A stored ``activity`` is returned as it is. When it is missing, it is
    derived from the participant and the stay's length (``duration_days``, both days included), by
    Erasmus+ VET rules.

    Students:
    - 90 days or more → ``erasmus_pro``, long-term VET mobility (ErasmusPro is 90–365 days). Longer
      stays, such as long PIU placements, are given the long-stay key too.
    - under 90 days → ``short_term`` (short-term learner mobility is 10–89 days). Shorter stays also
      land here, because dates alone cannot tell a competition or group visit from one.
    Staff:
    - 2–60 days → ``job_shadowing``, the most common staff activity. Teaching and courses of the
      same length need the activity stored.
    - 61–365 days → ``teaching``, since only teaching/training assignments run that long.
    - under 2 days or over 365 days → ``other``.
    ValueError for an unknown participant, or an end before the start.
    """
    if not _is_missing(activity) and str(activity).strip():
        return str(activity)
    days = duration_days(start_date, end_date)
    if participant == "student":
        return "erasmus_pro" if days >= ERASMUS_PRO_MIN_DAYS else "short_term"
    if participant == "staff":
        if days < STAFF_MIN_DAYS or days > STAFF_MAX_DAYS:
            return "other"
        return "job_shadowing" if days <= JOB_SHADOWING_MAX_DAYS else "teaching"
    raise ValueError(f"unknown participant {participant!r}; known: student, staff")


def _outbound(exchanges: pd.DataFrame) -> pd.DataFrame:
    return exchanges[exchanges["direction"].astype("str") == "out"]


def green_travel_share(exchanges: pd.DataFrame) -> float | None:
    """Green-travel share, from 0 to 1: outbound participants who travelled green ÷ all outbound participants.

    The share counts participants, not exchanges. A missing ``green_travel`` counts as not green,
    because it was not shown to be green. None when there are no outbound participants. The caller
    selects the year and campus.
    """
    outbound = _outbound(exchanges)
    participants = pd.to_numeric(outbound["participants"], errors="coerce").fillna(0)
    total = float(participants.sum())
    if total <= 0:
        return None
    green = outbound["green_travel"].astype("boolean").fillna(False).astype(bool)
    return float(participants[green].sum()) / total


def mobility_counts(exchanges: pd.DataFrame, year: int) -> dict[str, int]:
    """Participants per kind of mobility, counting exchanges whose ``start_date`` falls in ``year``.

    - ``outbound_students``: direction out, participant student.
    - ``outbound_staff``: direction out, participant staff.
    - ``inbound``: direction in, students and staff together.
    The values are participant counts, not exchange counts, and they are integers. A kind with no
    exchanges is 0. Whether "nothing stored" should show as null is the caller's decision.
    """
    in_year = exchanges[pd.to_datetime(exchanges["start_date"]).dt.year == year]
    direction = in_year["direction"].astype("str")
    participant = in_year["participant"].astype("str")
    participants = pd.to_numeric(in_year["participants"], errors="coerce").fillna(0)
    return {
        "outbound_students": int(participants[(direction == "out") & (participant == "student")].sum()),
        "outbound_staff": int(participants[(direction == "out") & (participant == "staff")].sum()),
        "inbound": int(participants[direction == "in"].sum()),
    }
