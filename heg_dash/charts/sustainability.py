"""Charts and display tables of the Bæredygtighed page: CO₂e per year against the reduction path, an SDG
indicator against its target path, and the ledger and initiatives as formatted text (Danish numbers)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from heg_dash.charts import (
    MAX_POINTS,
    TARGET_GREY,
    finished_spec,
    for_streamlit,
    line_key,
    number_axis,
    target_line,
    year_axis,
)
from heg_dash.i18n import display_unit, fmt_date, fmt_number, localized_column, t
from heg_dash.queries.cache import cached

# One colour per source, grouped by scope: scope 1 browns, scope 2 blues and red, scope 3 greens and purples.
SOURCE_COLOURS = {
    "gas": "#543005", "oil": "#BF812D",
    "electricity": "#2166AC", "district_heating": "#C8102E",
    "water": "#67A9CF", "travel_air": "#1B7837", "travel_train": "#5AAE61", "travel_bus": "#A6DBA0",
    "travel_car": "#762A83", "travel_mixed": "#9970AB",
}
SCOPE_COLOURS = {1: "#8C510A", 2: "#2166AC", 3: "#1B7837"}
CAMPUS_COLOURS = ["#C8102E", "#2166AC", "#1B7837", "#E69F00", "#762A83"]


def source_label(source: str) -> str:
    return t("sustain.source." + source)


def factor_source_label(source: object) -> str:
    """Where a factor came from, in words: the hourly grid intensity's internal name ("grid_co2 DK1") becomes
    "Elnettets timeværdier (Energinet, DK1)"; a source the school typed stays as typed."""
    text = str(source)
    if text.startswith("grid_co2 "):
        return t("sustain.factor_source.grid", area=text.removeprefix("grid_co2 "))
    return text


def scope_label(scope: int) -> str:
    return t("sustain.scope", scope=scope)


def co2e_bars(series: pd.DataFrame, breakdown: str, path: pd.DataFrame, campus_names: dict[str, str],
              partial_year: int | None, height: int = 360) -> alt.Chart:
    """Stacked bars of tonnes per year by source, scope or campus, with the dashed reduction path on top.

    ``series``: year, key, tonnes (``queries.sustainability.co2e_series``); ``path``: year, tonnes (the
    target path; may be empty). A year to date is drawn lighter and named so in its tooltip.
    """
    frame = series.copy()
    if breakdown == "source":
        frame["label"] = frame["key"].map(source_label)
        domain = [source_label(s) for s in SOURCE_COLOURS if s in set(frame["key"])]
        colours = [SOURCE_COLOURS[s] for s in SOURCE_COLOURS if s in set(frame["key"])]
    elif breakdown == "scope":
        frame["label"] = frame["key"].astype(int).map(scope_label)
        keys = sorted(set(frame["key"].astype(int)))
        domain, colours = [scope_label(k) for k in keys], [SCOPE_COLOURS.get(k, TARGET_GREY) for k in keys]
    else:
        frame["label"] = frame["key"].map(lambda c: campus_names.get(c, c))
        keys = sorted(set(frame["key"]))
        domain = [campus_names.get(k, k) for k in keys]
        colours = [CAMPUS_COLOURS[i % len(CAMPUS_COLOURS)] for i in range(len(keys))]
    frame["order"] = frame["label"].map({label: i for i, label in enumerate(domain)})
    frame["year_text"] = [
        t("sustain.chart.ytd_year", year=y) if y == partial_year else str(y) for y in frame["year"]
    ]
    frame["tonnes_text"] = frame["tonnes"].map(lambda v: fmt_number(v, 1, "t"))
    frame["ytd"] = frame["year"] == partial_year
    years = sorted(set(frame["year"]) | set(path["year"] if not path.empty else []))
    x = alt.X("year:O", axis=year_axis(t("chart.year")), scale=alt.Scale(domain=years))
    bars = alt.Chart(frame.head(MAX_POINTS)).mark_bar().encode(
        x=x,
        y=alt.Y("tonnes:Q", stack="zero", axis=number_axis(t("sustain.chart.tonnes"))),
        color=alt.Color("label:N", title=None, scale=alt.Scale(domain=domain, range=colours),
                        legend=alt.Legend(orient="top", columns=4, labelLimit=260)),
        order=alt.Order("order:Q"),
        opacity=alt.Opacity("ytd:N", scale=alt.Scale(domain=[False, True], range=[1.0, 0.45]), legend=None),
        tooltip=[alt.Tooltip("year_text:N", title=t("chart.year")), alt.Tooltip("label:N", title=t("chart.series")),
                 alt.Tooltip("tonnes_text:N", title=t("sustain.chart.tonnes"))],
    )
    if path.empty:
        return bars.properties(height=height)
    line_frame = path.dropna(subset=["tonnes"]).assign(
        series=t("sustain.chart.path"), tonnes_text=lambda d: d["tonnes"].map(lambda v: fmt_number(v, 0, "t")))
    line = alt.Chart(line_frame).encode(
        x=x, y=alt.Y("tonnes:Q"),
        tooltip=[alt.Tooltip("series:N", title=t("chart.series")), alt.Tooltip("year:O", title=t("chart.year")),
                 alt.Tooltip("tonnes_text:N", title=t("sustain.chart.tonnes"))],
    )
    # Points as their own layer: a line's overlaid points would make its key entry a filled blob.
    keyed = line.mark_line(color=TARGET_GREY, strokeWidth=3).encode(
        strokeDash=line_key("series", t("sustain.chart.path"), TARGET_GREY, [6, 4]))
    return (bars + keyed + line.mark_point(filled=True, color=TARGET_GREY, size=50)).properties(height=height)


def indicator_path(values: pd.DataFrame, path: pd.DataFrame, unit: str, height: int = 220) -> alt.Chart:
    """An indicator's values over time beside the path from its baseline to its target (dashed).

    ``values``: year, value; ``path``: year, target. Decimals follow the data (one when any value has them).
    """
    frame = pd.merge(values.rename(columns={"value": "actual"}), path, on="year", how="outer").sort_values("year")
    # A year with a value but no path point (or the reverse) is NaN in the other column: not a decimal.
    known = frame[["actual", "target"]].stack().dropna()
    decimals = 1 if any(v != round(v) for v in known) else 0
    fmt = ",.1f" if decimals else ",.0f"
    return target_line(frame, unit, fmt, t("chart.actual"), t("sustain.chart.indicator_path"), height)


_CHARTS = {"co2e_bars": co2e_bars, "indicator_path": indicator_path}


@cached
def chart_spec(kind: str, lang: str, *args: object) -> dict:
    """The finished Vega-Lite spec of the page chart ``kind`` (a builder above, given ``args``), cached by its
    inputs and the data version; ``lang`` keys the labels' language. Building and validating the Altair
    charts was most of the page's own time on a rerun; its tables go as Arrow bytes (``for_streamlit``)."""
    return for_streamlit(finished_spec(_CHARTS[kind](*args)))


