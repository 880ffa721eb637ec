"""Bæredygtighed: CO₂e by scope, source and campus against the reduction target; the 17 SDGs with their
indicators, initiatives and the strategy focus areas they serve."""

import datetime as dt

import streamlit as st

from heg_dash import queries
from heg_dash.charts import sustainability as charts
from heg_dash.charts.energy import coarse_meter_list
from heg_dash.i18n import fmt_date, fmt_number, fmt_percent, get_language, localized, t
from heg_dash.importers.sheets import frame_csv
from heg_dash.kpis import sustainability as ks
from heg_dash.metrics.sdg import GOALS
from heg_dash.queries import energy as energy_queries
from heg_dash.queries import sdg as sdg_queries
from heg_dash.queries import sustainability as q
from heg_dash.views import chart_view, ui
from heg_dash.views import savings as savings_view
from heg_dash.views.downloads import download_row

DATASETS = ["readings", "grid_co2", "emission_factors", "exchanges", "indicator_values", "initiatives"]

f = ui.view()
ui.page_header(t("sustain.title", year=f.year), DATASETS)
co2e = ks.co2e_overview(f.year, f.campus)
sdg_values = sdg_queries.sdg_indicator_values()
if not co2e["ledgers"] and sdg_values.empty:
    ui.empty_state(["readings", "emission_factors", "indicators"])
    st.stop()
download_row("sustainability", f.year, f.campus)
campuses = queries.table("campuses")
campus_names = dict(zip(campuses["campus_id"], campuses["name"], strict=True))

# ------------------------------------------------------------------------------------------------ CO₂e
st.header(t("sustain.co2e.title"))
ledger = co2e["ledger"]
if ledger is None:
    st.info(t("sustain.co2e.none", year=f.year), icon=":material/inbox:")
