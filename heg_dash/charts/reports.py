"""Yearly headline charts for the reports: one bar per year and series, built from KPI history.

Used for the sections (CO₂e, mobilities, result, energy) whose charts in the report come from the KPI
object's yearly values; themed and with Danish axis labels like every page chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from heg_dash.charts import HEG_RED, TARGET_GREY, number_axis, year_axis
from heg_dash.i18n import t

# Colours for up to five series, HEG red first; never the only carrier of meaning (the legend names them).
SERIES_COLOURS = [HEG_RED, TARGET_GREY, "#E8A33D", "#2E7D9A", "#7A9A3A"]


def yearly_bars(frame: pd.DataFrame, series: dict[str, str], y_title: str, fmt: str = ",.0f",
                stacked: bool = True, height: int = 240) -> alt.Chart:
    """Bars per year for the ``series`` columns (column -> legend label), stacked or side by side."""
    columns = [c for c in series if c in frame.columns]
    long = frame.melt(id_vars="year", value_vars=columns, var_name="series", value_name="value").dropna(
        subset=["value"])
    long["series"] = long["series"].map(series)
    labels = [series[c] for c in columns]
    colour = alt.Color("series:N", title=None, sort=labels,
                       scale=alt.Scale(domain=labels, range=SERIES_COLOURS[:len(labels)]),
                       legend=alt.Legend(orient="top", labelLimit=0))
    encoding = {
        "x": alt.X("year:O", axis=year_axis(t("chart.year"))),
        "y": alt.Y("value:Q", axis=number_axis(y_title, fmt), stack="zero" if stacked else None),
        "color": colour,
        "order": alt.Order("series_order:Q"),
    }
    if not stacked:
        encoding["xOffset"] = alt.XOffset("series:N", sort=labels)
    long["series_order"] = long["series"].map({label: i for i, label in enumerate(labels)})
    return alt.Chart(long).mark_bar().encode(**encoding).properties(height=height)
