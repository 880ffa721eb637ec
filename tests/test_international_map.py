"""The world map layers: shipped boundaries that draw offline, the Europe-focused extent, flow arcs, names."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from shapely.geometry import shape

from heg_dash.charts import international as charts
from heg_dash.charts import maps_world
from heg_dash.i18n import language


def test_boundaries_are_shipped_with_their_licence():
    assert maps_world.COUNTRIES_PATH.exists()
    licence = (maps_world.COUNTRIES_PATH.parent / "LICENSE-world-atlas.txt").read_text()
    assert "ISC" in licence and "Natural Earth" in licence


def test_country_features_are_clockwise_small_and_never_the_whole_box():
    extent = maps_world.Extent(-11.0, 34.0, 27.0, 62.0)
    features = maps_world.country_features(extent)
    names = {f["properties"]["name"] for f in features}
    assert {"Denmark", "Spain", "Malta", "Russia"} <= names and "Australia" not in names
    assert len(json.dumps(features)) < 250_000  # what the browser receives for the base map
    for feature in features:
        geometry = shape(feature["geometry"])
        polygons = getattr(geometry, "geoms", [geometry])
        assert all(not p.exterior.is_ccw for p in polygons if p.geom_type == "Polygon")
        # An antimeridian-crossing part clipped to the box would be the box itself and cover the map.
        lon_min, lat_min, lon_max, lat_max = geometry.bounds
        assert (lon_max - lon_min, lat_max - lat_min) != pytest.approx((68.0, 58.0), abs=0.5)


def test_map_extent_leaves_far_partners_out_and_lists_them():
    places = pd.DataFrame({"city": ["Hobro", "Lisboa", "Tianjin", "Helsinki"], "lon": [9.79, -9.14, 117.36, 24.94],
                           "lat": [56.64, 38.72, 39.34, 60.17]})
    extent = maps_world.map_extent(places["lon"], places["lat"], pad_deg=2.0)
    assert extent == maps_world.Extent(-11.14, 36.72, 26.94, 62.17)
    assert maps_world.outside_europe(places)["city"].tolist() == ["Tianjin"]
    # One place alone still gives a map at least 12° wide and high around it.
    alone = maps_world.map_extent(pd.Series([9.79]), pd.Series([56.64]))
    assert alone.lon_max - alone.lon_min == pytest.approx(12.0)


def test_flow_arcs_bow_to_the_right_so_the_two_directions_separate():
    flows = pd.DataFrame({"from_lon": [10.0, 10.0], "from_lat": [56.0, 46.0], "to_lon": [10.0, 10.0],
                          "to_lat": [46.0, 56.0], "direction": ["out", "in"]})
    arcs = maps_world.flow_arcs(flows, points=5, bend=0.2)
    assert len(arcs) == 10 and arcs.groupby("flow")["order"].max().tolist() == [4, 4]
    south, north = arcs[arcs["flow"] == 0], arcs[arcs["flow"] == 1]
    assert south.iloc[0][["lon", "lat"]].tolist() == [10.0, 56.0] and south.iloc[-1]["lat"] == 46.0
    # Going south the right hand is west; going north it is east.
    assert south["lon"].iloc[2] < 10.0 < north["lon"].iloc[2]
    assert np.isclose(10.0 - south["lon"].iloc[2], north["lon"].iloc[2] - 10.0)
    assert set(arcs["direction"]) == {"out", "in"}


def test_country_names_in_danish_and_english_from_babel():
    assert maps_world.country_name("CN", "da") == "Kina"
    assert maps_world.country_name("DE", "en") == "Germany"
    assert maps_world.country_name("XX", "da") == "XX"


def test_distance_band_labels_read_in_the_language():
    with language("da"):
        assert charts.band_label("500-1999") == "500–1.999 km"
        assert charts.band_label("8000+") == "8.000+ km"
    with language("en"):
        assert charts.band_label("2000-2999") == "2,000–2,999 km"


def test_map_spec_carries_the_country_shapes_as_a_named_geojson_dataset(sample_db):
    from heg_dash import queries

    with language("da"):
        spec = charts.partner_map_spec("da")
    sea, land = spec["layer"][0]["layer"]
    assert sea["data"] == {"sphere": True} and land["mark"]["type"] == "geoshape"
    # The land layer names its data; the spec carries the shapes under that name, as GeoJSON features
    # (which Streamlit leaves in the spec for Vega-Lite), so the map draws without internet.
    partners, campuses = queries.table("partners"), queries.table("campuses")
    extent = maps_world.extent_of(partners, campuses)
    assert spec["datasets"][land["data"]["name"]] == maps_world.country_features(extent)
    assert all(f["type"] == "Feature" for f in spec["datasets"][land["data"]["name"]])
    # The partners themselves go as the Arrow table Streamlit sends, converted once for the cached spec.
    tables = [pa.ipc.open_stream(data).read_all() for data in spec["datasets"].values() if isinstance(data, bytes)]
    assert len(partners) in {table.num_rows for table in tables}


def test_flow_arcs_carry_their_points_only_and_look_up_what_the_tooltip_shows():
    """24 points an arc, each repeating its flow's fields, made the map five times larger on every rerun."""
    extent = maps_world.Extent(-11.0, 34.0, 27.0, 62.0)
    flows = pd.DataFrame({"campus_id": ["HOB", "AAR"], "city": ["Kraków", "Lisboa"], "country": ["PL", "PT"],
                          "direction": ["out", "in"], "participants": [21, 4], "lat": [50.06, 38.72],
                          "lon": [19.94, -9.14], "campus_lat": [56.64, 56.80], "campus_lon": [9.79, 9.50]})
    campuses = pd.DataFrame({"campus_id": ["HOB"], "name": ["Campus Hobro"], "lat": [56.64], "lon": [9.79]})
    with language("da"):
        spec = charts.flow_map(flows, campuses, extent).to_dict()
    [lines] = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "line"]
    points = spec["datasets"][lines["data"]["name"]]
    assert len(points) == 2 * 24 and set(points[0]) == {"flow", "order", "lon", "lat"}
    [lookup] = lines["transform"]
    flow_fields = spec["datasets"][lookup["from"]["data"]["name"]]
    assert len(flow_fields) == 2 and {r["city"] for r in flow_fields} == {"Kraków", "Lisboa"}
    shown = {tip["field"] for tip in lines["encoding"]["tooltip"]} | {lines["encoding"]["color"]["field"],
                                                                      lines["encoding"]["strokeWidth"]["field"]}
    assert shown <= set(lookup["from"]["fields"]) <= set(flow_fields[0])


def test_city_names_that_would_overlap_are_left_to_their_tooltips():
    """City labels piled up near Denmark; the heaviest is named, a neighbour too close is not."""
    import pandas as pd

    from heg_dash.charts.maps_world import Extent

    extent = Extent(0.0, 50.0, 20.0, 60.0)  # 20° wide: labels need ~2.6° across or ~0.7° up
    lon = pd.Series([10.0, 10.5, 10.0, 18.0])
    lat = pd.Series([56.0, 56.1, 58.0, 56.0])
    weight = pd.Series([5, 40, 3, 1])
    keep = extent.spread_labels(lon, lat, weight)
    assert keep.tolist() == [False, True, True, True]  # 10.5 (heaviest) wins over 10.0 beside it
