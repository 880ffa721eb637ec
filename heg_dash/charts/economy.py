"""Altair charts of the Økonomi page: årselever by area against the path, revenue and costs, key ratios,
cost per årselev and building operations. Inputs are one row per year (small); tooltips are text
formatted in pandas with the current language's number format."""

from __future__ import annotations

import altair as alt
import pandas as pd

from heg_dash.charts import HEG_RED, TARGET_GREY, line_key, number_axis, year_axis
from heg_dash.datasets import COST_ITEMS, EDUCATION_AREAS
from heg_dash.i18n import fmt_number, t

# Colours for the five cost purposes and the education areas (HEG red first, then calm tones).
COST_COLOURS = ["#8C1D2B", "#E07B39", "#4C78A8", "#72B7B2", "#B0B7BC"]
AREA_COLOURS = ["#C8102E", "#E07B39", "#4C78A8", "#72B7B2", "#9D7660", "#B0B7BC"]
MILLION = 1_000_000
# The purposes' key: two columns of whole labels (three cut "Management and administration" to "…admini…").
PURPOSE_LEGEND = alt.Legend(orient="top", columns=2, labelLimit=0)


def fmt_mio(dkk: float | None) -> str:
    """DKK as million kroner with one decimal in the current language: 217397000 -> "217,4 mio. kr."."""
    return fmt_number(None if dkk is None else dkk / MILLION, 1, t("economy.unit.mio"))


def aarselever_by_area(by_area: pd.DataFrame, path: pd.DataFrame | None, height: int = 340) -> alt.Chart:
    """Stacked bars of årselever per year by education area, with the target path as a dashed line.

    ``by_area``: year, education_area, aarselever. ``path``: year, target (None for one campus).
    """
    frame = by_area.copy()
    frame["area"] = frame["education_area"].map(lambda a: t("economy.area." + a))
    frame["label"] = frame["aarselever"].map(lambda v: fmt_number(v, 1))
    domain = [t("economy.area." + a) for a in EDUCATION_AREAS]
    years = sorted(set(frame["year"]) | (set(path["year"]) if path is not None else set()))
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year")), scale=alt.Scale(domain=years)),
        y=alt.Y("sum(aarselever):Q", axis=number_axis(t("kpi.aarselever")), stack="zero"),
        color=alt.Color("area:N", title=t("economy.education_area"),
                        scale=alt.Scale(domain=domain, range=AREA_COLOURS), legend=alt.Legend(orient="top")),
        order=alt.Order("education_area:N"),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")), alt.Tooltip("area:N", title=t("economy.education_area")),
                 alt.Tooltip("label:N", title=t("kpi.aarselever"))],
    )
    if path is None or path.dropna(subset=["target"]).empty:
        return bars.properties(height=height)
    line_frame = path.dropna(subset=["target"]).copy()
    line_frame["series"] = t("chart.target_path")
    line_frame["label"] = line_frame["target"].map(lambda v: fmt_number(v, 0))
    line = alt.Chart(line_frame).encode(
        x=alt.X("year:O", scale=alt.Scale(domain=years)),
        y=alt.Y("target:Q"),
        tooltip=[alt.Tooltip("series:N", title=t("chart.series")), alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("label:N", title=t("kpi.aarselever"))],
    )
    # Points as their own layer: a line's overlaid points would make its key entry a filled blob.
    keyed = line.mark_line(color=TARGET_GREY, strokeWidth=3).encode(
        strokeDash=line_key("series", t("chart.target_path"), TARGET_GREY, [6, 4]))
    return (bars + keyed + line.mark_point(filled=True, color=TARGET_GREY)).properties(height=height)


def revenue_and_costs(table: pd.DataFrame, height: int = 340) -> alt.Chart:
    """Costs per year stacked by purpose (million DKK) with revenue as a line over them."""
    costs = table.melt(id_vars="year", value_vars=list(COST_ITEMS), var_name="item", value_name="dkk").dropna()
    costs["purpose"] = costs["item"].map(lambda i: t("economy.item." + i))
    costs["mio"] = costs["dkk"] / MILLION
    costs["label"] = costs["mio"].map(lambda v: fmt_number(v, 1, t("economy.unit.mio")))
    domain = [t("economy.item." + i) for i in COST_ITEMS]
    bars = alt.Chart(costs).mark_bar().encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year"))),
        y=alt.Y("mio:Q", axis=number_axis(t("economy.axis.mio")), stack="zero"),
        color=alt.Color("purpose:N", title=t("economy.purpose"), scale=alt.Scale(domain=domain, range=COST_COLOURS),
                        legend=PURPOSE_LEGEND),
        order=alt.Order("item:N"),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")), alt.Tooltip("purpose:N", title=t("economy.purpose")),
                 alt.Tooltip("label:N", title=t("economy.amount"))],
    )
    revenue = table[["year", "revenue"]].dropna().copy()
    revenue["mio"] = revenue["revenue"] / MILLION
    revenue["label"] = revenue["mio"].map(lambda v: fmt_number(v, 1, t("economy.unit.mio")))
    revenue["series"] = t("economy.item.revenue")
    line = alt.Chart(revenue).encode(
        x="year:O", y="mio:Q",
        tooltip=[alt.Tooltip("series:N", title=t("chart.series")), alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("label:N", title=t("economy.amount"))],
    )
    keyed = line.mark_line(color="#222222", strokeWidth=3).encode(
        strokeDash=line_key("series", t("economy.item.revenue"), "#222222"))
    return (bars + keyed + line.mark_point(filled=True, size=70, color="#222222")).properties(height=height)


