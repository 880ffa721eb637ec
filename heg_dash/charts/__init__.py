"""Altair chart builders: themed, Danish number formats, small aggregated inputs only."""

from __future__ import annotations

import os

import altair as alt
import pandas as pd
from altair.utils import schemapi
from streamlit import dataframe_util

from heg_dash.i18n import d3_label_expr, display_unit, t

# Altair's debug mode validates every schema object as it is created (each encoding, axis, scale …), which
# was about a tenth of a second per page of ten charts. The finished spec is still validated whole when it is
# converted (``to_dict``) in the tests, so an invalid chart still fails there, with a coarser message.
schemapi.disable_debug_mode()

HEG_RED = "#C8102E"
TARGET_GREY = "#5F6B73"
MAX_POINTS = 5000

# What Altair's default theme adds to every spec; st.altair_chart renders with the theme "none" instead.
_DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


# Altair's check of every spec against the Vega-Lite schema: in the tests (tests/conftest.py sets it), not for
# users, where it was a seventh of Økonomi's run (py-spy on the bench's browser part) and finds nothing the tests
# did not.
VALIDATE_SPECS = os.environ.get("HEG_DASH_VALIDATE_SPECS") == "1"


def finished_spec(chart: alt.TopLevelMixin) -> dict:
    """``chart`` as the Vega-Lite dict ``st.altair_chart`` would draw (for ``st.vega_lite_chart``): validated
    when ``VALIDATE_SPECS``, data inline, and without Altair's default-theme view size (a chart's own
    configuration stays), so a spec can be built once and cached by its inputs."""
    spec = chart.to_dict(validate=VALIDATE_SPECS)
    config = spec.get("config", {})
    view = config.get("view", {})
    for key, value in _DEFAULT_VIEW.items():
        if view.get(key) == value:
            del view[key]
    if "view" in config and not view:
        del config["view"]
    if "config" in spec and not config:
        del spec["config"]
    return spec


def for_streamlit(spec: dict) -> dict:
    """``spec`` (a finished spec) with each table among its datasets (a list of rows) as the Arrow bytes
    ``st.vega_lite_chart`` sends for it, converted by Streamlit's own function. Anything else (GeoJSON
    features, which Streamlit leaves in the spec for Vega-Lite) stays for Streamlit to handle as always.

    For a cached spec: Streamlit would otherwise convert every table to a DataFrame and to Arrow again on each
    rerun, after unpickling it row by row from the cache (objects that later cost the garbage collector).
    """
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    return {**spec, "datasets": {
        name: dataframe_util.convert_anything_to_arrow_bytes(rows) if _is_table(rows) else rows
        for name, rows in datasets.items()}}


def _is_table(rows: object) -> bool:
    """Rows as Altair inlines a DataFrame: a list of dicts that are not GeoJSON features."""
    return isinstance(rows, list) and bool(rows) and isinstance(rows[0], dict) and rows[0].get("type") != "Feature"


def number_axis(title: str, fmt: str = ",.0f") -> alt.Axis:
    """A quantitative axis whose labels read Danish (1.800,5) when the UI is Danish; a unit as its title is
    written properly ("m3" -> "m³")."""
    title = display_unit(title)
    expr = d3_label_expr()
    return alt.Axis(title=title, format=fmt, labelExpr=expr) if expr else alt.Axis(title=title, format=fmt)


def year_axis(title: str | None = None) -> alt.Axis:
    return alt.Axis(title=title, format="d", labelAngle=0, tickMinStep=1)


def _long(frame: pd.DataFrame, series: dict[str, str]) -> pd.DataFrame:
    """Wide (year, actual, target) to long (year, series label, value), dropping empty cells."""
    long = frame.melt(id_vars="year", value_vars=list(series), var_name="series", value_name="value")
    long = long.dropna(subset=["value"])
    long["series"] = long["series"].map(series)
    return long


def line_key(field: str, name: str, colour: str, dash: list[int] | None = None) -> alt.StrokeDash:
    """A strokeDash encoding that gives a line or rule of one fixed colour its own entry in the key, drawn as
    the line is (a dashed grey target path shows dashed and grey): Vega-Lite keys only encoded channels.
    ``field`` holds ``name`` on every row of the mark's data."""
    return alt.StrokeDash(f"{field}:N", scale=alt.Scale(domain=[name], range=[dash or [12, 0]]),
                          legend=alt.Legend(title=None, orient="bottom", symbolType="stroke", symbolStrokeColor=colour,
                                            symbolStrokeWidth=3, symbolSize=400, labelLimit=0))


def target_line(frame: pd.DataFrame, y_title: str, fmt: str, actual_label: str, target_label: str,
                height: int = 320) -> alt.Chart:
    """Actual values as a solid line with points beside a dashed target line, per year."""
    long = _long(frame, {"actual": actual_label, "target": target_label})
    colour = alt.Color(
        "series:N", title=None,
        scale=alt.Scale(domain=[actual_label, target_label], range=[HEG_RED, TARGET_GREY]),
        legend=alt.Legend(orient="top", labelLimit=0, symbolType="stroke", symbolStrokeWidth=3, symbolSize=400),
    )
    # The same field and legend on both channels: one key whose target entry is drawn dashed.
    dash = alt.StrokeDash(
        "series:N", scale=alt.Scale(domain=[actual_label, target_label], range=[[1, 0], [6, 4]]),
        legend=alt.Legend(orient="top", labelLimit=0, symbolType="stroke", symbolStrokeWidth=3, symbolSize=400),
    )
    base = alt.Chart(long).encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year"))),
        y=alt.Y("value:Q", axis=number_axis(y_title, fmt), scale=alt.Scale(zero=False)),
        color=colour,
        tooltip=[alt.Tooltip("series:N", title=t("chart.series")), alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("label:N", title=y_title)],
    ).transform_calculate(label=_tooltip_expr(fmt))
    return (base.mark_line(strokeWidth=3).encode(strokeDash=dash) + base.mark_point(filled=True, size=70)).properties(
        height=height
    )


def _tooltip_expr(fmt: str) -> str:
    expr = d3_label_expr()
    formatted = f"format(datum.value, '{fmt}')"
    return expr.replace("datum.label", formatted) if expr else formatted


def aarselever_path(frame: pd.DataFrame, height: int = 320) -> alt.Chart:
    return target_line(frame, t("kpi.aarselever"), ",.0f", t("chart.actual"), t("chart.target_path"), height)


def m2_per_aarselev(frame: pd.DataFrame, height: int = 320) -> alt.Chart:
    return target_line(frame, t("unit.m2_per_aarselev"), ",.1f", t("chart.actual"), t("chart.target"), height)
