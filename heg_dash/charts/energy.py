"""Altair charts of the Energi and Faciliteter pages: small aggregated frames in, themed charts out.

Tooltips show text formatted in pandas with the i18n helpers (Danish separators); time axes use UTC
scales over naive local wall-clock times, so a browser in any time zone shows Danish clock times.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from heg_dash.charts import HEG_RED, MAX_POINTS, TARGET_GREY, number_axis
from heg_dash.i18n import fmt_date, fmt_number, fmt_percent, get_language, t

# Official-style energy-label colours (dark green A → red G), used on the map and in the register.
LABEL_COLOURS = {
    "A2020": "#00843D", "A2015": "#2FA84F", "A2010": "#6CBE45", "B": "#B5D334", "C": "#FFF200",
    "D": "#FDB913", "E": "#F37021", "F": "#ED1C24", "G": "#B2102F",
}
SERIES_COLOURS = ["#C8102E", "#1F4E79", "#2E8B57", "#E69F00", "#6A3D9A", "#56B4E9", "#882255", "#D55E00",
                  "#009E73", "#CC79A7", "#7F7F7F", "#DDCC77"]  # apart with red-green colour blindness too
_MONTHS = {
    "da": ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


# Colour and dash keyed by one field with one legend: a single key whose entries are drawn as the lines are.
_STROKE_LEGEND = alt.Legend(orient="top", title=None, symbolType="stroke", symbolStrokeWidth=3, symbolSize=400,
                            labelLimit=0)
_CONSUMPTION_LEGEND = alt.Legend(orient="top", title=None, symbolType="stroke", symbolStrokeWidth=3,
                                 symbolSize=400, labelLimit=320)

def time_axis(res: str, title: str | None = None) -> alt.Axis:
    """A time axis whose labels are in the UI language (Streamlit ignores Vega's time locale)."""
    months = "[" + ", ".join(f"'{m}'" for m in _MONTHS[get_language()]) + "]"
    if res == "year":
        expr = "utcFormat(datum.value, '%Y')"
    elif res == "month":
        expr = f"{months}[utcmonth(datum.value)] + ' ' + utcFormat(datum.value, '%Y')"
    elif res == "hour":
        expr = (f"utchours(datum.value) == 0 ? utcdate(datum.value) + '. ' + {months}[utcmonth(datum.value)] "
                ": utcFormat(datum.value, '%H:%M')")
    else:
        expr = f"utcdate(datum.value) + '. ' + {months}[utcmonth(datum.value)] + ' ' + utcFormat(datum.value, '%y')"
    # Months and years get a tick each at their start: a wide chart (the meeting-room screen) otherwise ticks by the
    # week and labels two ticks of one month the same ("mar. 2025" twice) and the last month not at all.
    ticks = {"month": "month", "year": "year"}.get(res)
    if ticks:
        return alt.Axis(title=title, labelExpr=expr, labelOverlap=True, labelAngle=0, tickCount=ticks)
    return alt.Axis(title=title, labelExpr=expr, labelOverlap=True, labelAngle=0)


def period_label(period: pd.Timestamp, res: str) -> str:
    """How one bucket reads in a tooltip: "2025", "marts 2025", "uge 12, 2025", "5. marts 2025", "… 14:00"."""
    stamp = pd.Timestamp(period)
    if res == "year":
        return str(stamp.year)
    if res == "month":
        return f"{_MONTHS[get_language()][stamp.month - 1]} {stamp.year}"
    if res == "week":
        iso = stamp.isocalendar()
        return t("energy.week_label", week=iso.week, year=iso.year)
    if res == "hour":
        return f"{fmt_date(stamp.date())} {stamp:%H:%M}"
    return fmt_date(stamp.date())


EXPECTED_COLOUR = "#222222"  # the expected use: a dotted near-black line, apart from the series and last year


def consumption(frame: pd.DataFrame, res: str, unit: str, series_names: dict[str, str],
                last_year: pd.DataFrame | None = None, anomalies: pd.DataFrame | None = None,
                height: int = 360, expected: pd.DataFrame | None = None) -> alt.LayerChart:
    """Use per period as lines (one per series); last year's aligned period dashed grey and the expected use
    (``expected``: period, value — the anomaly baseline hour by hour) dotted, each with its legend entry;
    anomalies as red rules with a triangle on top. ``frame``: period, series, value; ``anomalies``: day,
    building_id, excess_kwh (one mark per chart bucket that holds an anomaly day)."""
    data = frame.assign(
        name=frame["series"].map(lambda s: series_names.get(s, s)),
        when=[period_label(p, res) for p in frame["period"]],
        amount=[fmt_number(v, 0, unit) for v in frame["value"]],
    )
    names = list(dict.fromkeys(data["name"]))
    domain, colours, dashes = list(names), SERIES_COLOURS[: len(names)], [[1, 0]] * len(names)
    for reference, name, colour, dash in ((last_year, t("energy.last_year_series"), TARGET_GREY, [6, 4]),
                                          (expected, t("energy.expected_series"), EXPECTED_COLOUR, [2, 3])):
        if reference is None or reference.empty:
            continue
        data = pd.concat([data, reference.assign(
            name=name, when=[period_label(q, res) for q in reference["period"]],
            amount=[fmt_number(v, 0, unit) for v in reference["value"]])], ignore_index=True)
        domain.append(name)
        colours.append(colour)
        dashes.append(dash)
    x = alt.X("period:T", axis=time_axis(res), scale=alt.Scale(type="utc"), title=None)
    base = alt.Chart(data[["period", "value", "name", "when", "amount"]]).encode(
        x=x,
        y=alt.Y("value:Q", axis=number_axis(unit)),
        color=alt.Color("name:N", title=None, scale=alt.Scale(domain=domain, range=colours),
                        legend=_CONSUMPTION_LEGEND),
        strokeDash=alt.StrokeDash("name:N", scale=alt.Scale(domain=domain, range=dashes), legend=_CONSUMPTION_LEGEND),
        tooltip=[alt.Tooltip("name:N", title=t("energy.series")), alt.Tooltip("when:N", title=t("energy.period")),
                 alt.Tooltip("amount:N", title=t("energy.use"))],
    )
    layers = [base.mark_line(strokeWidth=2, point=len(frame) <= 120)]
    if anomalies is not None and not anomalies.empty:
        freq = {"hour": "D", "day": "D", "week": "W", "month": "M", "year": "Y"}[res]
        marks = anomalies.assign(
            period=pd.to_datetime(anomalies["day"]).dt.to_period(freq).dt.start_time,
            text=[f"{b} · {fmt_date(pd.Timestamp(d).date())} · +{fmt_number(x, 0, 'kWh')}"
                  for b, d, x in zip(anomalies["building_id"], anomalies["day"], anomalies["excess_kwh"], strict=True)],
        ).drop_duplicates("period")[["period", "text"]]
        rule = alt.Chart(marks).mark_rule(color=HEG_RED, strokeDash=[2, 2], opacity=0.7).encode(
            x=alt.X("period:T", scale=alt.Scale(type="utc")),
            tooltip=[alt.Tooltip("text:N", title=t("energy.anomaly"))],
        )
        tri = alt.Chart(marks).mark_point(shape="triangle-down", filled=True, size=120, color=HEG_RED,
                                          yOffset=0).encode(
            x=alt.X("period:T", scale=alt.Scale(type="utc")), y=alt.value(6),
            tooltip=[alt.Tooltip("text:N", title=t("energy.anomaly"))],
        )
        layers += [rule, tri]
    return alt.layer(*layers).properties(height=height)


def eui_ranking(frame: pd.DataFrame, height: int | None = None) -> alt.LayerChart:
    """Weighted EUI per building as bars, worst first, with the benchmark for its use as a black tick.
    ``height`` is the step per bar."""
    data = frame.dropna(subset=["eui_weighted"]).copy()
    data["label"] = data["building_id"] + " " + data["name"]
    data["eui_text"] = [fmt_number(v, 1, "kWh/m²") for v in data["eui_weighted"]]
    data["bench_text"] = [fmt_number(v, 1, "kWh/m²") for v in data["bench_weighted"]]
    data["over"] = data["eui_weighted"] > data["bench_weighted"]
    order = data["label"].tolist()
    tooltip = [alt.Tooltip("label:N", title=t("energy.building")),
               alt.Tooltip("eui_text:N", title=t("energy.eui_weighted")),
               alt.Tooltip("bench_text:N", title=t("energy.benchmark"))]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("eui_weighted:Q", axis=number_axis(t("energy.eui_axis"))),
        color=alt.Color("over:N", scale=alt.Scale(domain=[True, False], range=[HEG_RED, "#1F4E79"]),
                        legend=alt.Legend(title=None, orient="top", labelExpr=(
                            f"datum.value ? '{t('energy.over_benchmark')}' : '{t('energy.under_benchmark')}'"))),
        tooltip=tooltip,
    )
    ticks = alt.Chart(data).mark_tick(color="black", thickness=3, size=22).encode(
        y=y, x="bench_weighted:Q", tooltip=tooltip)
    return alt.layer(bars, ticks).properties(height=alt.Step(height or 26))


