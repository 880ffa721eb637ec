"""The kiosk's charts: each slide shows its page's own chart — the same builder, inputs, colours and words as the
page's default view — scaled for a screen across the room (``for_screen``).

``slide_spec`` is cached by slide, year, campus and language (and the data version); ``for_screen`` only copies the
finished spec with a height and type sizes for the viewport, so a resized screen costs no query.
"""

from __future__ import annotations

from heg_dash import queries
from heg_dash.charts import MAX_POINTS, finished_spec, for_streamlit
from heg_dash.i18n import t
from heg_dash.queries.cache import cached

# The reference screen: at 1920 × 1080 axis labels are 22 px and legends 22 px; other screens scale with their
# height (a 720p TV has bigger pixels, a 4K one smaller), so the chart reads the same from across the room.
REFERENCE_HEIGHT = 1080
AXIS_LABEL_PX = 22
AXIS_TITLE_PX = 24
LEGEND_PX = 22
MARK_TEXT_PX = 22
CHART_SHARE = 0.53  # of the screen's height
# Which page chart each slide shows.
SLIDE_CHARTS = {"overblik": "aarselever_path", "faciliteter": "m2_scenario", "energi": "consumption",
                "baeredygtighed": "co2e_bars", "internationalt": "participants_by_year", "oekonomi": "result"}


def _aarselever_path(year: int, campus: str | None):
    from heg_dash.charts import aarselever_path
    from heg_dash.kpis import scorecard

    path = scorecard.aarselever_path(campus)
    return aarselever_path(path) if path["actual"].notna().any() else None


def _m2_scenario(year: int, campus: str | None):
    from heg_dash.charts.energy import m2_scenario
    from heg_dash.queries import facilities

    scenario = facilities.m2_scenario(campus, True, "trend")  # the Faciliteter page's defaults
    return None if scenario.empty else m2_scenario(scenario)


def _consumption(year: int, campus: str | None):
    """The Energi page's opening chart: electricity per month of the year, last year dashed, anomalies marked."""
    from heg_dash.charts.energy import consumption
    from heg_dash.metrics.energy import same_period_last_year
    from heg_dash.metrics.resolution import coarsen_resolution
    from heg_dash.queries import energy as qe
    from heg_dash.queries import energy_analysis as qa

    period = qe.view_period(year, None, None)
    if period is None:
        return None
    first, last = period
    ly_first, ly_last = same_period_last_year(first, last)
    shown = coarsen_resolution(first, last, "month", 1, MAX_POINTS)
    use = qe.consumption("electricity", first, last, shown, campus, None, None)
    if use.empty:
        return None
    last_year = qe.consumption("electricity", ly_first, ly_last, shown, campus, None, None, (first - ly_first).days)
    found = qa.anomalies(first, last, campus, None)
    marks = found[found["utility"] == "electricity"]
    unit = str(use["unit"].iloc[0])
    return consumption(use, shown, unit, {"total": t("energy.this_period")}, last_year, marks)


def _co2e_bars(year: int, campus: str | None):
    from heg_dash.charts.sustainability import co2e_bars
    from heg_dash.kpis import sustainability as ks
    from heg_dash.queries import sustainability as q

    ytd = ks.ytd_end()
    series = q.co2e_series(campus, ytd, "location", "source")  # the Bæredygtighed page's defaults
    if series.empty:
        return None
    campuses = queries.table("campuses")
    names = dict(zip(campuses["campus_id"], campuses["name"], strict=True))
    return co2e_bars(series, "source", ks.co2e_path_frame(campus, "location"), names, ytd.year if ytd else None)


def _participants(year: int, campus: str | None):
    from heg_dash.charts.international import participants_by_year
    from heg_dash.queries import international

    frame = international.participants_by("direction", campus)  # the page's split by direction
    return None if frame.empty else participants_by_year(frame, "direction")


def _result(year: int, campus: str | None):
    from heg_dash.charts.economy import result
    from heg_dash.queries import economy

    table = economy.economy_by_year()
    return None if table.empty or table["result"].isna().all() else result(table)


