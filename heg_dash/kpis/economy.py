"""The ``economy`` KPI section, the Økonomi scorecard tiles and the building-cost figures of the Økonomi page.

Finance is school-wide: for a single campus the whole ``economy`` section is null (DESIGN.md).
"""

from __future__ import annotations

import pandas as pd

from heg_dash import queries
from heg_dash.kpis import common
from heg_dash.kpis.common import Tile
from heg_dash.metrics.economy import WARNING_LIMITS, growth_needed
from heg_dash.metrics.progress import progress_status, trend
from heg_dash.queries import economy as economy_q

# kpis and scorecard are imported inside functions: kpis.SECTIONS and scorecard.TILE_SOURCES import this module.

ECONOMY_KEYS = ("revenue_dkk", "result_dkk", "overskudsgrad", "likviditetsgrad", "soliditetsgrad",
                "finansieringsgrad", "cost_per_aarselev_dkk")


def _none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def economy_section(year: int, campus: str | None) -> dict | None:
    """Revenue, result, the ministry's four ratios (× 100) and cost per årselev for ``year``.

    None for a single campus (finance is the school's); every value None for a year without finance.
    ``cost_per_aarselev_dkk`` = the sum of the five cost items ÷ the school's årselever of the year.
    """
    if campus is not None:
        return None
    table = economy_q.economy_by_year()
    row = table[table["year"] == year]
    if row.empty:
        return dict.fromkeys(ECONOMY_KEYS)
    r = row.iloc[0]
    return {
        "revenue_dkk": _none(r["revenue"]),
        "result_dkk": _none(r["result"]),
        "overskudsgrad": _none(r["overskudsgrad"]),
        "likviditetsgrad": _none(r["likviditetsgrad"]),
        "soliditetsgrad": _none(r["soliditetsgrad"]),
        "finansieringsgrad": _none(r["finansieringsgrad"]),
        "cost_per_aarselev_dkk": _none(r["cost_per_aarselev"]),
    }


def building_costs(include_planned: bool = True) -> pd.DataFrame:
    """Building operations cost per year: in DKK, per årselev and per heated m² in use.

    Columns: year, cost_buildings, aarselever, heated_m2, per_aarselev, per_m2. The m² are the school's
    heated area in use in the year, each building by its days in use (``common.heated_area_m2``), the same
    area m² per årselev uses. None where an input is missing.
    """

    table = economy_q.economy_by_year()
    rows = []
    for r in table.itertuples():
        area = common.heated_area_m2(int(r.year), None, include_planned)
        cost = _none(r.cost_buildings)
        students = _none(r.aarselever)
        rows.append({
            "year": int(r.year), "cost_buildings": cost, "aarselever": students, "heated_m2": area,
            "per_aarselev": cost / students if cost is not None and students else None,
            "per_m2": cost / area if cost is not None and area else None,
        })
    return pd.DataFrame(rows, columns=["year", "cost_buildings", "aarselever", "heated_m2", "per_aarselev",
                                       "per_m2"])


def aarselever_growth_needed(campus: str | None = None) -> dict | None:
    """The compound yearly growth still needed from the newest year with årselever to the ``aarselever`` target.

    Keys: from_year, value, target, target_year, growth (fraction, e.g. 0.05), path_rate (the strategy's).
    None without a target, without årselever, for one campus (the target is the school's), or when the
    newest year is at or past the target year.
    """

    target = common.target_row("aarselever")
    totals = queries.aarselever_by_year(None)
    if campus is not None or target is None or totals.empty:
        return None
    from_year = int(totals.index.max())
    value = float(totals.loc[from_year])
    growth = growth_needed(value, from_year, float(target["value"]), int(target["year"]))
    if growth is None:
        return None
    return {"from_year": from_year, "value": value, "target": float(target["value"]),
            "target_year": int(target["year"]), "growth": growth, "path_rate": target["annual_rate"]}


