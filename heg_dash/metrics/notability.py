"""How notable a figure is: a change against the series' own usual variation, the gap to a target path, a
record, a spell of anomalous days. Pure functions over small inputs ({year: value} histories, lists of days);
``heg_dash.kpis.headlines`` applies them to the KPI contract and turns the notable ones into sentences.

All of them score on one scale, in multiples of the usual variation (read it like a z-score); a figure is news
from ``NOTABLE`` = 2 on, so a change inside about two usual variations makes no headline.

- **Change** (``yearly_change``): c_Y = x_Y ÷ x_{Y−1} − 1 (``relative``, for amounts) or x_Y − x_{Y−1}
  (``level``, for ratios, shares and counts). Its usual variation comes from the series' own history: the
  mean μ and the standard deviation σ (n − 1) of the same change in the earlier years, at least
  ``MIN_PREVIOUS`` of them, σ never below ``floor`` (so a flat history does not make every wobble news).
  score = |c_Y − μ| ÷ σ: a steady trend is not news, a break in it is. Only consecutive years count.
- **Gap to a target path** (``gap_score``): |x_Y − path_Y| ÷ σ_Δ, where σ_Δ is the standard deviation of the
  series' earlier yearly differences x_y − x_{y−1} (at least ``MIN_PREVIOUS``): how many usual years of
  movement the value lies from where the path asks it to be.
- **Record** (``record``): the highest or lowest value of at least ``MIN_RECORD_YEARS`` years. It is not
  news when the year before set a record the same way (that is a trend, which the change rule judges).
- **Spell** (``spells``, ``spell_score``): the flagged days of one building and utility, each within
  ``SPELL_GAP_DAYS`` of the one before (so the weekends of a month form one spell); a spell lasts from
  ``MIN_SPELL_DAYS`` flagged days. Each flagged day is beyond the anomaly limit on its own; evidence from n
  such days grows with √n (as the z-score of n independent days does), so score = NOTABLE × √(n ÷ 3): three
  days score exactly the threshold, 12 days twice it.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from heg_dash.metrics.energy import day_index, hourly_local, local_day, utc_times
from heg_dash.metrics.profiles import night_weekend_share

NOTABLE = 2.0
MIN_PREVIOUS = 3  # earlier changes needed to know the usual variation
MIN_RECORD_YEARS = 5
SPELL_GAP_DAYS = 7
MIN_SPELL_DAYS = 3


@dataclass(frozen=True)
class Change:
    """This year's change and how it compares with the earlier ones."""

    previous: float  # x_{Y−1}
    value: float  # x_Y
    change: float  # relative (0.05 = 5 %) or level (in the series' unit)
    usual_mean: float
    usual_spread: float  # σ of the earlier changes (at least the floor)
    score: float


