"""The ``co2e_t`` and ``sdg`` sections of the KPI contract, and the CO₂e tile of the Strategy 2028 scorecard.

``co2e_t``: tonnes CO₂e in the local calendar year by scope (``queries.sustainability.co2e_ledger``);
``scope2_location`` and ``scope2_market`` are the two GHG Protocol methods for scope 2; ``total_location`` =
scope1 + scope2_location + scope3. A scope with nothing stored (no readings, no trips, or no factor to turn
them into CO₂e) is null, never 0; the total is null only when all three are. Readings follow meter →
building → campus and trips their exchange's campus, so ``--campus`` narrows every scope.

``sdg``: all 17 goals in order, school-wide whatever the campus, each with the status and trend rolled up
from its indicators' latest values in or before the year (``metrics.sdg.goal_progress``).

Module-level imports stay free of ``kpis`` and ``scorecard`` (they import this module).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from heg_dash.metrics.footprint import path_to_target
from heg_dash.metrics.progress import progress_status, target_for_year, trend
from heg_dash.metrics.sdg import goal_progress
from heg_dash.queries import sustainability as q
from heg_dash.queries import usage

if TYPE_CHECKING:
    from heg_dash.scorecard import Tile

SCOPE_KEYS = (("scope1", "location", 1), ("scope2_location", "location", 2), ("scope2_market", "market", 2),
              ("scope3", "location", 3))


def co2e_section(year: int, campus: str | None) -> dict:
    """{"scope1", "scope2_location", "scope2_market", "scope3", "total_location"} in tonnes, unrounded."""
    ledger = q.co2e_ledger(*q.period(year), campus)
    out: dict[str, float | None] = {key: ledger.tonnes(method, scope) for key, method, scope in SCOPE_KEYS}
    parts = [out["scope1"], out["scope2_location"], out["scope3"]]
    known = [p for p in parts if p is not None]
    out["total_location"] = sum(known) if known else None
    return out


def sdg_section(year: int, campus: str | None) -> list[dict]:
    """[{"goal": 1..17, "status", "trend"}], school-wide (SDG indicators are the school's, not a campus's)."""
    goals = goal_progress(q.sdg_indicator_values(), year)
    return [{"goal": int(r.goal), "status": str(r.status), "trend": str(r.trend)} for r in goals.itertuples()]


# --------------------------------------------------------------------------------------- target and tile

def ytd_end() -> dt.date | None:
    """The last reading day when the newest year is incomplete (its year to date), else None."""
    last = usage.last_local_reading_day()
    return last if last is not None and (last.month, last.day) != (12, 31) else None


def co2e_target() -> dict | None:
    """The ``co2e_t`` row of the targets dataset (value, year, direction, baseline_year, baseline_value …)."""
    from heg_dash import kpis

    return kpis._target("co2e_t")


def co2e_totals(campus: str | None = None) -> dict[int, float]:
    """Total tonnes CO₂e (location-based) per year with readings; the newest year to date when incomplete."""
    frame = q.co2e_by_year(campus, ytd_end())
    frame = frame[frame["method"] == "location"]
    return {int(y): float(v) for y, v in frame.groupby("year")["tonnes"].sum().items()}


def co2e_status(value: float | None, year: int, campus: str | None, partial: bool) -> tuple[float | None, str]:
    """(target for the year, status) of a school-wide full-year total; (None, no_data) for one campus or a
    year to date, which a full-year school target cannot judge."""
    target = co2e_target()
    if target is None or campus is not None or partial:
        return None, "no_data"
    status = progress_status(value, year, target["baseline_value"], target["baseline_year"], target["value"],
                             target["year"], target["direction"])
    return target_for_year(target["value"], target["year"], year, target["annual_rate"]), status


def co2e_path(campus: str | None = None) -> tuple[list[int], list[float | None]]:
    """Years from the target's baseline to its target year, and the path the status method measures against."""
    target = co2e_target()
    if target is None or campus is not None:
        return [], []
    years = list(range(int(target["baseline_year"]), int(target["year"]) + 1))
    return years, path_to_target(int(target["baseline_year"]), float(target["baseline_value"]), int(target["year"]),
                                 float(target["value"]), years)


def co2e_tiles(year: int, campus: str | None) -> list[Tile]:
    """One tile under Bæredygtighed: total CO₂e (location-based) against the ``co2e_t`` reduction target."""
    from heg_dash import kpis
    from heg_dash.i18n import t
    from heg_dash.scorecard import Tile

    totals = co2e_totals(campus)
    if year not in totals:
        return []
    partial = kpis.partial_year(year)
    history = [(y, v) for y, v in sorted(totals.items()) if y <= year and not (partial and y == year)]
    target, status = co2e_status(totals[year], year, campus, partial)
    trend_now = "no_data" if partial or len(history) < 2 else trend(history[-2][1], history[-1][1], "lower")
    label = t("sustain.tile.co2e_ytd") if partial else t("sustain.tile.co2e")
    return [Tile("baeredygtighed", "co2e_t", label, totals[year], "t", 0, target, status, trend_now, "lower",
                 tuple(history[-8:]), year)]