def share_bars(frame: pd.DataFrame, names: dict[str, str], height: int | None = None) -> alt.Chart:
    """Night and weekend share of each building's electricity, stacked: night (weekdays) and weekend;
    the building with the largest share outside school hours first. ``height`` is the step per bar."""
    rows = []
    for record in frame.itertuples():
        label = f"{record.building_id} {names.get(record.building_id, '')}".strip()
        weekday_night = (record.night_or_weekend or 0) - (record.weekend or 0)
        rows.append((label, t("energy.share_night"), weekday_night, fmt_percent(weekday_night)))
        rows.append((label, t("energy.share_weekend"), record.weekend, fmt_percent(record.weekend)))
    data = pd.DataFrame(rows, columns=["label", "part", "share", "text"])
    order = [f"{b} {names.get(b, '')}".strip() for b in frame.sort_values("night_or_weekend", ascending=False)[
        "building_id"]]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        x=alt.X("share:Q", stack=True, axis=number_axis(t("energy.share_axis"), ".0%")),
        color=alt.Color("part:N", title=None, scale=alt.Scale(range=["#1F4E79", "#E69F00"]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("label:N", title=t("energy.building")), alt.Tooltip("part:N", title=t("energy.part")),
                 alt.Tooltip("text:N", title=t("energy.share"))],
    ).properties(height=alt.Step(height or 26))


