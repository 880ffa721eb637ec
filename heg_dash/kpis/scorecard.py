"""The Strategy 2028 scorecard: one tile per measured goal, grouped by the strategy's eight focus areas.

Tiles come from tile sources: the computed KPIs (årselever, m² per årselev, and what later features
register) and every indicator stored with a focus area. Pure of Streamlit: the page only draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from heg_dash import queries
from heg_dash.datasets import FOCUS_AREA_KEYS
from heg_dash.i18n import localized
from heg_dash.kpis import common, strategy
from heg_dash.kpis import economy as kpi_economy
from heg_dash.kpis import energy as kpi_energy
from heg_dash.kpis import international as kpi_international
from heg_dash.kpis.common import Tile
from heg_dash.kpis.sustainability import co2e_tiles
from heg_dash.metrics.progress import progress_status, target_for_year, trend
from heg_dash.queries.cache import cached


def _series_trend(history: list[tuple[int, float]], direction: str) -> str:
    if len(history) < 2:
        return "no_data"
    return trend(history[-2][1], history[-1][1], direction)


def kpi_tiles(year: int, campus: str | None) -> list[Tile]:
    """Årselever (Rekruttering) and m² per årselev (Faciliteter) from the KPI functions."""
    from heg_dash.i18n import t

    tiles = []
    totals = queries.aarselever_by_year(campus)
    hist = [(int(y), float(v)) for y, v in totals.items() if y <= year]
    section = strategy.aarselever_section(year, campus)
    tiles.append(Tile("rekruttering", "aarselever", t("kpi.aarselever"), section["value"], "", 0,
                      section["target"], section["status"], _series_trend(hist, "higher"), "higher",
                      tuple(hist[-8:]), year))
    m2_hist = []
    for y, _ in hist:
        value = common.m2_per_aarselev_value(y, campus)
        if value is not None:
            m2_hist.append((y, value))
    section = strategy.m2_section(year, campus)
    tiles.append(Tile("faciliteter", "m2_per_aarselev", t("kpi.m2_per_aarselev"), section["value"], "m²", 1,
                      section["target"], section["status"], _series_trend(m2_hist, "lower"), "lower",
                      tuple(m2_hist[-8:]), year))
    return tiles


def indicator_tiles(year: int, campus: str | None) -> list[Tile]:
    """A tile per indicator: its latest value in or before ``year`` against its target (school-wide)."""
    values = queries.indicator_values()
    tiles = []
    for indicator_id, rows in values.groupby("indicator_id", sort=False):
        rows = rows[rows["year"] <= year].sort_values("year")
        meta = values[values["indicator_id"] == indicator_id].iloc[0]
        hist = [(int(y), float(v)) for y, v in zip(rows["year"], rows["value"], strict=True)]
        latest_year, latest = hist[-1] if hist else (None, None)
        status = progress_status(
            latest, latest_year or year, meta["baseline_value"], int(meta["baseline_year"]), meta["target_value"],
            int(meta["target_year"]), meta["direction"],
        )
        decimals = 1 if any(v != round(v) for _, v in hist) else 0
        tiles.append(Tile(
            str(meta["focus_area"]), f"indicator:{indicator_id}", localized(meta, "name"), latest, str(meta["unit"]),
            decimals, float(meta["target_value"]), status, _series_trend(hist, meta["direction"]),
            str(meta["direction"]), tuple(hist[-8:]), latest_year,
        ))
    return tiles


# Later features append their own sources (energy, CO₂e, mobilities, economy).
# A focus area shows its tiles in this order, so the weighted EUI comes right after m² per årselev.
TILE_SOURCES: list[Callable[[int, str | None], list[Tile]]] = [
    kpi_tiles, kpi_energy.eui_tiles, indicator_tiles, kpi_international.green_travel_tiles,
    kpi_international.stay_abroad_tiles,
    kpi_economy.economy_tiles, co2e_tiles,
]


@dataclass(frozen=True)
class FocusArea:
    key: str
    name_da: str
    goal_da: str
    goal_en: str
    source: str
    tiles: tuple[Tile, ...]


@cached
def scorecard(year: int, campus: str | None = None, lang: str = "da") -> list[FocusArea]:
    """The eight focus areas in the strategy's order, each with its goal and its tiles.

    ``lang`` is part of the cache key only: tile labels are in the current language.
    """
    tiles = [tile for source in TILE_SOURCES for tile in source(year, campus)]
    areas = queries.table("focus_areas").set_index("key")
    out = []
    for key in FOCUS_AREA_KEYS:
        row = areas.loc[key] if key in areas.index else pd.Series(dtype=object)
        out.append(FocusArea(
            key, str(row.get("name_da", key)), str(row.get("goal_da", "") or ""), str(row.get("goal_en", "") or ""),
            str(row.get("source", "") or ""), tuple(t for t in tiles if t.focus_area == key),
        ))
    return out


def has_values(areas: list[FocusArea]) -> bool:
    """True when at least one tile has a value (otherwise the page shows its empty state)."""
    return any(tile.value is not None for area in areas for tile in area.tiles)


def status_counts(areas: list[FocusArea]) -> dict[str, int]:
    """How many measured goals have each status, best first (statuses with no goals left out)."""
    from heg_dash.metrics.progress import STATUSES

    found = [tile.status for area in areas for tile in area.tiles]
    return {status: found.count(status) for status in STATUSES if status in found}


@cached
def aarselever_path(campus: str | None = None) -> pd.DataFrame:
    """Actual årselever per year beside the Strategy 2028 target path, for the path chart.

    Columns: year, actual (None where not stored), target (the path, from the baseline year to the
    target year). For one campus there is no school target, so only the actual line.
    """
    totals = queries.aarselever_by_year(campus)
    targets = queries.table("targets")
    row = targets[targets["key"] == "aarselever"]
    years = set(int(y) for y in totals.index)
    if not row.empty and campus is None:
        target = row.iloc[0]
        years |= set(range(int(target["baseline_year"]), int(target["year"]) + 1))
    frame = pd.DataFrame({"year": sorted(years)})
    frame["actual"] = frame["year"].map(totals).astype(float)
    if not row.empty and campus is None:
        rate = None if pd.isna(target["annual_rate"]) else float(target["annual_rate"])
        frame["target"] = [
            target_for_year(float(target["value"]), int(target["year"]), y, rate)
            if y >= int(target["baseline_year"]) else None
            for y in frame["year"]
        ]
    else:
        frame["target"] = None
    return frame


@cached
def m2_path(campus: str | None = None) -> pd.DataFrame:
    """m² per årselev per year with stored årselever, beside the target value (year, actual, target)."""
    totals = queries.aarselever_by_year(campus)
    targets = queries.table("targets")
    row = targets[targets["key"] == "m2_per_aarselev"]
    target_value = float(row.iloc[0]["value"]) if not row.empty else None
    rows = [(int(y), common.m2_per_aarselev_value(int(y), campus), target_value) for y in totals.index]
    return pd.DataFrame(rows, columns=["year", "actual", "target"])
