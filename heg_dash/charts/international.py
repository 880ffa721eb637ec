"""Altair charts of the Internationalt page: the mobility flow map, the partner map and the counts.

Maps are Altair geoshapes over the shipped country boundaries (GeoJSON values, see maps_world), drawn
in a Europe-centred azimuthal equal-area projection fitted to the data's extent. Tooltips are text
formatted in pandas in the current language.
"""

from __future__ import annotations

import hashlib

import altair as alt
import pandas as pd

from heg_dash import queries
from heg_dash.charts import (
    HEG_RED,
    TARGET_GREY,
    finished_spec,
    for_streamlit,
    line_key,
    maps_world,
    number_axis,
    year_axis,
)
from heg_dash.i18n import fmt_date, fmt_number, get_language, t
from heg_dash.kpis import common as kpi_common
from heg_dash.metrics.mobility import DISTANCE_BANDS
from heg_dash.queries import international
from heg_dash.queries.cache import cached

DIRECTION_COLOURS = {"out": HEG_RED, "in": "#1F6FB2"}
KIND_COLOURS = ["#C8102E", "#1F6FB2", "#E07B39", "#2E8B57", "#8E8E8E"]
PARTNER_KINDS = ("company", "school", "university", "public", "other")
MAP_HEIGHT = 560


def label(kind: str, value: object) -> str:
    """The catalogue text of a closed-list value (direction, participant, programme, area, activity, mode…)."""
    if kind == "education_area":
        return t("economy.area." + str(value))
    if kind == "country":
        return maps_world.country_name(str(value), get_language())
    if kind == "programme" and value != "other":
        return str(value)  # Erasmus+, PIU and Nordplus are names
    return t(f"intl.{kind}.{value}")


def _projection(extent: maps_world.Extent) -> dict:
    lon, lat = extent.centre
    return {"type": "azimuthalEqualArea", "rotate": [-lon, -lat, 0], "fit": extent.fit_feature()}


def _countries_name(extent: maps_world.Extent) -> str:
    """The name of the country shapes' dataset in a map's spec (one per extent)."""
    return "countries-" + hashlib.md5(repr(extent).encode()).hexdigest()[:16]


def _countries_layer(extent: maps_world.Extent) -> alt.LayerChart:
    """Sea (the sphere) and land, light, so the flows and dots stand out.

    The land refers to the country shapes by name only; ``with_countries`` puts the shapes into the finished
    spec. Inline, Altair deep-copies the thousands of coordinates on every layer and property call (about
    1.5 s per map).
    """
    sea = alt.Chart(alt.sphere()).mark_geoshape(fill="#F3F7FA", stroke=None, clip=True)
    land = alt.Chart(alt.Data(name=_countries_name(extent))).mark_geoshape(
        fill="#DFE3E6", stroke="#FFFFFF", strokeWidth=0.8, clip=True,
    )
    return sea + land


def with_countries(spec: dict, extent: maps_world.Extent) -> dict:
    """``spec`` (a map's ``to_dict()``) with the country shapes of ``extent`` as its named GeoJSON dataset, which
    Streamlit leaves in the spec for Vega-Lite (tabular datasets go as Arrow)."""
    spec.setdefault("datasets", {})[_countries_name(extent)] = maps_world.country_features(extent)
    return spec


def _campus_layer(campuses: pd.DataFrame) -> alt.LayerChart:
    """Campus squares, the westernmost campus labelled to its left and the others to their right, so
    Hobro and Aars (25 km apart) do not write over each other."""
    frame = campuses[["name", "lat", "lon"]].dropna().copy()
    west = frame["lon"] == frame["lon"].min() if len(frame) > 1 else pd.Series(False, index=frame.index)
    base = alt.Chart(frame).encode(longitude="lon:Q", latitude="lat:Q")
    squares = base.mark_square(size=120, color="#111111", clip=True).encode(
        tooltip=[alt.Tooltip("name:N", title=t("intl.campus"))])
    text = {"fontSize": 13, "fontWeight": "bold", "clip": True, "dy": -8}
    right = alt.Chart(frame[~west]).mark_text(align="left", dx=9, **text).encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N")
    left = alt.Chart(frame[west]).mark_text(align="right", dx=-9, **text).encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N")
    return squares + right + left


