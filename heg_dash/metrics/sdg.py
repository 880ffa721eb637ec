"""The 17 UN Sustainable Development Goals (Verdensmålene) and the school's progress on each.

Colours are the UN's official SDG palette; names are the Danish ones used by Verdensmålene.dk and the
UN's English short titles (the UI shows them through the catalogue, ``sustain.sdg.goal.<n>``).
A goal's status and trend are rolled up from the indicators stored with that ``sdg_goal`` by
``metrics.progress.goal_status`` / ``goal_trend`` (the SDSN rule); each indicator's own status is
``metrics.progress.progress_status`` at its latest value in or before the year, its trend
``metrics.progress.trend`` over its last two values in or before the year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from heg_dash.metrics.colour import contrast_ratio
from heg_dash.metrics.progress import goal_status, goal_trend, progress_status, trend


@dataclass(frozen=True)
class Goal:
    number: int
    colour: str  # official UN hex colour
    name_da: str
    name_en: str


GOALS: tuple[Goal, ...] = (
    Goal(1, "#E5243B", "Afskaf fattigdom", "No poverty"),
    Goal(2, "#DDA63A", "Stop sult", "Zero hunger"),
    Goal(3, "#4C9F38", "Sundhed og trivsel", "Good health and well-being"),
    Goal(4, "#C5192D", "Kvalitetsuddannelse", "Quality education"),
    Goal(5, "#FF3A21", "Ligestilling mellem kønnene", "Gender equality"),
    Goal(6, "#26BDE2", "Rent vand og sanitet", "Clean water and sanitation"),
    Goal(7, "#FCC30B", "Bæredygtig energi", "Affordable and clean energy"),
    Goal(8, "#A21942", "Anstændige jobs og økonomisk vækst", "Decent work and economic growth"),
    Goal(9, "#FD6925", "Industri, innovation og infrastruktur", "Industry, innovation and infrastructure"),
    Goal(10, "#DD1367", "Mindre ulighed", "Reduced inequalities"),
    Goal(11, "#FD9D24", "Bæredygtige byer og lokalsamfund", "Sustainable cities and communities"),
    Goal(12, "#BF8B2E", "Ansvarligt forbrug og produktion", "Responsible consumption and production"),
    Goal(13, "#3F7E44", "Klimaindsats", "Climate action"),
    Goal(14, "#0A97D9", "Livet i havet", "Life below water"),
    Goal(15, "#56C02B", "Livet på land", "Life on land"),
    Goal(16, "#00689D", "Fred, retfærdighed og stærke institutioner", "Peace, justice and strong institutions"),
    Goal(17, "#19486A", "Partnerskaber for handling", "Partnerships for the goals"),
)
GOAL_BY_NUMBER = {g.number: g for g in GOALS}


def _none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def indicator_progress(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each indicator's status and trend in ``year``.

    ``values`` is long form: indicator_id, sdg_goal, direction, baseline_year, baseline_value, target_year,
    target_value, year, value (year/value empty for an indicator without values). Only values with
    year ≤ ``year`` count. Status: ``progress_status`` at the latest such value, in that value's year;
    trend: ``trend`` from the last two such values.

    Columns: indicator_id, sdg_goal, latest_year, latest, previous, status, trend (one row per indicator).
    """
    columns = ["indicator_id", "sdg_goal", "latest_year", "latest", "previous", "status", "trend"]
    rows = []
    for indicator_id, group in values.groupby("indicator_id", sort=True):
        meta = group.iloc[0]
        seen = group.dropna(subset=["year", "value"])
        seen = seen[seen["year"] <= year].sort_values("year")
        latest = _none(seen["value"].iloc[-1]) if len(seen) else None
        latest_year = int(seen["year"].iloc[-1]) if len(seen) else None
        previous = _none(seen["value"].iloc[-2]) if len(seen) > 1 else None
        baseline_year = None if pd.isna(meta["baseline_year"]) else int(meta["baseline_year"])
        target_year = None if pd.isna(meta["target_year"]) else int(meta["target_year"])
        status = progress_status(latest, latest_year or year, _none(meta["baseline_value"]), baseline_year,
                                 _none(meta["target_value"]), target_year, str(meta["direction"]))
        goal = None if pd.isna(meta["sdg_goal"]) else int(meta["sdg_goal"])
        rows.append((str(indicator_id), goal, latest_year, latest, previous, status,
                     trend(previous, latest, str(meta["direction"]))))
    return pd.DataFrame(rows, columns=columns)


def goal_progress(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """All 17 goals in order with the status and trend rolled up from their indicators.

    Columns: goal, status, trend, indicators (how many indicators the goal has), with_data (how many of
    them have a status other than ``no_data``). A goal without indicators is ``no_data``.
    """
    per_indicator = indicator_progress(values, year)
    rows = []
    for goal in GOALS:
        mine = per_indicator[per_indicator["sdg_goal"] == goal.number]
        rows.append({
            "goal": goal.number,
            "status": goal_status(mine["status"]),
            "trend": goal_trend(mine["trend"]),
            "indicators": int(len(mine)),
            "with_data": int((mine["status"] != "no_data").sum()),
        })
    return pd.DataFrame(rows, columns=["goal", "status", "trend", "indicators", "with_data"])


DARK_INK = "#111111"


def text_colour(background_hex: str) -> str:
    """White or near-black, whichever contrasts more with the goal's colour: at least 4.5:1 on every one of the
    17 official colours (white alone falls to 3:1 on 3, 5, 12 and 14)."""
    white, dark = contrast_ratio("#FFFFFF", background_hex), contrast_ratio(DARK_INK, background_hex)
    return "#FFFFFF" if white >= dark else DARK_INK
