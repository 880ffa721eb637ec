"""The SDG reads: every indicator that names a goal with its yearly values, and the initiatives of a goal."""

from __future__ import annotations

import pandas as pd

from heg_dash.queries.cache import cached
from heg_dash.store import db


@cached
def sdg_indicator_values() -> pd.DataFrame:
    """Every indicator that names an SDG goal with its yearly values (long form; an indicator without values
    has one row with year and value empty)."""
    return db.read_df(
        "SELECT i.indicator_id, i.focus_area, i.sdg_goal, i.sdg_target, i.name, i.name_en, i.unit, i.direction, "
        "i.baseline_year, i.baseline_value, i.target_year, i.target_value, v.year, v.value "
        "FROM indicators i LEFT JOIN indicator_values v USING (indicator_id) "
        "WHERE i.sdg_goal IS NOT NULL ORDER BY i.sdg_goal, i.indicator_id, v.year"
    )


@cached
def initiatives_for_goal(goal: int) -> pd.DataFrame:
    """Initiatives whose ``sdg_goals`` (';'-separated) include ``goal``, with their focus area's name and goal.

    Columns: initiative_id, title, owner, status, start_date, end_date, focus_area, sdg_goals, focus_name,
    focus_goal_da, focus_goal_en.
    """
    return db.read_df(
        "SELECT i.initiative_id, i.title, i.title_en, i.owner, i.status, i.start_date, i.end_date, i.focus_area, "
        "i.sdg_goals, "
        "f.name_da AS focus_name, f.goal_da AS focus_goal_da, f.goal_en AS focus_goal_en "
        "FROM initiatives i LEFT JOIN focus_areas f ON f.key = i.focus_area "
        # ';4;9;11;' contains ';1;' only for goal 1 itself (plain SQL that PostgreSQL reads too)
        "WHERE ';' || replace(i.sdg_goals, ' ', '') || ';' LIKE '%;' || CAST(? AS VARCHAR) || ';%' "
        "ORDER BY i.start_date, i.initiative_id",
        [goal],
    )