def flow_map(flows: pd.DataFrame, campuses: pd.DataFrame, extent: maps_world.Extent,
             height: int = MAP_HEIGHT) -> alt.LayerChart:
    """Mobilities as arcs between the campus and the partner city, width by participants, colour by direction.

    ``flows``: the query's per campus, city and direction rows, only those to be drawn. Outbound arcs run
    campus → city, inbound city → campus; each bows to the right of its direction of travel, so the two
    directions between the same places do not hide each other.
    """
    frame = flows.copy()
    out = frame["direction"] == "out"
    frame["from_lon"] = frame["campus_lon"].where(out, frame["lon"])
    frame["from_lat"] = frame["campus_lat"].where(out, frame["lat"])
    frame["to_lon"] = frame["lon"].where(out, frame["campus_lon"])
    frame["to_lat"] = frame["lat"].where(out, frame["campus_lat"])
    frame["direction_label"] = frame["direction"].map(lambda d: label("direction", d))
    frame["country_name"] = frame["country"].map(lambda c: label("country", c))
    frame["participants_label"] = frame["participants"].map(fmt_number)
    # Each arc's points carry only their position; the flow's own fields are looked up per flow (24 points
    # a flow each repeating them made the map's spec five times larger, sent again on every rerun).
    ends = ["from_lon", "from_lat", "to_lon", "to_lat"]
    arcs = maps_world.flow_arcs(frame[ends])[["flow", "order", "lon", "lat"]].round({"lon": 3, "lat": 3})
    attributes = ["direction_label", "campus_id", "city", "country_name", "participants", "participants_label"]
    per_flow = frame[attributes].reset_index(drop=True).rename_axis("flow").reset_index()
    directions = [label("direction", d) for d in DIRECTION_COLOURS]
    colour = alt.Color("direction_label:N", title=t("intl.direction"),
                       scale=alt.Scale(domain=directions, range=list(DIRECTION_COLOURS.values())),
                       legend=alt.Legend(orient="bottom", direction="horizontal"))
    tooltip = [alt.Tooltip("direction_label:N", title=t("intl.direction")),
               alt.Tooltip("campus_id:N", title=t("intl.campus")), alt.Tooltip("city:N", title=t("intl.city")),
               alt.Tooltip("country_name:N", title=t("intl.country")),
               alt.Tooltip("participants_label:N", title=t("intl.participants"))]
    lines = alt.Chart(arcs).transform_lookup(
        lookup="flow", from_=alt.LookupData(per_flow, "flow", attributes),
    ).mark_line(opacity=0.75, clip=True, strokeCap="round").encode(
        longitude="lon:Q", latitude="lat:Q", detail="flow:N", order="order:Q", color=colour,
        strokeWidth=alt.StrokeWidth("participants:Q", title=t("intl.participants"),
                                    scale=alt.Scale(range=[1.5, 12], zero=False),
                                    legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=tooltip,
    )
    cities = frame.groupby(["city", "country_name"], as_index=False).agg(lat=("lat", "mean"), lon=("lon", "mean"),
                                                                         participants=("participants", "sum"))
    cities["participants_label"] = cities["participants"].map(fmt_number)
    dots = alt.Chart(cities).mark_circle(color="#333333", opacity=0.9, size=45, clip=True).encode(
        longitude="lon:Q", latitude="lat:Q",
        tooltip=[alt.Tooltip("city:N", title=t("intl.city")), alt.Tooltip("country_name:N", title=t("intl.country")),
                 alt.Tooltip("participants_label:N", title=t("intl.participants_both"))],
    )
    # Names that would overlap (the many partners near Denmark) are left to their dots' tooltips.
    labelled = cities[extent.spread_labels(cities["lon"], cities["lat"], cities["participants"])]
    names = alt.Chart(labelled).mark_text(align="left", dx=6, dy=4, fontSize=11, color="#333333", clip=True).encode(
        longitude="lon:Q", latitude="lat:Q", text="city:N")
    chart = alt.layer(_countries_layer(extent), lines, dots, names, _campus_layer(campuses))
    return chart.project(**_projection(extent)).properties(height=height)


def flow_map_frames(year: int, campus: str | None, direction: str
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the flows the map draws, the flows off the map (outside Europe), the campuses it shows) for the page's
    filters; ``direction`` "out", "in" or "both"."""
    flows = international.flows(year, campus)
    if direction != "both":
        flows = flows[flows["direction"] == direction]
    far = maps_world.outside_europe(flows)
    campuses = queries.table("campuses")
    return flows.drop(far.index), far, campuses if campus is None else campuses[campuses["campus_id"] == campus]


@cached
def flow_map_spec(year: int, campus: str | None, direction: str, lang: str) -> dict:
    """The finished spec of the flow map for the page's filters (see ``flow_map_frames``), cached by them and
    the data version (``lang`` keys the labels' language).

    Altair deep-copies the inline country shapes on every layer and property call: building the map took
    about 2 s on each rerun of the page; a cached spec takes none. The shapes are added to the finished spec
    (``with_countries``), so even a cold build stays well under a second. Keyed by the filters, not by the
    frames: Streamlit would hash the frames' every row on each rerun to find the spec.
    """
    near, _, campuses = flow_map_frames(year, campus, direction)
    extent = maps_world.extent_of(near, campuses)
    return _finished_map(flow_map(near, campuses, extent), extent)


@cached
def partner_map_spec(lang: str) -> dict:
    """The finished spec of the partner map (every partner), cached as ``flow_map_spec``."""
    partners, campuses = queries.table("partners"), queries.table("campuses")
    extent = maps_world.extent_of(partners, campuses)
    return _finished_map(partner_map(partners, campuses, extent), extent)


def _finished_map(chart: alt.LayerChart, extent: maps_world.Extent) -> dict:
    """A map's spec for the page: validated, with the country shapes and its tables as Arrow bytes."""
    return for_streamlit(with_countries(chart.to_dict(), extent))


def partner_map(partners: pd.DataFrame, campuses: pd.DataFrame, extent: maps_world.Extent,
                height: int = MAP_HEIGHT) -> alt.LayerChart:
    """The partner register on the map: one dot per partner, colour and shape by kind."""
    frame = partners.copy()
    frame["kind_label"] = frame["kind"].map(lambda k: label("kind", k))
    frame["country_name"] = frame["country"].map(lambda c: label("country", c))
    frame["since_label"] = frame["since"].map(lambda y: "–" if pd.isna(y) else str(int(y)))
    kinds = [label("kind", k) for k in PARTNER_KINDS]
    dots = alt.Chart(frame).mark_point(filled=True, size=110, opacity=0.9, clip=True).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("kind_label:N", title=t("intl.kind"), scale=alt.Scale(domain=kinds, range=KIND_COLOURS),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        shape=alt.Shape("kind_label:N", scale=alt.Scale(domain=kinds), legend=None),
        tooltip=[alt.Tooltip("name:N", title=t("intl.partner")), alt.Tooltip("kind_label:N", title=t("intl.kind")),
                 alt.Tooltip("city:N", title=t("intl.city")), alt.Tooltip("country_name:N", title=t("intl.country")),
                 alt.Tooltip("since_label:N", title=t("intl.since"))],
    )
    chart = alt.layer(_countries_layer(extent), dots, _campus_layer(campuses))
    return chart.project(**_projection(extent)).properties(height=height)


def participants_by_year(frame: pd.DataFrame, dimension: str, height: int = 320) -> alt.Chart:
    """Participants per year of start, stacked by ``dimension`` (frame: year, value, participants)."""
    data = frame.copy()
    data["group"] = data["value"].map(lambda v: label(dimension, v))
    data["label"] = data["participants"].map(fmt_number)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year"))),
        y=alt.Y("participants:Q", axis=number_axis(t("intl.participants")), stack="zero"),
        color=alt.Color("group:N", title=t(f"intl.dim.{dimension}"), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")), alt.Tooltip("group:N", title=t(f"intl.dim.{dimension}")),
                 alt.Tooltip("label:N", title=t("intl.participants"))],
    ).properties(height=height)


def by_country(frame: pd.DataFrame, height: int | None = None) -> alt.Chart:
    """Participants in the year per country (Danish/English names), stacked by direction, largest first."""
    data = frame.copy()
    data["country_name"] = data["country"].map(lambda c: label("country", c))
    data["direction_label"] = data["direction"].map(lambda d: label("direction", d))
    data["label"] = data["participants"].map(fmt_number)
    order = data.groupby("country_name")["participants"].sum().sort_values(ascending=False).index.tolist()
    directions = [label("direction", d) for d in DIRECTION_COLOURS]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("country_name:N", sort=order, title=None,
                axis=alt.Axis(labelFontSize=12, labelOverlap=False, labelLimit=0)),  # every country named
        x=alt.X("participants:Q", axis=number_axis(t("intl.participants")), stack="zero"),
        color=alt.Color("direction_label:N", title=t("intl.direction"),
                        scale=alt.Scale(domain=directions, range=list(DIRECTION_COLOURS.values())),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("country_name:N", title=t("intl.country")),
                 alt.Tooltip("direction_label:N", title=t("intl.direction")),
                 alt.Tooltip("label:N", title=t("intl.participants"))],
    ).properties(height=height or max(160, 24 * len(order)))