def hour_weekday_heatmap(frame: pd.DataFrame, height: int = 260) -> alt.Chart:
    """Mean kWh per local hour (x) and weekday (y): where the building runs when nobody is there."""
    data = frame.assign(
        day=[t(f"energy.weekday.{int(w)}") for w in frame["weekday"]],
        text=[fmt_number(v, 1, "kWh") for v in frame["kwh"]],
    )
    order = [t(f"energy.weekday.{i}") for i in range(1, 8)]
    return alt.Chart(data).mark_rect().encode(
        x=alt.X("hour:O", title=t("energy.hour_of_day"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("day:N", sort=order, title=None),
        color=alt.Color("kwh:Q", title=t("energy.mean_kwh"), scale=alt.Scale(scheme="orangered"),
                        legend=alt.Legend(labelExpr=_legend_expr())),
        tooltip=[alt.Tooltip("day:N", title=t("energy.weekday")), alt.Tooltip("hour:O", title=t("energy.hour")),
                 alt.Tooltip("text:N", title=t("energy.mean_kwh"))],
    ).properties(height=height)


def _legend_expr() -> str:
    from heg_dash.i18n import d3_label_expr

    return d3_label_expr() or "datum.label"


def expected_vs_actual(frame: pd.DataFrame, unit: str = "kWh", height: int = 300) -> alt.LayerChart:
    """One building's daily use against what was expected, flagged days as red points."""
    actual_name, expected_name = t("energy.actual_daily"), t("energy.expected_daily")
    if len(frame) * 2 > MAX_POINTS:  # years of days (a long custom range): weeks, within what a chart may send
        frame = frame.assign(day=pd.to_datetime(frame["day"]).dt.to_period("W").dt.start_time).groupby(
            "day", as_index=False).agg(kwh=("kwh", "sum"), expected_kwh=("expected_kwh", "sum"),
                                       flagged=("flagged", "any"))
    data = frame.assign(
        when=[fmt_date(pd.Timestamp(d).date()) for d in frame["day"]],
        actual_text=[fmt_number(v, 0, unit) for v in frame["kwh"]],
        expected_text=[fmt_number(v, 0, unit) for v in frame["expected_kwh"]],
    )
    long = pd.concat([
        data.assign(series=actual_name, value=data["kwh"]),
        data.assign(series=expected_name, value=data["expected_kwh"]),
    ], ignore_index=True).dropna(subset=["value"])
    x = alt.X("day:T", axis=time_axis("day"), scale=alt.Scale(type="utc"), title=None)
    tooltip = [alt.Tooltip("when:N", title=t("energy.day")), alt.Tooltip("actual_text:N", title=actual_name),
               alt.Tooltip("expected_text:N", title=expected_name)]
    lines = alt.Chart(long).mark_line(strokeWidth=2).encode(
        x=x, y=alt.Y("value:Q", axis=number_axis(unit)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=[actual_name, expected_name],
                                                                range=["#1F4E79", TARGET_GREY]),
                        legend=_STROKE_LEGEND),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=[actual_name, expected_name],
                                                              range=[[1, 0], [5, 3]]), legend=_STROKE_LEGEND),
        tooltip=tooltip,
    )
    flagged = alt.Chart(data[data["flagged"]]).mark_point(filled=True, size=90, color=HEG_RED, shape="diamond").encode(
        x=x, y="kwh:Q", tooltip=tooltip)
    return alt.layer(lines, flagged).properties(height=height)