def result(table: pd.DataFrame, height: int = 220) -> alt.Chart:
    """The result per year in million DKK: bars above or below zero, labelled with their value (not colour alone)."""
    frame = table[["year", "result"]].dropna().copy()
    frame["mio"] = frame["result"] / MILLION
    frame["label"] = frame["mio"].map(lambda v: fmt_number(v, 1))
    frame["sign"] = frame["mio"].map(lambda v: t("economy.surplus") if v >= 0 else t("economy.deficit"))
    base = alt.Chart(frame).encode(x=alt.X("year:O", axis=year_axis(t("chart.year"))))
    bars = base.mark_bar().encode(
        y=alt.Y("mio:Q", axis=number_axis(t("economy.axis.result_mio"), ",.1f")),
        color=alt.Color("sign:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=[t("economy.surplus"), t("economy.deficit")],
                                        range=["#4C78A8", HEG_RED])),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("label:N", title=t("economy.axis.result_mio"))],
    )
    # Each label outside its bar: above a surplus, below a deficit (inside, black on red could not be read).
    above = base.mark_text(dy=-4, fontSize=13, baseline="bottom").encode(y="mio:Q", text="label:N").transform_filter(
        alt.datum.mio >= 0)
    below = base.mark_text(dy=4, fontSize=13, baseline="top").encode(y="mio:Q", text="label:N").transform_filter(
        alt.datum.mio < 0)
    return (bars + above + below).properties(height=height)


RATIOS = ("overskudsgrad", "likviditetsgrad", "soliditetsgrad", "finansieringsgrad")


def ratio_chart(table: pd.DataFrame, ratio: str, warning: float | None, height: int = 200) -> alt.Chart:
    """One key ratio per year (per cent) with its warning level as a dashed red rule when it has one."""
    frame = table[["year", ratio]].dropna().rename(columns={ratio: "value"})
    frame["label"] = frame["value"].map(lambda v: fmt_number(v, 1, "%"))
    dots = alt.OverlayMarkDef(size=60, color=HEG_RED)
    # At least two points between the axis' ends: a ratio that barely moved showed "58,7" on both ticks.
    low, high = (float(frame["value"].min()), float(frame["value"].max())) if not frame.empty else (0.0, 1.0)
    middle, half = (low + high) / 2, max((high - low) / 2 * 1.2, 1.0)
    line = alt.Chart(frame).mark_line(color=HEG_RED, strokeWidth=3, point=dots).encode(
        x=alt.X("year:O", axis=year_axis(None)),
        y=alt.Y("value:Q", axis=number_axis("%", ",.1f"),
                scale=alt.Scale(zero=False, domain=[middle - half, middle + half]) if warning is None
                else alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("label:N", title=t("economy.ratio." + ratio))],
    )
    chart = line
    if warning is not None:
        rule = pd.DataFrame({"value": [warning], "label": [t("economy.warning_level", limit=fmt_number(warning))]})
        chart = line + alt.Chart(rule).mark_rule(color="#B22222", strokeWidth=2).encode(
            y="value:Q", strokeDash=line_key("label", rule["label"].iloc[0], "#B22222", [5, 3]),
            tooltip=[alt.Tooltip("label:N", title=t("economy.warning"))])
    return chart.properties(height=height)  # named by the card's figure above it (a title repeated it)


def cost_per_aarselev(table: pd.DataFrame, height: int = 320) -> alt.Chart:
    """Cost per årselev per year, stacked by purpose (thousand DKK)."""
    cols = [f"per_aarselev_{c}" for c in COST_ITEMS]
    frame = table.melt(id_vars="year", value_vars=cols, var_name="item", value_name="dkk").dropna()
    frame["item"] = frame["item"].str.removeprefix("per_aarselev_")
    frame["purpose"] = frame["item"].map(lambda i: t("economy.item." + i))
    frame["thousand"] = frame["dkk"] / 1000
    frame["label"] = frame["dkk"].map(lambda v: fmt_number(v, 0, t("economy.unit.dkk")))
    domain = [t("economy.item." + i) for i in COST_ITEMS]
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year"))),
        y=alt.Y("thousand:Q", axis=number_axis(t("economy.axis.thousand_per_aarselev")), stack="zero"),
        color=alt.Color("purpose:N", title=t("economy.purpose"), scale=alt.Scale(domain=domain, range=COST_COLOURS),
                        legend=PURPOSE_LEGEND),
        order=alt.Order("item:N"),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")), alt.Tooltip("purpose:N", title=t("economy.purpose")),
                 alt.Tooltip("label:N", title=t("economy.per_aarselev"))],
    ).properties(height=height)


def building_cost(frame: pd.DataFrame, column: str, title: str, decimals: int, height: int = 220) -> alt.Chart:
    """Building operations cost per year in one unit (per årselev or per m²)."""
    data = frame[["year", column]].dropna().rename(columns={column: "value"})
    data["label"] = data["value"].map(lambda v: fmt_number(v, decimals, t("economy.unit.dkk")))
    dots = alt.OverlayMarkDef(size=60, color=HEG_RED)
    return alt.Chart(data).mark_line(color=HEG_RED, strokeWidth=3, point=dots).encode(
        x=alt.X("year:O", axis=year_axis(None)),
        y=alt.Y("value:Q", axis=number_axis(t("economy.unit.dkk"), ",.0f"), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("year:O", title=t("chart.year")), alt.Tooltip("label:N", title=title)],
    ).properties(height=height, title=title)