# -------------------------------------------------------------------------------------- display tables

def ledger_table(rows: pd.DataFrame, campus_names: dict[str, str]) -> pd.DataFrame:
    """The ledger of one period and method as text: scope, source, campus, quantity, factor, its source, tonnes."""
    out = pd.DataFrame({
        t("sustain.col.scope"): rows["scope"].map(lambda s: scope_label(int(s))),
        t("sustain.col.source"): rows["source"].map(source_label),
        t("sustain.col.campus"): rows["campus_id"].map(lambda c: campus_names.get(c, c)),
        t("sustain.col.quantity"): [fmt_number(q, 0, u) for q, u in zip(rows["quantity"], rows["unit"], strict=True)],
        t("sustain.col.factor"): [
            f"{fmt_number(f, 4)} kg/{display_unit(u)}" if pd.notna(f) else "–"
            for f, u in zip(rows["factor"], rows["unit"], strict=True)],
        t("sustain.col.factor_source"): [
            f"{factor_source_label(s)} ({int(y)})" if pd.notna(y) else factor_source_label(s)
            for s, y in zip(rows["factor_source"], rows["factor_year"], strict=True)],
        t("sustain.col.tonnes"): rows["kg"].map(lambda kg: fmt_number(kg / 1000, 1, "t")),
    })
    return out.reset_index(drop=True)


