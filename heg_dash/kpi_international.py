"""The ``mobilities`` KPI section and the Internationalt scorecard tile (green-travel share).

Mobilities count participants, in the year their ``start_date`` falls in; ``--campus`` follows each
exchange's own campus_id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heg_dash.metrics.mobility import green_travel_share, mobility_counts
from heg_dash.metrics.progress import progress_status, trend
from heg_dash.queries import international
from heg_dash.queries.travel import trips

if TYPE_CHECKING:
    from heg_dash.scorecard import Tile

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
    from heg_dash import kpis
    from heg_dash.i18n import t
    from heg_dash.scorecard import Tile

    target = kpis._target("green_travel_share")
    if target is None:
        return []
    shares = international.yearly_shares(campus).dropna(subset=["green_travel_share"])
    hist = [(int(y), float(v)) for y, v in zip(shares["year"], shares["green_travel_share"], strict=True) if y <= year]
    value = hist[-1][1] if hist and hist[-1][0] == year else None
    status = progress_status(value, year, target["baseline_value"], target["baseline_year"], target["value"],
                             target["year"], target["direction"])
    direction = str(target["direction"])
    tendency = trend(hist[-2][1], hist[-1][1], direction) if len(hist) > 1 else "no_data"
    return [Tile("internationalt", "green_travel_share", t("intl.kpi.green_travel_share"),
                 None if value is None else value * 100, "%", 0, float(target["value"]) * 100, status, tendency,
                 direction, tuple((y, v * 100) for y, v in hist[-8:]), year)]
