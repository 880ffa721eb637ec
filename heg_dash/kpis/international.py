"""The ``mobilities`` KPI section and the Internationalt scorecard tiles (green-travel and stay-abroad shares).

Mobilities count participants, in the year their ``start_date`` falls in; ``--campus`` follows each
exchange's own campus_id.
"""

from __future__ import annotations

import pandas as pd

from heg_dash.kpis import common
from heg_dash.kpis.common import Tile
from heg_dash.metrics.mobility import green_travel_share, mobility_counts
from heg_dash.metrics.progress import progress_status, trend
from heg_dash.queries import international
from heg_dash.queries.cache import cached
from heg_dash.queries.travel import trips

MOBILITY_KEYS = ("outbound_students", "outbound_staff", "inbound", "green_travel_share")


def mobilities_section(year: int, campus: str | None) -> dict:
    """Outbound students, outbound staff and inbound participants (ints) and the green-travel share (0–1).

    Every value is None when no exchange (of the campus) starts in ``year``: nothing is stored for it.
    Otherwise the counts are integers (0 for a kind without mobilities that year), and the green-travel
    share = outbound green participants ÷ outbound participants, None without outbound participants.
    """
    frame = trips(year, campus)
    if frame.empty:
        return dict.fromkeys(MOBILITY_KEYS)
    return {**mobility_counts(frame, year), "green_travel_share": green_travel_share(frame)}


def green_travel_tiles(year: int, campus: str | None) -> list[Tile]:
    """The green-travel share (shown in per cent) against the ``green_travel_share`` target, if one is stored."""
    return _share_tile("green_travel_share", year, campus)


def stay_abroad_tiles(year: int, campus: str | None) -> list[Tile]:
    """The share of students with a stay abroad, as Internationalt computes it
    (``queries.international.yearly_shares``), against the ``stay_abroad_share`` target, if one is stored:
    one definition of the metric on every page."""
    return _share_tile("stay_abroad_share", year, campus)


def _share_tile(key: str, year: int, campus: str | None) -> list[Tile]:
    from heg_dash.i18n import t

    target = common.target_row(key)
    if target is None:
        return []
    shares = international.yearly_shares(campus).dropna(subset=[key])
    hist = [(int(y), float(v)) for y, v in zip(shares["year"], shares[key], strict=True) if y <= year]
    value = hist[-1][1] if hist and hist[-1][0] == year else None
    status = progress_status(value, year, target["baseline_value"], target["baseline_year"], target["value"],
                             target["year"], target["direction"])
    direction = str(target["direction"])
    tendency = trend(hist[-2][1], hist[-1][1], direction) if len(hist) > 1 else "no_data"
    return [Tile("internationalt", key, t(f"intl.kpi.{key}"),
                 None if value is None else value * 100, "%", 1, float(target["value"]) * 100, status, tendency,
                 direction, tuple((y, v * 100) for y, v in hist[-8:]), year)]


@cached
def year_summary(year: int, campus: str | None) -> dict:
    """The page's headline figures for ``year`` beside the year before, like for like (cached by the
    arguments and the data version: counting the trips in pandas took a tenth of a warm rerun).

    In a partial year (``common.partial_year``: the data end before 31 December) both years are counted up to
    the same day (the last day with data, and that day a year earlier): "år til dato" against the same
    period last year. Keys: partial, until (date or None), current and previous (each the four
    ``mobilities`` keys, None-valued when no exchange falls in the period), change (current − previous of
    the three counts, None where either is missing).
    """
    import datetime as dt

    from heg_dash import queries

    partial = common.partial_year(year)
    until = None
    if partial:
        _, last = queries.reading_span()
        until = pd.Timestamp(last).date()

    def period(y: int, end: dt.date | None) -> dict:
        frame = trips(y, campus)
        if end is not None:
            frame = frame[pd.to_datetime(frame["start_date"]).dt.date <= end]
        if frame.empty:
            return dict.fromkeys(MOBILITY_KEYS)
        return {**mobility_counts(frame, y), "green_travel_share": green_travel_share(frame)}

    # A year earlier; 29 February becomes 28 February.
    last_year_end = None if until is None else (pd.Timestamp(until) - pd.DateOffset(years=1)).date()
    current, previous = period(year, until), period(year - 1, last_year_end)
    change = {key: None if current[key] is None or previous[key] is None else current[key] - previous[key]
              for key in MOBILITY_KEYS[:3]}
    return {"partial": partial, "until": until, "current": current, "previous": previous, "change": change}