def durations(frame: pd.DataFrame, height: int | None = None) -> alt.Chart:
    """Mean stay in days per activity type as bars, with the shortest–longest range as a line."""
    data = frame.copy()
    data["activity_label"] = data["activity"].map(lambda a: label("activity", a))
    data["mean_label"] = data["mean_days"].map(lambda v: fmt_number(v, 1))
    data["range_label"] = [f"{fmt_number(lo)}–{fmt_number(hi)}" for lo, hi in zip(data["min_days"], data["max_days"],
                                                                                  strict=True)]
    data["participants_label"] = data["participants"].map(fmt_number)
    tooltip = [alt.Tooltip("activity_label:N", title=t("intl.activity")),
               alt.Tooltip("mean_label:N", title=t("intl.mean_days")),
               alt.Tooltip("range_label:N", title=t("intl.range_days")),
               alt.Tooltip("participants_label:N", title=t("intl.participants"))]
    base = alt.Chart(data).encode(y=alt.Y("activity_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)))
    bars = base.mark_bar(color="#4C78A8").encode(x=alt.X("mean_days:Q", axis=number_axis(t("intl.days"))),
                                                 tooltip=tooltip)
    ranges = base.mark_rule(color="#222222", strokeWidth=2).encode(x="min_days:Q", x2="max_days:Q", tooltip=tooltip)
    return (bars + ranges).properties(height=height or max(160, 56 * len(data)))


def distance_bands(frame: pd.DataFrame, height: int = 280) -> alt.Chart:
    """Participants per Erasmus+ distance band (one-way km), in band order, stacked by direction."""
    data = frame.copy()
    data["band"] = data["distance_band"].map(band_label)
    data["direction_label"] = data["direction"].map(lambda d: label("direction", d))
    data["label"] = data["participants"].map(fmt_number)
    directions = [label("direction", d) for d in DIRECTION_COLOURS]
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("band:N", sort=[band_label(b) for b in DISTANCE_BANDS], title=t("intl.band_axis"),
                axis=alt.Axis(labelAngle=-30, labelFontSize=12, labelOverlap=False)),
        y=alt.Y("participants:Q", axis=number_axis(t("intl.participants")), stack="zero"),
        color=alt.Color("direction_label:N", title=t("intl.direction"),
                        scale=alt.Scale(domain=directions, range=list(DIRECTION_COLOURS.values())),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("band:N", title=t("intl.band")),
                 alt.Tooltip("direction_label:N", title=t("intl.direction")),
                 alt.Tooltip("label:N", title=t("intl.participants"))],
    ).properties(height=height)


def band_label(band: str | None) -> str:
    """"500-1999" -> "500–1.999 km" (numbers in the current language)."""
    if band is None or (isinstance(band, float) and pd.isna(band)):
        return "–"
    if band.endswith("+"):
        return f"{fmt_number(int(band[:-1]))}+ km"
    low, high = band.split("-")
    return f"{fmt_number(int(low))}–{fmt_number(int(high))} km"


def co2e_by_mode(frame: pd.DataFrame, height: int = 280) -> alt.Chart:
    """Travel CO₂e of the outbound trips per travel mode, in tonnes."""
    data = frame.dropna(subset=["co2e_kg"]).copy()
    data["mode_label"] = data["travel_mode"].map(lambda m: label("travel_mode", m))
    data["tonnes"] = data["co2e_kg"] / 1000
    data["label"] = data["tonnes"].map(lambda v: fmt_number(v, 1, "t"))
    data["pkm_label"] = data["person_km"].map(lambda v: fmt_number(v, 0))
    return alt.Chart(data).mark_bar(color="#5F6B73").encode(
        y=alt.Y("mode_label:N", title=None, sort="-x"),
        x=alt.X("tonnes:Q", axis=number_axis(t("intl.co2e_axis"), ",.0f")),
        tooltip=[alt.Tooltip("mode_label:N", title=t("intl.travel_mode")),
                 alt.Tooltip("label:N", title=t("intl.co2e")), alt.Tooltip("pkm_label:N", title=t("intl.person_km"))],
    ).properties(height=height)


def shares(frame: pd.DataFrame, target: dict | None, height: int = 300) -> alt.Chart:
    """Stay-abroad share and green-travel share per year (per cent), with the green-travel target as a dashed line."""
    series = {"stay_abroad_share": t("intl.stay_abroad_share"), "green_travel_share": t("intl.green_travel_share")}
    data = frame.melt(id_vars="year", value_vars=list(series), var_name="series", value_name="share").dropna()
    data["series"] = data["series"].map(series)
    data["percent"] = data["share"] * 100
    data["label"] = data["share"].map(lambda v: fmt_number(v * 100, 1, "%"))
    domain = list(series.values())
    layers = [alt.Chart(data).mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=60)).encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year"))),
        y=alt.Y("percent:Q", axis=number_axis("%", ",.0f")),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=[HEG_RED, "#2E8B57"]),
                        legend=alt.Legend(orient="top", direction="vertical", labelLimit=400)),
        tooltip=[alt.Tooltip("series:N", title=t("chart.series")), alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("label:N", title=t("intl.share"))],
    )]
    if target is not None:
        rule = pd.DataFrame({"percent": [float(target["value"]) * 100],
                             "label": [t("intl.green_target", value=fmt_number(float(target["value"]) * 100, 0, "%"),
                                         year=int(target["year"]))]})
        layers.append(alt.Chart(rule).mark_rule(color=TARGET_GREY, strokeWidth=2).encode(
            y="percent:Q", strokeDash=line_key("label", rule["label"].iloc[0], TARGET_GREY, [6, 4]),
            tooltip=[alt.Tooltip("label:N", title=t("chart.target"))]))
    return alt.layer(*layers).properties(height=height)