_BUILDERS = {"aarselever_path": _aarselever_path, "m2_scenario": _m2_scenario, "consumption": _consumption,
             "co2e_bars": _co2e_bars, "participants_by_year": _participants, "result": _result}


@cached
def slide_spec(slide_id: str, year: int, campus: str | None, lang: str) -> dict | None:
    """The finished Vega-Lite spec of the slide's page chart (None without data); ``lang`` keys the words."""
    kind = SLIDE_CHARTS.get(slide_id)
    chart = _BUILDERS[kind](year, campus) if kind else None
    return None if chart is None else for_streamlit(finished_spec(chart))


def chart_height(viewport_height: int) -> int:
    """The main chart's height in pixels: ``CHART_SHARE`` of the screen's height."""
    return round(CHART_SHARE * viewport_height)


def _dash(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, int | float) for v in value)


def _dash_scaled(dash: list, scale: float) -> list:
    return [round(v * max(1.0, 1.5 * scale), 1) for v in dash]


def _scaled(node: object, scale: float) -> object:
    """A copy of a spec's part with explicit type sizes set for the screen and lines and points scaled."""
    if isinstance(node, list):
        return [_scaled(item, scale) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "datasets":
            out[key] = value  # data (Arrow bytes or rows) stay as they are
        elif key in ("labelFontSize", "fontSize") and isinstance(value, int | float):
            out[key] = round(max(value, MARK_TEXT_PX) * scale)
            if key == "fontSize":  # a text mark's offsets grow with its type
                for offset in ("dx", "dy"):
                    if isinstance(node.get(offset), int | float):
                        out[offset] = round(node[offset] * out[key] / value)
        elif key == "titleFontSize" and isinstance(value, int | float):
            out[key] = round(AXIS_TITLE_PX * scale)
        elif key == "strokeWidth" and isinstance(value, int | float):
            out[key] = round(value * max(1.0, 1.5 * scale), 1)
        elif key == "labelLimit" and isinstance(value, int | float):
            out[key] = 0  # a page's limit was set for its own type size: on the screen nothing is cut off
        elif key == "strokeDash" and _dash(value):
            out[key] = _dash_scaled(value, scale)
        elif key == "range" and isinstance(value, list) and value and all(_dash(v) for v in value):
            out[key] = [_dash_scaled(v, scale) for v in value]  # a strokeDash scale's dash patterns
        elif key == "size" and isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = round(value * 2.5 * scale * scale)
        elif key not in out:
            out[key] = _scaled(value, scale)
    return out


def for_screen(spec: dict, viewport_height: int) -> dict:
    """``spec`` for a screen ``viewport_height`` pixels high: the chart ``chart_height`` tall, axis labels
    ``AXIS_LABEL_PX`` (22 px at 1080p, scaled with the height), legends and text marks as large, lines and
    points thicker, drawn as SVG (so the type is real text a test can measure). Colours and data untouched."""
    scale = viewport_height / REFERENCE_HEIGHT
    out = _scaled(spec, scale)
    config = dict(out.get("config") or {})
    config["axis"] = {**config.get("axis", {}), "labelFontSize": round(AXIS_LABEL_PX * scale),
                      "titleFontSize": round(AXIS_TITLE_PX * scale), "labelLimit": 0, "titlePadding": 12 * scale}
    config["legend"] = {**config.get("legend", {}), "labelFontSize": round(LEGEND_PX * scale),
                        "titleFontSize": round(LEGEND_PX * scale), "symbolSize": round(260 * scale * scale),
                        "labelLimit": 0, "rowPadding": 6 * scale}
    config["title"] = {**config.get("title", {}), "fontSize": round(AXIS_TITLE_PX * scale)}
    out["config"] = config
    out["height"] = chart_height(viewport_height)
    usermeta = dict(out.get("usermeta") or {})
    usermeta["embedOptions"] = {**usermeta.get("embedOptions", {}), "renderer": "svg"}
    out["usermeta"] = usermeta
    return out

