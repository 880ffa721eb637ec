"""World map layers for the Internationalt page: shipped country boundaries, the map's extent, flow arcs
and country names.

Boundaries are Natural Earth 1:50m from the npm package world-atlas 2.0.2 (ISC licence, see
data/LICENSE-world-atlas.txt), shipped in data/ so the maps draw without internet. Altair gets GeoJSON
values (not a GeoDataFrame, which Streamlit flattens to text) with clockwise exterior rings.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from babel import Locale

from heg_dash.config import ROOT

COUNTRIES_PATH = ROOT / "data" / "countries-50m.json"

# "Wider Europe" in degrees (lon_min, lat_min, lon_max, lat_max): places inside it shape the Europe-focused
# map; places outside (e.g. a partner in China) are left off the map and listed beside it instead, so one
# far partner does not shrink Europe to a corner.
EUROPE = (-32.0, 27.0, 45.0, 72.0)
# Geometry detail kept for the map, in degrees (≈ 3–4 km): enough for a page-wide map, far fewer points.
SIMPLIFY_DEG = 0.04


@dataclass(frozen=True)
class Extent:
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float

    @property
    def centre(self) -> tuple[float, float]:
        """(lon, lat) of the middle of the extent."""
        return (self.lon_min + self.lon_max) / 2, (self.lat_min + self.lat_max) / 2

    def contains(self, lon: pd.Series, lat: pd.Series) -> pd.Series:
        return lon.between(self.lon_min, self.lon_max) & lat.between(self.lat_min, self.lat_max)

    def spread_labels(self, lon: pd.Series, lat: pd.Series, weight: pd.Series, share: float = 0.06) -> pd.Series:
        """Which points to label so no two labels overlap: the heaviest first, then every point at least
        ``share`` of the map's width (in both directions) from those already labelled; the rest keep their
        tooltip. Longitudes are shrunk by cos(latitude), as the map draws them."""
        import math

        width = max(self.lon_max - self.lon_min, self.lat_max - self.lat_min, 1e-9)
        gap_x, gap_y = share * width * 2.2, share * width * 0.6  # a name is wider than it is tall
        chosen: list[tuple[float, float]] = []
        keep = pd.Series(False, index=lon.index)
        for i in weight.sort_values(ascending=False).index:
            x, y = lon[i] * math.cos(math.radians(lat[i])), lat[i]
            if all(abs(x - cx) >= gap_x or abs(y - cy) >= gap_y for cx, cy in chosen):
                chosen.append((x, y))
                keep[i] = True
        return keep

    def fit_feature(self) -> dict:
        """A GeoJSON MultiPoint of the corners and edge midpoints, for Vega's projection ``fit``
        (points have no winding to get wrong, unlike a box polygon)."""
        lons = (self.lon_min, self.centre[0], self.lon_max)
        lats = (self.lat_min, self.centre[1], self.lat_max)
        coords = [[lo, la] for lo in lons for la in lats]
        return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": coords}}


def map_extent(lon: pd.Series, lat: pd.Series, pad_deg: float = 2.0, min_span_deg: float = 12.0) -> Extent:
    """The extent that shows every point inside wider Europe, padded by ``pad_deg`` and at least
    ``min_span_deg`` wide and high (so Denmark alone is not a close-up). Points outside wider Europe are
    ignored here; ``outside_europe`` names them. Without points: wider Europe's core around Denmark."""
    inside = Extent(*EUROPE).contains(lon, lat)
    lon, lat = lon[inside].dropna(), lat[inside].dropna()
    if lon.empty:
        return Extent(-12.0, 35.0, 32.0, 66.0)
    lo = [float(lon.min()) - pad_deg, float(lat.min()) - pad_deg, float(lon.max()) + pad_deg,
          float(lat.max()) + pad_deg]
    for low, high in ((0, 2), (1, 3)):
        span = lo[high] - lo[low]
        if span < min_span_deg:
            grow = (min_span_deg - span) / 2
            lo[low], lo[high] = lo[low] - grow, lo[high] + grow
    return Extent(*lo)


def extent_of(*frames: pd.DataFrame) -> Extent:
    """``map_extent`` of the lon/lat columns of several frames together (e.g. destinations and campuses)."""
    lon = pd.concat([frame["lon"] for frame in frames], ignore_index=True).astype(float)
    lat = pd.concat([frame["lat"] for frame in frames], ignore_index=True).astype(float)
    return map_extent(lon, lat)