def _ratio_history(key: str, year: int) -> list[tuple[int, float]]:
    table = economy_q.economy_by_year()
    return [(int(y), float(v)) for y, v in zip(table["year"], table[key], strict=True) if y <= year and not pd.isna(v)]


def economy_tiles(year: int, campus: str | None) -> list[Tile]:
    """Økonomi tiles (school-wide, shown whatever the campus): overskudsgrad against its stored target, and
    likviditetsgrad against the ministry's warning level of 100.

    Likviditetsgrad has no strategy target; its tile's target is the warning level in every year, and its
    status comes from ``progress_status`` with last year's value as the baseline: achieved at 100 or more,
    otherwise how far last year's move went towards 100.
    """
    from heg_dash.i18n import t

    tiles = []
    hist = _ratio_history("overskudsgrad", year)
    value = hist[-1][1] if hist and hist[-1][0] == year else None
    target = common.target_row("overskudsgrad")
    if target is not None:
        status = progress_status(value, year, target["baseline_value"], target["baseline_year"], target["value"],
                                 target["year"], target["direction"])
        tiles.append(Tile("oekonomi", "overskudsgrad", t("economy.kpi.overskudsgrad"), value, "%", 1,
                          float(target["value"]), status, _trend(hist, "higher"), "higher", tuple(hist[-8:]), year))
    hist = _ratio_history("likviditetsgrad", year)
    value = hist[-1][1] if hist and hist[-1][0] == year else None
    limit = WARNING_LIMITS["likviditetsgrad"]
    previous = hist[-2][1] if value is not None and len(hist) > 1 and hist[-2][0] == year - 1 else None
    if value is not None and value >= limit:
        previous = value  # met: achieved needs no baseline
    status = progress_status(value, year, previous, year - 1, limit, year, "higher")
    tiles.append(Tile("oekonomi", "likviditetsgrad", t("economy.kpi.likviditetsgrad"), value, "%", 0, limit, status,
                      _trend(hist, "higher"), "higher", tuple(hist[-8:]), year))
    return tiles


def _trend(history: list[tuple[int, float]], direction: str) -> str:
    if len(history) < 2:
        return "no_data"
    return trend(history[-2][1], history[-1][1], direction)


ENERGY_COST_UTILITIES = ("electricity", "district_heating", "gas", "oil")


def energy_cost(year: int) -> dict:
    """The school's energy cost in ``year`` and per årselev and per heated m² in use.

    Rule: the sum over the energy utilities of ``queries.energy.cost`` (use × the price components in
    force: spot + tariff + tax, or an all-in price) for 1 January–31 December; ÷ the year's årselever and
    ÷ the heated m² in use (``common.heated_area_m2``, the area m² per årselev uses). Keys: dkk, per_aarselev,
    per_m2, aarselever, heated_m2, priced_share (the lowest share of a utility's use that had a complete
    price), by_utility (DKK per utility with a priced use).
    None where an input is missing (no use priced, no årselever, no area).
    """
    from heg_dash.queries import energy as energy_q

    first, last = pd.Timestamp(year, 1, 1).date(), pd.Timestamp(year, 12, 31).date()
    by_utility = {}
    for utility in ENERGY_COST_UTILITIES:
        c = energy_q.cost(utility, first, last, None)
        if c["dkk"] is not None:
            by_utility[utility] = c
    dkk = sum(c["dkk"] for c in by_utility.values()) if by_utility else None
    students = _none(queries.aarselever_by_year(None).get(year))
    area = common.heated_area_m2(year, None)
    shares = [c["priced_share"] for c in by_utility.values() if c["priced_share"] is not None]
    return {
        "dkk": dkk,
        "per_aarselev": dkk / students if dkk is not None and students else None,
        "per_m2": dkk / area if dkk is not None and area else None,
        "aarselever": students,
        "heated_m2": area,
        "priced_share": min(shares) if shares else None,
        "by_utility": {u: c["dkk"] for u, c in by_utility.items()},
    }
