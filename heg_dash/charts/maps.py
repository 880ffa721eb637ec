"""Building footprints with geopandas, and the Altair geoshape maps that draw them without internet.

Footprints are stored as WKT in EPSG:4326 (``building_footprints``). Areas are measured in
EPSG:25832 (ETRS89 / UTM 32N, Denmark's standard projection). Maps are Altair geoshapes from GeoJSON
values (Streamlit flattens a GeoDataFrame's geometry), with polygons oriented clockwise so Vega fills
the building and not the whole view.
"""

from __future__ import annotations

import json

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd

from heg_dash.charts import HEG_RED, finished_spec, for_streamlit
from heg_dash.charts.energy import LABEL_COLOURS
from heg_dash.datasets import BUILDING_USES, ENERGY_LABELS
from heg_dash.i18n import d3_label_expr
from heg_dash.queries.cache import cached

AREA_CRS = 25832
AREA_TOLERANCE = 0.20  # footprint × floors vs registered heated area: warn beyond ± 20 %


def footprints(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """The stored footprints (building_id, geometry_wkt) as a GeoDataFrame in EPSG:4326; unreadable or
    empty geometries are left out."""
    rows = frame.dropna(subset=["geometry_wkt"])
    geometry = gpd.GeoSeries.from_wkt(rows["geometry_wkt"].astype(str).tolist(), on_invalid="ignore", crs=4326)
    gdf = gpd.GeoDataFrame({"building_id": rows["building_id"].to_numpy()}, geometry=geometry.to_numpy(), crs=4326)
    return gdf[~gdf.geometry.is_empty & gdf.geometry.notna()].reset_index(drop=True)


def area_check(gdf: gpd.GeoDataFrame, buildings: pd.DataFrame, tolerance: float = AREA_TOLERANCE) -> pd.DataFrame:
    """Footprint area (EPSG:25832) × floors against the registered heated area, per building.

    deviation = (footprint m² × floors − heated m²) ÷ heated m²; ``flagged`` when |deviation| > tolerance.
    Without floors, or without a positive heated area, the deviation is NaN and nothing is flagged.
    Columns: building_id, footprint_m2, floors, gross_m2, heated_area_m2, deviation, flagged.
    """
    measured = pd.DataFrame({"building_id": gdf["building_id"], "footprint_m2": gdf.to_crs(AREA_CRS).area})
    frame = measured.merge(buildings[["building_id", "floors", "heated_area_m2"]], on="building_id", how="left")
    floors = pd.to_numeric(frame["floors"], errors="coerce")
    heated = pd.to_numeric(frame["heated_area_m2"], errors="coerce")
    frame["gross_m2"] = frame["footprint_m2"] * floors
    frame["deviation"] = (frame["gross_m2"] - heated) / heated.where(heated > 0)
    frame["flagged"] = (frame["deviation"].abs() > tolerance).fillna(False).astype(bool)
    return frame[["building_id", "footprint_m2", "floors", "gross_m2", "heated_area_m2", "deviation", "flagged"]]


def value_domain(gdf: gpd.GeoDataFrame, metric: str) -> list[float] | None:
    """The colour scale's domain for a numeric ``metric`` over every building in ``gdf``: maps drawn side by side
    with it share one scale, so one colour means one value on both (None for energy labels or no values)."""
    if metric == "label":
        return None
    values = pd.to_numeric(gdf["value"], errors="coerce").dropna()
    if values.empty:
        return None
    if metric == "change":
        limit = float(values.abs().max())
        limit = limit if np.isfinite(limit) and limit > 0 else 0.1
        return [-limit, limit]
    low, high = float(values.min()), float(values.max())
    return [low, high if high > low else low + 1]


def building_map(gdf: gpd.GeoDataFrame, metric: str, title: str, legend_title: str, titles: dict[str, str],
                 height: int = 380, domain: list[float] | None = None) -> alt.LayerChart:
    """Footprints coloured by ``metric`` with each building's id written on it.

    ``gdf`` carries the properties to show: building_id, value (the metric, numeric or label), tooltip
    columns ``t_name``, ``t_use``, ``t_area``, ``t_label``, ``t_value`` (already formatted text) and
    ``flagged`` (area mismatch: drawn with a thick red outline). ``metric`` is one of eui, label, area,
    change. ``titles`` names the tooltip rows (keys name, use, area, label). Fits the view to the
    buildings (Mercator).
    """
    oriented = gdf.copy()
    oriented["geometry"] = oriented.geometry.orient_polygons(exterior_cw=True)
    features = json.loads(oriented.to_json())["features"]
    if metric == "label":
        colour = alt.Color("properties.value:N", title=legend_title,
                           scale=alt.Scale(domain=list(ENERGY_LABELS), range=[LABEL_COLOURS[k] for k in ENERGY_LABELS]))
    else:
        domain = domain or value_domain(gdf, metric) or [0, 1]
        expr = d3_label_expr()
        legend = alt.Legend(format="+.0%" if metric == "change" else ",.0f", **({"labelExpr": expr} if expr else {}))
        scale = (alt.Scale(scheme="redblue", reverse=True, domain=domain) if metric == "change" else
                 alt.Scale(scheme="orangered" if metric == "eui" else "blues", domain=domain))
        colour = alt.Color("properties.value:Q", title=legend_title, scale=scale, legend=legend)
    tooltip = [alt.Tooltip(f"properties.{column}:N", title=name) for column, name in (
        ("building_id", "ID"), ("t_name", titles["name"]), ("t_use", titles["use"]), ("t_area", titles["area"]),
        ("t_label", titles["label"]), ("t_value", legend_title))]
    shapes = alt.Chart(alt.Data(values=features)).mark_geoshape(stroke="#333333", strokeWidth=1).encode(
        color=colour,
        strokeWidth=alt.condition("datum.properties.flagged", alt.value(4), alt.value(1)),
        stroke=alt.condition("datum.properties.flagged", alt.value(HEG_RED), alt.value("#333333")),
        tooltip=tooltip,
    ).project(type="mercator")
    # The energy label is written beside the id (its colour alone would not tell A from G with red-green colour
    # blindness); a white halo under the text keeps it at 4.5:1 on every fill.
    names = oriented["building_id"].astype(str)
    if metric == "label" and "t_label" in oriented:
        names = names + " · " + oriented["t_label"].astype(str)
    labels = label_places(oriented, names, height)
    layers = [shapes]
    for outside, baseline, dy in ((False, "middle", 0), (True, "top", 3)):
        part = alt.Chart(labels[labels["outside"] == outside]).encode(longitude="lon:Q", latitude="lat:Q",
                                                                       text="text:N")
        style = {"fontSize": LABEL_FONT_PX, "fontWeight": "bold", "baseline": baseline, "dy": dy}
        layers += [part.mark_text(**style, stroke="#FFFFFF", strokeWidth=4, strokeJoin="round", color="#FFFFFF"
                                  ).project(type="mercator"),
                   part.mark_text(**style, color="#111111").project(type="mercator")]
    return alt.layer(*layers).properties(title=title, height=height)


LABEL_FONT_PX = 12
NARROWEST_MAP_PX = 360  # a campus map at 1366 px: half the page beside its twin, less its colour key


def label_places(gdf: gpd.GeoDataFrame, names: pd.Series, height_px: int) -> pd.DataFrame:
    """Where each building's name goes: on the footprint when it fits there, else just below it (``outside``)
    so it does not spill over the footprint's edges. Whether it fits is judged at the narrowest the map is drawn
    (the view fits the campus, so metres per pixel follow from the campus's extent)."""
    metric = gdf.to_crs(AREA_CRS)
    bounds = metric.geometry.bounds
    west, south, east, north = metric.total_bounds
    px_per_m = min(NARROWEST_MAP_PX / max(east - west, 1.0), height_px / max(north - south, 1.0))
    text_px = names.str.len() * LABEL_FONT_PX * 0.62 + 6  # bold sans: about 0.62 em a character, plus the halo
    fits = ((bounds["maxx"] - bounds["minx"]) * px_per_m >= text_px) & (
        (bounds["maxy"] - bounds["miny"]) * px_per_m >= LABEL_FONT_PX + 4)
    centres = metric.geometry.centroid
    below = gpd.GeoSeries(gpd.points_from_xy(centres.x, bounds["miny"]), crs=AREA_CRS).to_crs(4326)
    inside = centres.to_crs(4326)
    return pd.DataFrame({
        "lon": inside.x.where(fits, below.x.to_numpy()), "lat": inside.y.where(fits, below.y.to_numpy()),
        "text": names.to_numpy(), "outside": (~fits).to_numpy()})


METRICS = ("eui", "label", "area", "change")


def with_properties(gdf: gpd.GeoDataFrame, register: pd.DataFrame, check: pd.DataFrame, metric: str,
                    use_names: dict[str, str]) -> gpd.GeoDataFrame:
    """Footprints joined with the register (name, use, campus, areas, EUI) and the area check, with the
    chosen metric as ``value`` and the tooltip texts formatted in the UI language (t_* columns)."""
    from heg_dash.i18n import fmt_number, fmt_percent

    columns = ["building_id", "campus_id", "name", "use", "heated_area_m2", "energy_label", "status",
               "eui_weighted", "eui_change"]
    frame = gdf.merge(register[columns], on="building_id", how="inner")
    frame = frame.merge(check[["building_id", "flagged"]], on="building_id", how="left")
    frame["flagged"] = frame["flagged"].fillna(False).astype(bool)
    source = {"eui": "eui_weighted", "label": "energy_label", "area": "heated_area_m2", "change": "eui_change"}[metric]
    frame["value"] = frame[source]
    frame["t_name"] = frame["name"].astype(str)
    frame["t_use"] = frame["use"].map(lambda u: use_names.get(u, u))
    frame["t_area"] = [fmt_number(v, 0, "m²") for v in frame["heated_area_m2"]]
    frame["t_label"] = frame["energy_label"].fillna("–").astype(str)
    if metric == "eui":
        frame["t_value"] = [fmt_number(v, 1, "kWh/m²") for v in frame["value"]]
    elif metric == "change":
        frame["t_value"] = [fmt_percent(v) for v in frame["value"]]
    elif metric == "area":
        frame["t_value"] = frame["t_area"]
    else:
        frame["t_value"] = frame["t_label"]
    keep = ["building_id", "campus_id", "value", "flagged", "t_name", "t_use", "t_area", "t_label", "t_value",
            "geometry"]
    return gpd.GeoDataFrame(frame[keep], geometry="geometry", crs=gdf.crs)


@cached
def campus_map_specs(year: int, campus: str | None, metric: str, show_all: bool,
                     lang: str) -> tuple[tuple[str, dict], ...]:
    """The Faciliteter page's maps, one finished Vega-Lite spec per campus with footprints: (campus_id, spec)
    in the campuses' stored order; empty without footprints.

    Buildings in use only unless ``show_all``; coloured by ``metric`` in ``year``; labels in the current
    language (``lang`` keys the cache). Cached by the inputs and the data version: building and validating
    the geoshape specs is most of the page's own time on a rerun.
    """
    from heg_dash.i18n import t
    from heg_dash.queries import facilities as qf
    from heg_dash.queries.overview import table

    shapes = footprints(qf.footprints(campus))
    if shapes.empty:
        return ()
    register = qf.register(year, campus)
    shown = register if show_all else register[register["status"] == "in_use"]
    use_names = {u: t(f"facilities.use.{u}") for u in BUILDING_USES}
    layer = with_properties(shapes, shown, area_check(shapes, register), metric, use_names)
    legend = t(f"facilities.legend.{metric}")
    titles = {k: t(f"facilities.col.{k}") for k in ("name", "use", "area", "label")}
    campuses = table("campuses")
    names = dict(zip(campuses["campus_id"], campuses["name"], strict=True))
    domain = value_domain(layer, metric)  # one colour scale for the campuses' maps
    return tuple((campus_id, for_streamlit(finished_spec(building_map(layer[layer["campus_id"] == campus_id], metric,
                                                                        names[campus_id], legend, titles,
                                                                        domain=domain))))
                 for campus_id in names if campus_id in set(layer["campus_id"]))