def outside_europe(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose lon/lat lie outside wider Europe (they are listed beside the map, not drawn)."""
    return frame[~Extent(*EUROPE).contains(frame["lon"], frame["lat"])]


@functools.cache
def _countries() -> gpd.GeoDataFrame:
    """The shipped boundaries, one row per polygon part.

    Parts that cross the antimeridian (a few in Russia, Fiji, Antarctica) span more than 180° of longitude
    when read as flat lon/lat; clipping them turns them into the whole clip box, which then covers the map.
    They are far from Europe, so they are dropped.
    """
    world = gpd.read_file(COUNTRIES_PATH, layer="countries").set_crs(4326)
    parts = world.explode(index_parts=False, ignore_index=True)
    bounds = parts.bounds
    return parts[(bounds["maxx"] - bounds["minx"]) <= 180].reset_index(drop=True)


@functools.cache
def country_features(extent: Extent, margin_deg: float = 15.0) -> list[dict]:
    """Country boundaries around ``extent`` as GeoJSON features for ``alt.Data(values=...)``.

    Clipped to the extent plus a margin (so the map's edges are filled) and simplified, then oriented
    clockwise as Vega needs. Properties: ``name`` (English, from Natural Earth).
    """
    world = _countries()
    box = (max(extent.lon_min - margin_deg, -180), max(extent.lat_min - margin_deg, -90),
           min(extent.lon_max + margin_deg, 180), min(extent.lat_max + margin_deg, 90))
    clipped = world.clip_by_rect(*box)
    gdf = gpd.GeoDataFrame({"name": world["name"]}, geometry=clipped, crs=4326)
    gdf = gdf[~gdf.geometry.is_empty & ~gdf.geometry.isna()]
    gdf = gdf.dissolve(by="name", as_index=False)  # the parts back into one feature per country
    gdf["geometry"] = gdf.geometry.simplify(SIMPLIFY_DEG, preserve_topology=True)
    # Coordinates on a 0.01° grid: 15-digit floats would triple the JSON the browser receives.
    gdf["geometry"] = shapely.transform(gdf.geometry.values, lambda xy: np.round(xy, 2))
    gdf["geometry"] = gdf.geometry.orient_polygons(exterior_cw=True)
    gdf = gdf[~gdf.geometry.is_empty]
    return json.loads(gdf.to_json(drop_id=True))["features"]


def flow_arcs(flows: pd.DataFrame, points: int = 24, bend: float = 0.18) -> pd.DataFrame:
    """Curved lines for a flow map: each flow from (from_lon, from_lat) to (to_lon, to_lat) as ``points``
    positions on a quadratic Bézier curve, bowed to the right of the direction of travel by ``bend`` × the
    flow's length.

    Bowing to the right makes A→B and B→A arcs between the same places separate instead of overlapping.
    Curves are drawn in lon/lat with longitude scaled by cos(latitude), so the bow looks the same in every
    direction. Returns one row per point: flow (the row's position in ``flows``), order, lon, lat, plus every
    column of ``flows``.
    """
    if flows.empty:
        return pd.DataFrame(columns=["flow", "order", "lon", "lat", *flows.columns])
    x0, y0 = flows["from_lon"].to_numpy(float), flows["from_lat"].to_numpy(float)
    x1, y1 = flows["to_lon"].to_numpy(float), flows["to_lat"].to_numpy(float)
    k = np.cos(np.radians((y0 + y1) / 2))
    dx, dy = (x1 - x0) * k, y1 - y0
    # The right-hand normal of (dx, dy) is (dy, −dx); back in degrees of longitude divide by k.
    cx = (x0 + x1) / 2 + bend * dy / np.where(k == 0, 1, k)
    cy = (y0 + y1) / 2 - bend * dx
    s = np.linspace(0, 1, points)[:, None]
    lon = (1 - s) ** 2 * x0 + 2 * (1 - s) * s * cx + s ** 2 * x1
    lat = (1 - s) ** 2 * y0 + 2 * (1 - s) * s * cy + s ** 2 * y1
    n = len(flows)
    out = pd.DataFrame({
        "flow": np.tile(np.arange(n), points), "order": np.repeat(np.arange(points), n),
        "lon": lon.ravel(), "lat": lat.ravel(),
    })
    attrs = flows.reset_index(drop=True)
    return out.join(attrs, on="flow").sort_values(["flow", "order"], ignore_index=True)


def country_name(code: str | None, lang: str) -> str:
    """The country's name for an ISO 3166-1 alpha-2 code in Danish or English (babel's CLDR data);
    the code itself when babel does not know it."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "–"
    return _territories(lang).get(str(code).upper(), str(code))


@functools.cache
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse("da" if lang == "da" else "en").territories)