else:
    if co2e["partial"]:
        st.caption(t("sustain.co2e.ytd", day=fmt_date(co2e["last_day"]), previous=f.year - 1))
    tonnes = co2e["tonnes"]
    delta = None
    if co2e["change"] is not None:
        key = "sustain.co2e.vs_same_period" if co2e["partial"] else "sustain.co2e.vs_year"
        delta = t(key, change=fmt_percent(co2e["change"]), year=f.year - 1)
    top = st.columns(4)
    top[0].metric(t("sustain.kpi.total"), fmt_number(co2e["total_location"], 0, "t"), delta=delta,
                  delta_color="inverse", help=t("sustain.kpi.total_help"))
    top[1].metric(t("sustain.kpi.scope1"), fmt_number(tonnes[("location", 1)], 1, "t"),
                  help=t("sustain.kpi.scope1_help"))
    top[2].metric(t("sustain.kpi.scope2_location"), fmt_number(tonnes[("location", 2)], 1, "t"),
                  help=t("sustain.kpi.scope2_location_help"))
    top[3].metric(t("sustain.kpi.scope2_market"), fmt_number(tonnes[("market", 2)], 1, "t"),
                  help=t("sustain.kpi.scope2_market_help"))
    bottom = st.columns(4)
    bottom[0].metric(t("sustain.kpi.scope3"), fmt_number(tonnes[("location", 3)], 1, "t"),
                     help=t("sustain.kpi.scope3_help"))
    bottom[1].metric(t("sustain.kpi.total_market"), fmt_number(co2e["total_market"], 0, "t"),
                     help=t("sustain.kpi.total_market_help"))
    bottom[2].metric(t("sustain.kpi.per_aarselev"), fmt_number(co2e["per_aarselev_kg"], 0, "kg"),
                     help=t("sustain.kpi.per_aarselev_help"))
    bottom[3].metric(t("sustain.kpi.per_m2"), fmt_number(co2e["per_m2_kg"], 1, "kg"), help=t("sustain.kpi.per_m2_help"))

    target = co2e["target"]
    if target is not None and f.campus is None:
        badge, text = st.columns([1, 4], vertical_alignment="center")
        with badge:
            ui.status_badge(co2e["status"])
        with text:
            st.markdown(t("sustain.target.text", value=fmt_number(target["value"], 0, "t"), year=int(target["year"]),
                          reduction=fmt_percent(co2e["target_reduction"], 0),
                          baseline=fmt_number(target["baseline_value"], 0, "t"),
                          baseline_year=int(target["baseline_year"])))
            if co2e["partial"]:
                st.caption(t("sustain.target.partial"))
            elif co2e["path_value"] is not None:
                st.caption(t("sustain.target.path", year=f.year, value=fmt_number(co2e["path_value"], 0, "t")))
    elif f.campus is not None:
        st.caption(t("sustain.target.campus"))

    left, right = st.columns(2)
    breakdown = left.radio(t("sustain.breakdown"), ["source", "scope", "campus"], horizontal=True,
                           format_func=lambda k: t("sustain.breakdown." + k), key="sustain_breakdown")
    method = right.radio(t("sustain.method"), ["location", "market"], horizontal=True,
                         format_func=lambda k: t("sustain.method." + k), key="sustain_method")
    ytd = ks.ytd_end()
    series = q.co2e_series(f.campus, ytd, method, breakdown)
    path = ks.co2e_path_frame(f.campus, method)
    st.subheader(t("sustain.chart.title"))
    chart_view.chart(charts.chart_spec("co2e_bars", f.lang, series, breakdown, path, campus_names,
                                       ytd.year if ytd else None), t("sustain.chart.title"))
    notes = [t("sustain.chart.caption_path")] if not path.empty else []
    if ytd is not None:
        notes.append(t("sustain.chart.caption_ytd", year=ytd.year, day=fmt_date(ytd)))
    if notes:
        st.caption(" ".join(notes))

    if ledger.hours_without_intensity:
        fallback = ledger.fallback
        st.info(t("sustain.note.hours", hours=fmt_number(ledger.hours_without_intensity),
                  total=fmt_number(ledger.hours_with_use),
                  factor=fmt_number(fallback["kg_co2e_per_unit"], 4) if fallback else "–",
                  unit=fallback["unit"] if fallback else "", year=fallback["year"] if fallback else "–"),
                icon=":material/schedule:")
    coarse = energy_queries.coarse_meters("electricity", dt.date(f.year, 1, 1), dt.date(f.year, 12, 31), f.campus)
    if not coarse.empty:
        st.info(t("sustain.note.coarse", meters=coarse_meter_list(coarse)), icon=":material/schedule:")
    for utility, unit, reason in ledger.unconverted:
        st.warning(t("sustain.note.unconverted", source=charts.source_label(utility), unit=unit,
                     reason=t("sustain.note.no_factor") if reason == "no_factor"
                     else t("sustain.note.unit", unit=reason.split(":", 1)[1])), icon=":material/warning:")
    if ledger.trips_without_factor:
        st.warning(t("sustain.note.trips", trips=ledger.trips_without_factor, total=ledger.trips),
                   icon=":material/warning:")

    st.subheader(t("sustain.ledger.title", year=f.year, method=t("sustain.method." + method).lower()))
    rows = ledger.rows[ledger.rows["method"] == method]
    ui.summary_table(charts.ledger_table(rows, campus_names))  # every row visible: the accounts are read in full
    st.download_button(t("sustain.ledger.download"), data=frame_csv(rows),
                       file_name=f"co2e_{f.year}_{method}.csv", mime="text/csv", key="sustain_download")
    with st.expander(t("sustain.method_notes.title")):
        st.markdown(t("sustain.method_notes.body"))
        ui.summary_table(charts.factor_table(ledger.factors_used))

# ------------------------------------------------------------------------------------- initiatives: did they work?
savings_view.section(f)

# ------------------------------------------------------------------------------------------------ SDGs
st.header(t("sustain.sdg.title"))
st.caption(t("sustain.sdg.intro", year=f.year))
if f.campus is not None:
    st.caption(t("sustain.sdg.school_wide"))
goals = ks.sdg_goals(f.year)
if "sdg_goal" not in st.session_state:
    with_content = goals[goals["indicators"] > 0]["goal"]
    st.session_state["sdg_goal"] = int(with_content.iloc[0]) if not with_content.empty else 1


