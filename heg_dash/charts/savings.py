"""The chart of a measured saving: the measured use against the adjusted baseline (what the baseline model
expects without the initiative, for the same weather and days), week by week, with the cumulative saving."""

from __future__ import annotations

import altair as alt
import pandas as pd

from heg_dash.charts import HEG_RED, MAX_POINTS, TARGET_GREY, finished_spec, for_streamlit, number_axis
from heg_dash.charts.energy import period_label, time_axis
from heg_dash.i18n import fmt_number, t
from heg_dash.queries.cache import cached

SAVING_GREEN = "#1B7837"
BAND_GREY = "#C5CCD1"


def weekly(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily (day, actual_kwh, predicted_kwh, uncertainty_kwh) to ISO weeks: week (its Monday), the mean kWh per
    measured day of the measured use and of the adjusted baseline (a week with missing days is not a dip), and at
    the week's end the cumulative avoided kWh (Σ predicted − actual over the days so far) and its 90 % uncertainty."""
    frame = daily.assign(day=pd.to_datetime(daily["day"])).sort_values("day")
    if "uncertainty_kwh" not in frame:
        frame["uncertainty_kwh"] = float("nan")
    frame["cumulative"] = (frame["predicted_kwh"] - frame["actual_kwh"]).cumsum()
    frame["week"] = frame["day"] - pd.to_timedelta(frame["day"].dt.day_of_week, unit="D")
    return frame.groupby("week", as_index=False).agg(
        actual=("actual_kwh", "mean"), baseline=("predicted_kwh", "mean"), cumulative=("cumulative", "last"),
        uncertainty=("uncertainty_kwh", "last"), days=("day", "count"))


def savings_chart(daily: pd.DataFrame, height: int = 300) -> alt.LayerChart:
    """The measured use (solid red) and the adjusted baseline (dashed grey) in kWh per day, weekly means, on the
    left axis; on the right axis the cumulative saving (green area) inside the band of its 90 % uncertainty around
    0 (light grey): a saving that leaves the band is measured. One legend for all four.
    ``daily``: day, actual_kwh, predicted_kwh, uncertainty_kwh (``kpis.savings.Measured.daily``)."""
    weeks = weekly(daily).tail(MAX_POINTS // 4)
    actual, baseline, cumulative, band = (t("savings.chart.actual"), t("savings.chart.baseline"),
                                          t("savings.chart.cumulative"), t("savings.chart.uncertainty"))
    domain = [actual, baseline, cumulative, band]
    legend = alt.Legend(orient="top", labelLimit=0, symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1,
                        symbolSize=300)
    colour = alt.Color("series:N", title=None, legend=legend,
                       scale=alt.Scale(domain=domain, range=[HEG_RED, TARGET_GREY, SAVING_GREEN, BAND_GREY]))
    dash = alt.StrokeDash("series:N", title=None, legend=legend,
                          scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4], [1, 0], [1, 0]]))
    when = [period_label(w, "week") for w in weeks["week"]]
    lines = pd.concat([
        pd.DataFrame({"week": weeks["week"], "series": name, "value": weeks[col], "when": when,
                      "text": [fmt_number(v, 0, t("savings.chart.kwh_per_day")) for v in weeks[col]]})
        for name, col in ((actual, "actual"), (baseline, "baseline"))], ignore_index=True)
    area = pd.DataFrame({"week": weeks["week"], "series": cumulative, "value": weeks["cumulative"], "when": when,
                         "text": [fmt_number(v, 0, "kWh") for v in weeks["cumulative"]]})
    spread = pd.DataFrame({"week": weeks["week"], "series": band, "low": -weeks["uncertainty"],
                           "high": weeks["uncertainty"], "when": when,
                           "text": [f"± {fmt_number(v, 0, 'kWh')}" for v in weeks["uncertainty"]]}).dropna()
    months = time_axis("month")
    months.tickCount = {"interval": "month", "step": 1}  # one tick a month: a short period repeats no month
    x = alt.X("week:T", axis=months, scale=alt.Scale(type="utc"), title=None)
    tooltip = [alt.Tooltip("series:N", title=t("savings.chart.series")),
               alt.Tooltip("when:N", title=t("savings.chart.period")),
               alt.Tooltip("text:N", title=t("savings.chart.value"))]
    right = number_axis(t("savings.chart.cumulative_axis"))
    right.orient = "right"
    saved = alt.Chart(area).mark_area(opacity=0.25, line={"color": SAVING_GREEN, "strokeWidth": 2}).encode(
        x=x, y=alt.Y("value:Q", axis=right), color=colour, strokeDash=dash, tooltip=tooltip)
    layers = [saved]
    if not spread.empty:
        layers.insert(0, alt.Chart(spread).mark_area(opacity=0.6).encode(
            x=x, y=alt.Y("low:Q", axis=right), y2="high:Q", color=colour, strokeDash=dash, tooltip=tooltip))
    use = alt.Chart(lines).mark_line(strokeWidth=2).encode(
        x=x, y=alt.Y("value:Q", axis=number_axis(t("savings.chart.kwh_per_day_axis")), scale=alt.Scale(zero=False)),
        color=colour, strokeDash=dash, tooltip=tooltip)
    return alt.layer(alt.layer(*layers), use).resolve_scale(y="independent").properties(height=height)


@cached
def chart_spec(lang: str, daily: pd.DataFrame) -> dict:
    """The finished spec of ``savings_chart`` for the page, cached by its data and the data version (``lang``
    keys the labels' language)."""
    return for_streamlit(finished_spec(savings_chart(daily)))