def _usable(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _changes(history: Mapping[int, float | None], relative: bool) -> dict[int, float]:
    """{year: change against the year before} for every year whose year before has a value too."""
    out = {}
    for year, value in history.items():
        previous = history.get(year - 1)
        if not (_usable(value) and _usable(previous)):
            continue
        if relative:
            if previous == 0:
                continue
            out[year] = value / previous - 1
        else:
            out[year] = value - previous
    return out


def yearly_change(history: Mapping[int, float | None], year: int, relative: bool = True, floor: float = 0.01,
                  min_previous: int = MIN_PREVIOUS) -> Change | None:
    """This year's change measured against the series' earlier changes (see the module docstring).

    None when ``year`` or the year before has no value, when a relative change would divide by 0, or when
    fewer than ``min_previous`` earlier changes are known. Years after ``year`` are ignored.
    """
    known = {y: v for y, v in history.items() if y <= year}
    changes = _changes(known, relative)
    if year not in changes:
        return None
    earlier = [c for y, c in sorted(changes.items()) if y < year]
    if len(earlier) < min_previous:
        return None
    mean = statistics.fmean(earlier)
    spread = max(statistics.stdev(earlier), floor)
    current = changes[year]
    return Change(float(known[year - 1]), float(known[year]), current, mean, spread, abs(current - mean) / spread)


def gap_score(history: Mapping[int, float | None], year: int, path_value: float, floor: float = 0.0,
              min_previous: int = MIN_PREVIOUS) -> float | None:
    """|x_Y − path_Y| in usual years of movement (σ of the earlier yearly differences, at least ``floor``).

    None without a value in ``year``, with fewer than ``min_previous`` earlier differences, or when they
    never varied and no floor is given.
    """
    known = {y: v for y, v in history.items() if y <= year}
    value = known.get(year)
    if not _usable(value):
        return None
    earlier = [d for y, d in sorted(_changes(known, relative=False).items()) if y < year]
    if len(earlier) < min_previous:
        return None
    spread = max(statistics.stdev(earlier), floor)
    if spread <= 0:
        return None
    return abs(value - path_value) / spread


def record(history: Mapping[int, float | None], year: int, min_years: int = MIN_RECORD_YEARS) -> str | None:
    """"high" or "low" when ``year``'s value beats every earlier one (strictly) over at least ``min_years``
    years with values, and the year before did not set the same kind of record; else None."""
    known = {y: v for y, v in history.items() if y <= year and _usable(v)}
    if year not in known or len(known) < min_years:
        return None

    def kind(y: int) -> str | None:
        earlier = [v for x, v in known.items() if x < y]
        if not earlier:
            return None
        if known[y] > max(earlier):
            return "high"
        if known[y] < min(earlier):
            return "low"
        return None

    found = kind(year)
    if found is None or (year - 1 in known and kind(year - 1) == found):
        return None
    return found


@dataclass(frozen=True)
class Spell:
    first: dt.date
    last: dt.date
    days: int  # flagged days in it


def spells(days: Iterable[dt.date], max_gap_days: int = SPELL_GAP_DAYS,
           min_days: int = MIN_SPELL_DAYS) -> list[Spell]:
    """Flagged days grouped into spells (each day at most ``max_gap_days`` after the one before), keeping
    those of at least ``min_days`` days, in date order."""
    ordered = sorted(set(days))
    groups: list[list[dt.date]] = []
    for day in ordered:
        if groups and (day - groups[-1][-1]).days <= max_gap_days:
            groups[-1].append(day)
        else:
            groups.append([day])
    return [Spell(g[0], g[-1], len(g)) for g in groups if len(g) >= min_days]


def spell_score(days: int) -> float:
    """NOTABLE × √(days ÷ MIN_SPELL_DAYS): 3 days score 2.0, 12 days 4.0 (0 below MIN_SPELL_DAYS)."""
    if days < MIN_SPELL_DAYS:
        return 0.0
    return NOTABLE * math.sqrt(days / MIN_SPELL_DAYS)


def excess_share(use: float, expected: float, part_use: float, part_expected: float) -> float | None:
    """The share of the excess use (use − expected) that falls in a part (the night, the weekends):
    (part_use − part_expected) ÷ (use − expected); None when there is no excess."""
    excess = use - expected
    if excess <= 0:
        return None
    return (part_use - part_expected) / excess


def iso_weeks(first: dt.date, last: dt.date) -> tuple[int, int]:
    """The ISO week numbers of the first and last day of a period (as Danish calendars number them)."""
    return first.isocalendar().week, last.isocalendar().week


def night_use(hourly: pd.DataFrame, days: Iterable[dt.date], value: str = "kwh") -> tuple[float, float]:
    """(use on ``days``, the part of it at night) from UTC-stamped hourly rows, in Danish local time.

    Night is the local hours starting 22:00–05:00, as in ``metrics.profiles.night_weekend_share``; an hour
    belongs to the local day it starts in.
    """
    frame = hourly_local(hourly, value)
    if frame.empty:
        return 0.0, 0.0
    local_days = frame["hour"].dt.tz_localize(None).dt.normalize()
    chosen = frame[local_days.isin(pd.to_datetime(sorted(set(days))))]
    hour = chosen["hour"].dt.hour
    return float(chosen[value].sum()), float(chosen.loc[(hour >= 22) | (hour < 6), value].sum())


def night_share(hourly: pd.DataFrame, skip_days: Iterable[dt.date] = (), value: str = "kwh") -> float | None:
    """The share of use at night (``metrics.profiles``' night, 22–06 local) on the days not in ``skip_days``;
    None without use."""
    if hourly.empty:
        return None
    days = local_day(utc_times(hourly["start"])).reset_index(drop=True)
    kept = hourly.reset_index(drop=True)[~days.isin(day_index(skip_days))]
    return night_weekend_share(kept, value)["night"] if not kept.empty else None