def m2_scenario(frame: pd.DataFrame, height: int = 340) -> alt.LayerChart:
    """m² per årselev per year: stored years solid, the what-if years dashed, the target as a grey rule."""
    from heg_dash.charts import year_axis

    actual_name, what_if_name, target_name = t("facilities.actual"), t("facilities.what_if"), t("chart.target")
    data = frame.dropna(subset=["m2_per_aarselev"]).copy()
    data["series"] = np.where(data["projected"], what_if_name, actual_name)
    # The what-if line starts at the newest stored year so the two lines join.
    joint = data[~data["projected"]].tail(1).assign(series=what_if_name)
    data = pd.concat([data, joint], ignore_index=True)
    data["text"] = [fmt_number(v, 1, "m²") for v in data["m2_per_aarselev"]]
    data["elever"] = [fmt_number(v, 0) for v in data["aarselever"]]
    data["area_text"] = [fmt_number(v, 0, "m²") for v in data["area_m2"]]
    target = frame["target"].dropna()
    # One key for all three lines: the target is a third series of the same colour and dash scales (its own
    # independent dash scale gave the lines' key twice more, once without symbols).
    domain = [actual_name, what_if_name] + ([target_name] if not target.empty else [])
    colour = alt.Color("series:N", title=None, legend=_STROKE_LEGEND,
                       scale=alt.Scale(domain=domain, range=[HEG_RED, "#1F4E79", TARGET_GREY][:len(domain)]))
    dash = alt.StrokeDash("series:N", legend=_STROKE_LEGEND,
                          scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4], [4, 4]][:len(domain)]))
    base = alt.Chart(data).encode(
        x=alt.X("year:O", axis=year_axis(t("chart.year"))),
        y=alt.Y("m2_per_aarselev:Q", axis=number_axis(t("unit.m2_per_aarselev"), ",.1f"),
                scale=alt.Scale(zero=False)),
        color=colour,
        tooltip=[alt.Tooltip("series:N", title=t("chart.series")), alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("text:N", title=t("unit.m2_per_aarselev")),
                 alt.Tooltip("elever:N", title=t("kpi.aarselever")),
                 alt.Tooltip("area_text:N", title=t("facilities.area_in_use"))],
    )
    layers = [base.mark_line(strokeWidth=3).encode(strokeDash=dash), base.mark_point(filled=True, size=60)]
    if not target.empty:
        rule = pd.DataFrame({"target": [float(target.iloc[0])], "series": [target_name],
                             "text": [fmt_number(float(target.iloc[0]), 1, "m²")]})
        layers.append(alt.Chart(rule).mark_rule(strokeWidth=2).encode(
            y="target:Q", color=colour, strokeDash=dash,
            tooltip=[alt.Tooltip("series:N", title=t("chart.series")),
                     alt.Tooltip("text:N", title=t("unit.m2_per_aarselev"))]))
    return alt.layer(*layers).properties(height=height)