_CHARTS = {"participants_by_year": participants_by_year, "by_country": by_country, "durations": durations,
           "distance_bands": distance_bands, "co2e_by_mode": co2e_by_mode, "shares": shares}


def _chart_inputs(kind: str, year: int | None, campus: str | None, choice: str | None) -> tuple:
    """The arguments of the builder ``kind`` for the page's filters, from the cached queries."""
    if kind == "participants_by_year":
        return international.participants_by(choice, campus), choice
    if kind == "shares":
        return international.yearly_shares(campus), kpi_common.target_row("green_travel_share")
    if kind == "co2e_by_mode":
        return (international.travel_co2e(year, campus)["by_mode"],)
    query = {"by_country": international.participants_by_country, "durations": international.durations_by_activity,
             "distance_bands": international.distance_bands}[kind]
    return (query(year, campus),)


@cached
def chart_spec(kind: str, lang: str, year: int | None, campus: str | None, choice: str | None = None) -> dict:
    """The finished Vega-Lite spec of the page chart ``kind`` (a builder above) for the page's filters
    (``year`` None for the charts over every year, "participants_by_year" and "shares", so one spec serves
    every year; ``choice``: the split of "participants_by_year"), cached by them and the data version;
    ``lang`` keys the labels' language.

    Building and validating six Altair charts was most of the page's own time on every rerun. Keyed by the
    filters, not the charts' frames, which Streamlit would hash row by row on each rerun.
    """
    return for_streamlit(finished_spec(_CHARTS[kind](*_chart_inputs(kind, year, campus, choice))))


