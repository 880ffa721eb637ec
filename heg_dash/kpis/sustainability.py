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

import pandas as pd

from heg_dash import queries
from heg_dash.datasets import FOCUS_AREA_KEYS
from heg_dash.kpis import common
from heg_dash.kpis.common import Tile
from heg_dash.metrics.footprint import path_to_target, per_unit
from heg_dash.metrics.progress import progress_status, target_for_year, trend
from heg_dash.metrics.sdg import goal_progress, indicator_progress
from heg_dash.queries import sdg as sdg_queries
from heg_dash.queries import sustainability as q
from heg_dash.queries.cache import cached

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


@cached
def sdg_goals(year: int) -> pd.DataFrame:
    """``metrics.sdg.goal_progress`` of the school's indicator values for ``year`` (cached: rolling the 17 goals
    up took a tenth of Bæredygtighed's run)."""
    return goal_progress(sdg_queries.sdg_indicator_values(), year)


def sdg_section(year: int, campus: str | None) -> list[dict]:
    """[{"goal": 1..17, "status", "trend"}], school-wide (SDG indicators are the school's, not a campus's)."""
    goals = sdg_goals(year)
    return [{"goal": int(r.goal), "status": str(r.status), "trend": str(r.trend)} for r in goals.itertuples()]


# --------------------------------------------------------------------------------------- target and tile

def ytd_end() -> dt.date | None:
    """The last reading day when the newest year is incomplete (its year to date), else None."""
    last = queries.reading_span()[1]
    return last if last is not None and (last.month, last.day) != (12, 31) else None


def co2e_target() -> dict | None:
    """The ``co2e_t`` row of the targets dataset (value, year, direction, baseline_year, baseline_value …)."""

    return common.target_row("co2e_t")


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
    from heg_dash.i18n import t

    totals = co2e_totals(campus)
    if year not in totals:
        return []
    partial = common.partial_year(year)
    history = [(y, v) for y, v in sorted(totals.items()) if y <= year and not (partial and y == year)]
    target, status = co2e_status(totals[year], year, campus, partial)
    trend_now = "no_data" if partial or len(history) < 2 else trend(history[-2][1], history[-1][1], "lower")
    label = t("sustain.tile.co2e_ytd") if partial else t("sustain.tile.co2e")
    return [Tile("baeredygtighed", "co2e_t", label, totals[year], "t", 0, target, status, trend_now, "lower",
                 tuple(history[-8:]), year)]


# ------------------------------------------------------------------------------------ what the page shows

def _same_day_last_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def co2e_overview(year: int, campus: str | None) -> dict:
    """Everything the CO₂e section shows for one year (and campus).

    Keys: ledger (the year's; to date when the year is incomplete), ledgers (every year's), partial,
    last_day, tonnes {(method, scope): t}, total_location, total_market, previous (the year before, over
    the same period when the year is incomplete), change (fraction against it), per_aarselev_kg, per_m2_kg,
    target (the targets row), target_value, status, path_value (what the path asks for in the year).
    """

    end = ytd_end()
    ledgers = q.co2e_ledgers(q.year_periods(end), campus)
    ledger = ledgers.get(year)
    partial = ledger is not None and end is not None and end.year == year
    if ledger is None:
        return {"ledger": None, "ledgers": ledgers, "partial": False}
    tonnes = {(m, s): ledger.tonnes(m, s) for m in q.METHODS for s in (1, 2, 3)}
    total_location = ledger.tonnes("location")
    if partial:
        previous_ledger = q.co2e_ledger(dt.date(year - 1, 1, 1), _same_day_last_year(end), campus)
    else:
        previous_ledger = ledgers.get(year - 1)
    previous = previous_ledger.tonnes("location") if previous_ledger is not None else None
    change = None if previous in (None, 0) or total_location is None else total_location / previous - 1
    target_value, status = co2e_status(total_location, year, campus, partial)
    years, path = co2e_path(campus)
    path_value = dict(zip(years, path, strict=True)).get(year)
    kg = None if total_location is None else total_location * 1000
    return {
        "ledger": ledger, "ledgers": ledgers, "partial": partial, "last_day": ledger.last_day, "tonnes": tonnes,
        "total_location": total_location, "total_market": ledger.tonnes("market"), "previous": previous,
        "change": change, "per_aarselev_kg": per_unit(kg, common.aarselever_value(year, campus)),
        "per_m2_kg": per_unit(kg, common.heated_area_m2(year, campus)), "target": co2e_target(),
        "target_reduction": _reduction(co2e_target()),
        "target_value": target_value, "status": status, "path_value": path_value if campus is None else None,
    }


def co2e_path_frame(campus: str | None, method: str = "location") -> pd.DataFrame:
    """The reduction path as (year, tonnes) for the chart; empty for one campus, without a target, or for the
    market-based totals (the target is set on the location-based total, as the KPI's ``total_location``)."""
    years, path = co2e_path(campus) if method == "location" else ([], [])
    return pd.DataFrame({"year": years, "tonnes": path})


def goal_detail(goal: int, year: int) -> dict:
    """One SDG for the page: its indicators (values up to ``year``, the path from baseline to target, status
    and trend), its initiatives, and the strategy focus areas that those serve.

    Keys: indicators (list of dicts: meta, values, path, status, trend, latest, latest_year, decimals), initiatives
    (frame), focus_areas (frame: key, name_da, goal_da, goal_en, source).
    """
    from heg_dash import queries

    values = sdg_queries.sdg_indicator_values()
    values = values[values["sdg_goal"] == goal]
    progress = indicator_progress(values, year).set_index("indicator_id") if not values.empty else None
    indicators = []
    for indicator_id, rows in values.groupby("indicator_id", sort=True):
        meta = rows.iloc[0]
        seen = rows.dropna(subset=["year", "value"])
        seen = seen[seen["year"] <= year][["year", "value"]].astype({"year": int, "value": float})
        path_years = list(range(int(meta["baseline_year"]), int(meta["target_year"]) + 1))
        path = pd.DataFrame({"year": path_years, "target": path_to_target(
            int(meta["baseline_year"]), float(meta["baseline_value"]), int(meta["target_year"]),
            float(meta["target_value"]), path_years)})
        p = progress.loc[indicator_id]
        stated = [*seen["value"], meta["baseline_value"], meta["target_value"]]
        decimals = 1 if any(v != round(v) for v in stated) else 0
        indicators.append({
            "decimals": decimals,
            "meta": {k: (None if pd.isna(v) else v) for k, v in meta.drop(["year", "value"]).to_dict().items()},
            "values": seen.reset_index(drop=True), "path": path, "status": str(p["status"]),
            "trend": str(p["trend"]), "latest": None if pd.isna(p["latest"]) else float(p["latest"]),
            "latest_year": None if pd.isna(p["latest_year"]) else int(p["latest_year"]),
        })
    initiatives = sdg_queries.initiatives_for_goal(goal)
    keys = list(dict.fromkeys([*values["focus_area"].dropna().astype(str), *initiatives["focus_area"].astype(str)]))
    areas = queries.table("focus_areas")
    areas = areas[areas["key"].isin(keys)].copy()
    areas["order"] = areas["key"].map({k: i for i, k in enumerate(FOCUS_AREA_KEYS)})
    return {"indicators": indicators, "initiatives": initiatives,
            "focus_areas": areas.sort_values("order").drop(columns="order").reset_index(drop=True)}


def _reduction(target: dict | None) -> float | None:
    """The share the target cuts from its baseline (0.65 for 869 t → 300 t)."""
    if target is None or not target.get("baseline_value"):
        return None
    return 1 - float(target["value"]) / float(target["baseline_value"])