def _select(goal: int) -> None:
    st.session_state["sdg_goal"] = goal


st.html(charts.sdg_tile_css(st.session_state["sdg_goal"]))
for start in range(0, len(GOALS), 6):
    for col, row in zip(st.columns(6), goals.iloc[start:start + 6].itertuples(), strict=False):
        with col, st.container(key=f"sdg_tile_{row.goal}"):
            if row.indicators == 0:  # no trend to tell, and no "· 0 indikatorer"
                count = t("sustain.sdg.count_none")
            else:
                count = t("sustain.sdg.count_one") if row.indicators == 1 else t("sustain.sdg.count", n=row.indicators)
                count = f"{ui.trend_label(row.trend)} · {count}"
            # Title, status and count as one element (sdg_tile_css styles the last line as a caption): as three
            # they made 51 elements of the grid, each a render for a fresh visitor's browser.
            st.markdown(f"**{charts.sdg_tile_title(row.goal)}**\n\n{ui.status_badge_markdown(row.status)}\n\n{count}")
            st.button(t("sustain.sdg.show"), key=f"sdg_pick_{row.goal}", on_click=_select, args=(row.goal,),
                      width="stretch")

goal = st.selectbox(t("sustain.sdg.pick"), [g.number for g in GOALS], key="sdg_goal",
                    format_func=lambda n: f"{n} · {t(f'sustain.sdg.goal.{n}')}")
chosen = goals.set_index("goal").loc[goal]
detail = ks.goal_detail(goal, f.year)
st.subheader(t("sustain.sdg.goal_title", n=goal, name=t(f"sustain.sdg.goal.{goal}")))
badge, trend_text = st.columns([1, 4], vertical_alignment="center")
with badge:
    ui.status_badge(chosen["status"])
trend_text.caption(t("sustain.sdg.goal_rollup", trend=ui.trend_label(chosen["trend"]), n=int(chosen["with_data"])))

st.markdown("#### " + t("sustain.sdg.indicators"))
if not detail["indicators"]:
    st.caption(t("sustain.sdg.no_indicators"))
for start in range(0, len(detail["indicators"]), 2):
    for col, item in zip(st.columns(2), detail["indicators"][start:start + 2], strict=False):
        meta, dec = item["meta"], item["decimals"]
        with col, st.container(border=True):
            st.markdown(f"**{localized(meta, 'name')}**")
            st.caption(t("sustain.sdg.indicator_meta", focus=t("focus." + meta["focus_area"]),
                         target=meta["sdg_target"] or "–"))
            st.markdown(t("sustain.sdg.latest", value=fmt_number(item["latest"], dec, meta["unit"]),
                          year=item["latest_year"] or "–"))
            st.caption(t("sustain.sdg.baseline_target",
                         baseline=fmt_number(meta["baseline_value"], dec, meta["unit"]),
                         baseline_year=int(meta["baseline_year"]),
                         target=fmt_number(meta["target_value"], dec, meta["unit"]),
                         target_year=int(meta["target_year"])))
            ui.status_badge(item["status"])
            st.caption(ui.trend_label(item["trend"]))
            chart_view.chart(charts.chart_spec("indicator_path", f.lang, item["values"], item["path"],
                                               meta["unit"]), localized(meta, "name"), key=meta["indicator_id"])

st.markdown("#### " + t("sustain.sdg.initiatives"))
if detail["initiatives"].empty:
    st.caption(t("sustain.sdg.no_initiatives"))
else:
    ui.summary_table(charts.initiative_table(detail["initiatives"]))

st.markdown("#### " + t("sustain.sdg.focus_areas"))
if detail["focus_areas"].empty:
    st.caption(t("sustain.sdg.no_focus_areas"))
for area in detail["focus_areas"].itertuples():
    st.markdown(f"**{t('focus.' + area.key)}** — *«{area.goal_da}»* ({area.source or 'Strategi 2028'})")
    if get_language() == "en" and area.goal_en:
        st.caption(t("overview.gloss", gloss=area.goal_en))