_REGISTER_COLUMNS = ("building_id", "name", "campus", "use", "year_built", "heated_area_m2", "floors", "energy_label",
                     "status", "eui_weighted", "eui_change")


def _label_style(label: object) -> str:
    colour = LABEL_COLOURS.get(str(label))
    if colour is None:
        return ""
    dark_text = str(label) in ("B", "C", "D")
    return f"background-color: {colour}; color: {'#111111' if dark_text else '#FFFFFF'}; font-weight: 700"


def register_table(rows: pd.DataFrame, use_names: dict[str, str], campus_names: dict[str, str]):
    """The building register as a Styler: numbers in the UI's format (sorting stays numeric), energy
    labels on their colour (the label text is always shown too). Show it with ``ui.table``: Streamlit draws
    a missing cell with its placeholder, not with the Styler's formatting."""
    frame = pd.DataFrame({
        "building_id": rows["building_id"], "name": rows["name"],
        "campus": rows["campus_id"].map(lambda c: campus_names.get(c, c)),
        "use": rows["use"].map(lambda u: use_names.get(u, u)), "year_built": rows["year_built"],
        "heated_area_m2": rows["heated_area_m2"], "floors": rows["floors"], "energy_label": rows["energy_label"],
        "status": rows["status"].map(lambda s: t(f"facilities.status.{s}")),
        "eui_weighted": rows["eui_weighted"], "eui_change": rows["eui_change"],
    }, columns=list(_REGISTER_COLUMNS))
    return frame.style.format(formatter={
        "year_built": lambda v: "–" if pd.isna(v) else str(int(v)),
        "heated_area_m2": lambda v: fmt_number(v, 0),
        "floors": lambda v: fmt_number(v, 0),
        "eui_weighted": lambda v: fmt_number(v, 1),
        "eui_change": lambda v: fmt_percent(v),
    }).map(_label_style, subset=["energy_label"])


def coarse_meter_list(coarse: pd.DataFrame) -> str:
    """"HOB-C-FV (døgn), AAR-B-EL (måned)": meters that only have daily or monthly values."""
    return ", ".join(f"{m} ({t('energy.coarse.' + k)})" for m, k in zip(coarse["meter_id"], coarse["kind"],
                                                                        strict=True))


def register_columns() -> dict:
    """Column headers of the register in the UI language; every column as wide as its header and values."""
    import streamlit as st

    return {name: st.column_config.Column(t(f"facilities.reg.{name}")) for name in _REGISTER_COLUMNS}


def register_order(every_column: bool, one_campus: bool) -> list[str]:
    """The register's columns to show: at 1366 px all eleven did not fit (and narrowed, "Campus Aars" and
    "Energimærke" were cut), so year built and floors wait behind a toggle, and the campus column goes when one
    campus is chosen."""
    hidden = (set() if every_column else {"year_built", "floors"}) | ({"campus"} if one_campus else set())
    return [name for name in _REGISTER_COLUMNS if name not in hidden]
