"""Building footprints: a GeoJSON FeatureCollection -> (building_id, geometry_wkt).

Rules: the file is a FeatureCollection in EPSG:4326 (a ``crs`` member naming any other CRS is a problem,
and so are coordinates outside longitude/latitude degrees, the usual sign of UTM metres); each feature has
the property ``building_id`` and a valid Polygon or MultiPolygon (shapely's validity, with its reason).
Problems name the feature by its number, counting from 1 in file order. The same geometry checks apply to
``geometry_wkt`` when footprints come as a CSV/Excel table (a filled template).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd
import shapely
from shapely.geometry import shape

from heg_dash import datasets
from heg_dash.importers.problems import ProblemLog
from heg_dash.importers.read import ReadError, decode_text

POLYGONS = ("Polygon", "MultiPolygon")


def _crs_problem(doc: dict) -> str | None:
    """The name of a declared CRS other than WGS 84 longitude/latitude, else None."""
    crs = doc.get("crs")
    if not crs:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str):
        return json.dumps(crs)[:80]
    import pyproj  # only when a file declares a CRS

    try:
        ok = pyproj.CRS.from_user_input(name).equals(pyproj.CRS.from_epsg(4326), ignore_axis_order=True)
    except pyproj.exceptions.CRSError:
        ok = False
    return None if ok else name


def geometry_problem(geom: object) -> tuple[str, dict] | None:
    """Why a shapely geometry is not a usable footprint (message key and values), or None."""
    kind = getattr(geom, "geom_type", type(geom).__name__)
    if kind not in POLYGONS:
        return "imp.geo_type", {"type": kind}
    if geom.is_empty or not geom.is_valid:
        return "imp.geo_invalid", {"reason": shapely.is_valid_reason(geom)}
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        return "imp.geo_not_degrees", {}
    return None


def _feature(i: int, feature: object, log: ProblemLog) -> tuple[str, str] | None:
    """One feature -> (building_id, WKT), or None after logging why not."""
    if not isinstance(feature, dict):
        log.add("imp.geo_not_feature", feature=i)
        return None
    props = feature.get("properties") or {}
    props = {str(k).strip().lower(): v for k, v in props.items()} if isinstance(props, dict) else {}
    building_id = props.get("building_id")
    building_id = str(building_id).strip() if building_id is not None else ""
    if not building_id:
        log.add("imp.geo_no_building_id", feature=i)
    try:
        geom = shape(feature.get("geometry") or {})
    except Exception as exc:  # shapely/GEOS raise several types for malformed coordinates
        log.add("imp.geo_invalid", feature=i, reason=str(exc) or type(exc).__name__)
        return None
    problem = geometry_problem(geom)
    if problem:
        log.add(problem[0], feature=i, **problem[1])
        return None
    return (building_id, geom.wkt) if building_id else None


def parse_geojson(content: bytes, log: ProblemLog,
                  known_keys: Mapping[tuple[str, str], set[str]] | None = None) -> tuple[pd.DataFrame, int]:
    """GeoJSON bytes -> (frame with building_id, geometry_wkt indexed by feature number, feature count)."""
    try:
        doc = json.loads(decode_text(content))
    except json.JSONDecodeError as exc:
        raise ReadError("imp.geo_not_json", reason=f"{exc.msg} ({exc.lineno}:{exc.colno})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list):
        raise ReadError("imp.geo_not_collection")
    crs = _crs_problem(doc)
    if crs:
        log.add("imp.geo_crs", crs=crs)
    features = doc["features"]
    if not features:
        log.add("imp.no_rows")
    rows = {i: _feature(i, f, log) for i, f in enumerate(features, start=1)}
    rows = {i: r for i, r in rows.items() if r is not None}
    frame = pd.DataFrame({"building_id": pd.Series({i: r[0] for i, r in rows.items()}, dtype="str"),
                          "geometry_wkt": pd.Series({i: r[1] for i, r in rows.items()}, dtype="str")})
    frame.index = frame.index.astype("int64")
    frame.index.name = "row"
    _check_ids(frame, log, known_keys)
    return frame, len(features)


def _check_ids(frame: pd.DataFrame, log: ProblemLog,
               known_keys: Mapping[tuple[str, str], set[str]] | None) -> None:
    """One footprint per building, and the building must exist (when known_keys says what exists)."""
    first: dict[str, int] = {}
    for i, building_id in frame["building_id"].items():
        if building_id in first:
            log.add("imp.geo_duplicate", feature=int(i), building_id=building_id, first=first[building_id])
        else:
            first[building_id] = int(i)
    target = datasets.REFERENCES[("building_footprints", "building_id")]
    known = None if known_keys is None else known_keys.get(target)
    if known is not None:
        known = {str(k) for k in known}
        for building_id, i in first.items():
            if building_id not in known:
                log.add("imp.geo_unknown_building", feature=i, building_id=building_id)


def check_wkt_column(frame: pd.DataFrame, log: ProblemLog, label: str = "geometry_wkt") -> pd.DataFrame:
    """Footprints from a table: each geometry_wkt must parse and be a valid polygon in degrees.

    Valid geometries are rewritten in shapely's canonical WKT; invalid ones become null.
    """
    wkt = frame["geometry_wkt"].astype(object)
    for row, text in wkt.dropna().items():
        try:
            geom = shapely.from_wkt(text)
        except Exception as exc:  # GEOSException for malformed text
            log.add("imp.geo_bad_wkt", int(row), label, value=str(text)[:60], reason=str(exc)[:120])
            wkt[row] = None
            continue
        problem = geometry_problem(geom)
        if problem:
            log.add(problem[0], int(row), label, **problem[1])
            wkt[row] = None
        else:
            wkt[row] = geom.wkt
    frame["geometry_wkt"] = wkt.astype("str")
    return frame
