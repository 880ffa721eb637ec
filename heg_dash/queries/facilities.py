"""Reads behind the Faciliteter page: the building register with this year's EUI, footprints, m² scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd

from heg_dash.metrics.facilities import area_in_use_m2, m2_per_aarselev
from heg_dash.metrics.scenario import annual_growth, project
from heg_dash.queries.cache import cached
from heg_dash.queries.energy import building_eui
from heg_dash.queries.overview import aarselever_by_year, table


@cached
def register(year: int, campus: str | None = None) -> pd.DataFrame:
    """Every building (one campus or all) with its weighted EUI in ``year`` and the change against the
    year before (a share: +0.10 = 10 % more), and its area in use in ``year``.

    Columns: the buildings dataset's columns, area_in_use_m2, eui_weighted, eui_last_year, eui_change.
    """
    buildings = table.uncached("buildings")
    if campus:
        buildings = buildings[buildings["campus_id"] == campus]
    frame = buildings.reset_index(drop=True).copy()
    frame["area_in_use_m2"] = area_in_use_m2(frame, year).to_numpy()
    now = building_eui.uncached(year, campus).set_index("building_id")["eui_weighted"]
    before = building_eui.uncached(year - 1, campus).set_index("building_id")["eui_weighted"]
    frame["eui_weighted"] = frame["building_id"].map(now).astype(float)
    frame["eui_last_year"] = frame["building_id"].map(before).astype(float)
    frame["eui_change"] = frame["eui_weighted"] / frame["eui_last_year"] - 1
    return frame


@cached
def footprints(campus: str | None = None) -> pd.DataFrame:
    """Stored footprints (building_id, geometry_wkt), for one campus's buildings or all."""
    frame = table.uncached("building_footprints")[["building_id", "geometry_wkt"]]
    if campus:
        ids = set(table.uncached("buildings").query("campus_id == @campus")["building_id"])
        frame = frame[frame["building_id"].isin(ids)]
    return frame.reset_index(drop=True)


@cached
def m2_scenario(campus: str | None, include_planned: bool, path: str) -> pd.DataFrame:
    """m² per årselev per year, as stored and continued to the target year: a what-if.

    - Årselever: the stored years, then continued from the newest at ``path``'s rate: "trend" = the
      observed compound growth of the last five years, "strategy" = the årselever target's annual rate
      (5 %/yr in Strategi 2028).
    - Area: heated m² in use each year (each building by its days in use); planned buildings count from
      their in_use_from only when ``include_planned``.
    - Years run from the first stored årselever year to the later of the m² target year and the year
      after the newest planned building opens (its first whole year).
    Columns: year, aarselever, projected (bool), area_m2, m2_per_aarselev, target. Empty without årselever.
    """
    actual = aarselever_by_year.uncached(campus)
    columns = ["year", "aarselever", "projected", "area_m2", "m2_per_aarselev", "target"]
    if actual.empty:
        return pd.DataFrame(columns=columns)
    targets = table.uncached("targets").set_index("key")
    buildings = table.uncached("buildings")
    if campus:
        buildings = buildings[buildings["campus_id"] == campus]
    # Both scenarios run over the same years, planned buildings toggled or not.
    planned_from = pd.to_datetime(buildings.loc[buildings["status"] == "planned", "in_use_from"]).dt.year.dropna()
    if not include_planned:
        buildings = buildings[buildings["status"] != "planned"]
    target_year = int(targets.loc["m2_per_aarselev", "year"]) if "m2_per_aarselev" in targets.index else None
    # The year after the newest planned building opens, so its first whole year shows.
    until = max([int(actual.index.max()), target_year or 0, int(planned_from.max()) + 1 if len(planned_from) else 0])
    if path == "strategy" and "aarselever" in targets.index and pd.notna(targets.loc["aarselever", "annual_rate"]):
        rate = float(targets.loc["aarselever", "annual_rate"])
    else:
        rate = annual_growth(actual)
    series = project(actual, rate, until)
    rows = []
    for year, value in series.items():
        area = float(area_in_use_m2(buildings, int(year)).sum()) if not buildings.empty else np.nan
        rows.append((int(year), float(value), int(year) > int(actual.index.max()), area,
                     m2_per_aarselev(area, float(value))))
    frame = pd.DataFrame(rows, columns=columns[:-1])
    frame["target"] = float(targets.loc["m2_per_aarselev", "value"]) if "m2_per_aarselev" in targets.index else np.nan
    return frame


def growth_rates(campus: str | None) -> dict[str, float | None]:
    """The two årselever paths' yearly rates: the observed trend and the strategy's target rate."""
    targets = table("targets").set_index("key")
    strategy = None
    if "aarselever" in targets.index and pd.notna(targets.loc["aarselever", "annual_rate"]):
        strategy = float(targets.loc["aarselever", "annual_rate"])
    return {"trend": annual_growth(aarselever_by_year(campus)), "strategy": strategy}


def filter_register(register: pd.DataFrame, uses: tuple[str, ...] = (), labels: tuple[str, ...] = (),
                    statuses: tuple[str, ...] = (), search: str = "") -> pd.DataFrame:
    """The register rows matching every chosen filter (an empty choice matches all); ``search`` matches
    the building id or name, case-insensitively."""
    rows = register
    if uses:
        rows = rows[rows["use"].isin(uses)]
    if labels:
        rows = rows[rows["energy_label"].isin(labels)]
    if statuses:
        rows = rows[rows["status"].isin(statuses)]
    if search.strip():
        needle = search.strip().lower()
        rows = rows[rows["building_id"].str.lower().str.contains(needle, regex=False)
                    | rows["name"].str.lower().str.contains(needle, regex=False)]
    return rows.reset_index(drop=True)