def factor_table(used: tuple) -> pd.DataFrame:
    """The emission factor rows a ledger used: utility, method, year, factor with unit, source."""
    return pd.DataFrame({
        t("sustain.col.source"): [source_label(u) for u, *_ in used],
        t("sustain.col.method"): [t("sustain.method." + m) for _, m, *_ in used],
        t("sustain.col.year"): [str(y) for _, _, y, *_ in used],
        t("sustain.col.factor"): [f"{fmt_number(f, 4)} kg/{display_unit(u)}" for *_, f, u, _ in used],
        t("sustain.col.factor_source"): [factor_source_label(s) for *_, s in used],
    })


def initiative_table(initiatives: pd.DataFrame) -> pd.DataFrame:
    """Initiatives as text: title, owner, status, period (start – end, or "løbende") and focus area."""
    def period(start: object, end: object) -> str:
        first = fmt_date(pd.Timestamp(start).date(), "short") if pd.notna(start) else "–"
        last = fmt_date(pd.Timestamp(end).date(), "short") if pd.notna(end) else t("sustain.initiative.ongoing")
        return f"{first} – {last}"

    return pd.DataFrame({
        t("sustain.col.initiative"): localized_column(initiatives, "title"),
        t("sustain.col.owner"): initiatives["owner"],
        t("sustain.col.status"): initiatives["status"].map(lambda s: t("sustain.initiative." + s)),
        t("sustain.col.period"): [period(s, e) for s, e in zip(initiatives["start_date"], initiatives["end_date"],
                                                               strict=True)],
        t("sustain.col.focus_area"): initiatives["focus_area"].map(lambda k: t("focus." + k)),
    }).reset_index(drop=True)


# Long Danish compounds get a soft hyphen so they break with a hyphen in a narrow tile, not mid-word.
_SOFT_HYPHENS = {"Kvalitetsuddannelse": "Kvalitets\u00aduddannelse", "Ligestilling": "Lige\u00adstilling"}


def sdg_tile_title(goal: int) -> str:
    """"7 · Bæredygtig energi" for a tile, with soft hyphens in words too long for it."""
    name = t(f"sustain.sdg.goal.{goal}")
    for word, hyphenated in _SOFT_HYPHENS.items():
        name = name.replace(word, hyphenated)
    return f"{goal} · {name}"


def sdg_tile_css(selected: int | None) -> str:
    """CSS for the SDG grid: each tile container (key ``sdg_tile_<n>``) in its goal's official colour with the
    text colour that contrasts best; the selected goal outlined. Only our own constants go in, no user data."""
    from heg_dash.metrics.sdg import GOALS, text_colour

    rules = []
    for goal in GOALS:
        sel = f".st-key-sdg_tile_{goal.number}"
        ink = text_colour(goal.colour)
        rules.append(
            f"{sel} {{background: {goal.colour}; border-radius: 0.6rem; padding: 0.7rem 0.8rem; min-height: 12.5rem;"
            f" gap: 0.35rem;}}\n"
            f"{sel} p {{color: {ink} !important;}}\n"
            f"{sel} [data-testid=\"stMarkdownContainer\"] p {{font-size: 1.02rem; line-height: 1.3;}}\n"
            # the tile's last line (trend and count) reads as a caption
            f"{sel} [data-testid=\"stMarkdown\"] p:last-child {{font-size: 0.875rem; font-weight: 500;}}\n"
            # status badges wrap inside a narrow tile instead of being cut off; button labels stay dark on white
            f"{sel} .stMarkdownBadge {{white-space: normal !important; overflow: visible !important;}}\n"
            f"{sel} button p {{color: #1F1F1F !important;}}"
        )
    if selected is not None:
        rules.append(f".st-key-sdg_tile_{selected} {{outline: 0.3rem solid #1F1F1F; outline-offset: 0.2rem;}}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"