@cached
def details_columns() -> list[str]:
    """The details table's columns shown by default (headings in the current language)."""
    return [t(key) for key in ("intl.direction", "intl.dim.programme", "intl.partner", "intl.country", "intl.col.start",
                               "intl.days", "intl.participants", "intl.travel_mode", "intl.col.co2e_kg")]


def details_rows(year: int, campus: str | None, lang: str) -> list[dict]:
    """Every mobility starting in ``year`` as the page's table rows: formatted text under translated headings,
    cached by the inputs and the data version (``lang`` keys the language). Formatting the few hundred rows
    took a tenth of a second on every rerun.
    """
    return [{
        t("intl.col.id"): r.exchange_id, t("intl.direction"): label("direction", r.direction),
        t("intl.dim.participant"): label("participant", r.participant), t("intl.dim.programme"):
        label("programme", r.programme), t("intl.campus"): r.campus_id, t("intl.partner"): r.partner,
        t("intl.city"): r.city, t("intl.country"): label("country", r.country),
        t("intl.col.start"): fmt_date(r.start_date, "short"), t("intl.days"): fmt_number(r.days),
        t("intl.activity"): label("activity", r.activity), t("intl.participants"): fmt_number(r.participants),
        t("intl.col.km"): fmt_number(r.km), t("intl.band"): band_label(r.distance_band),
        t("intl.travel_mode"): label("travel_mode", r.travel_mode),
        t("intl.col.green"): t("intl.yes") if r.green_travel else t("intl.no"),
        t("intl.col.co2e_kg"): fmt_number(r.co2e_kg, 0),
    } for r in international.mobility_details(year, campus).itertuples()]
