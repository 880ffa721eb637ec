"""Energi: use by utility, building, period and resolution; year-on-year; weather-normalised heat; EUI;
base load and night/weekend share; hour × weekday heat map; anomalies with cost."""

import pandas as pd
import streamlit as st

from heg_dash import config, queries
from heg_dash.charts import MAX_POINTS
from heg_dash.charts import energy as charts
from heg_dash.i18n import fmt_count, fmt_date, fmt_number, fmt_percent, fmt_range, t
from heg_dash.metrics.energy import same_period_last_year
from heg_dash.metrics.resolution import coarsen_resolution
from heg_dash.queries import energy as qe
from heg_dash.queries import energy_analysis as qa
from heg_dash.views import chart_view, energy_period, energy_view, ui
from heg_dash.views.downloads import download_row

UTILITIES = ("electricity", "district_heating", "water", "gas", "solar_pv")
DATASETS = ["readings", "weather", "energy_prices", "benchmarks", "calendar"]

f = ui.view()
ui.page_header(t("energy.title"), DATASETS)
buildings = queries.table("buildings")
scoped = buildings if f.campus is None else buildings[buildings["campus_id"] == f.campus]
scoped = scoped[scoped["status"] != "planned"]
names = dict(zip(buildings["building_id"], buildings["name"], strict=True))
campus_names = dict(zip(*[queries.table("campuses")[c] for c in ("campus_id", "name")], strict=True))
building_ids = [None, *scoped["building_id"].tolist()]

c1, c2, c3 = st.columns([1.2, 1.8, 1.2])
utility = c1.selectbox(t("energy.utility"), UTILITIES, format_func=lambda u: t(f"energy.utility.{u}"),
                       key="en_utility")
building = c2.selectbox(
    t("energy.building"), building_ids, index=building_ids.index(f.building) if f.building in building_ids else 0,
    format_func=lambda b: t("energy.all_buildings") if b is None else f"{b} {names.get(b, '')}", key="en_building")
by = c3.selectbox(t("energy.breakdown"), [None, "campus", "building"],
                  format_func=lambda b: t(f"energy.by.{b or 'total'}"), key="en_by")
# The quick ranges on a row of their own (beside the dates they were cut at 1400 px), dates and resolution below.
chosen = energy_period.choose(f, (st.container(), *st.columns([3, 1])))
if chosen is None:
    ui.empty_state(["meters", "readings"])
    st.stop()
period, f = chosen
first, last = period.first, period.last
f = f.with_(building=building)
ui.sync_url(f)
download_row("energy", last.year, f.campus)
st.caption(t("energy.period_caption", first=fmt_date(first), last=fmt_date(last))
           + (" · " + t("energy.ytd") if period.year_to_date else ""))

# ------------------------------------------------------------------------------------ key figures
ly_first, ly_last = same_period_last_year(first, last)
shift = (first - ly_first).days
this_total = qe.consumption(utility, first, last, "year", f.campus, building)
ly_total = qe.consumption(utility, ly_first, ly_last, "year", f.campus, building)
utility_name = t(f"energy.utility.{utility}")
use_name = t(f"energy.use.{utility}")
if this_total.empty:
    st.info(t("energy.no_use", utility=utility_name), icon=":material/inbox:")
    st.stop()
unit = str(this_total["unit"].iloc[0])
total = float(this_total["value"].sum())
total_ly = float(ly_total["value"].sum()) if not ly_total.empty else None
price = qe.cost(utility, first, last, f.campus, building)
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("energy.in_range", what=use_name, range=period.name), fmt_number(total, 0, unit),
          delta=fmt_percent(total / total_ly - 1) if total_ly else None, delta_color="inverse",
          help=t("energy.yoy_help", first=fmt_date(ly_first), last=fmt_date(ly_last)))
m2.metric(t("energy.in_range", what=t("energy.last_year_total"), range=fmt_range(ly_first, ly_last)),
          fmt_number(total_ly, 0, unit))
if utility == "solar_pv":
    m3.metric(t("energy.cost"), "–", help=t("energy.pv_no_cost"))
else:
    m3.metric(t("energy.in_range", what=t("energy.cost"), range=period.name), fmt_number(price["dkk"], 0, "kr."),
              help=t("energy.cost_help"))
if price["priced_share"] is not None and price["priced_share"] < 0.999 and utility != "solar_pv":
    st.caption(t("energy.cost_partial", share=fmt_percent(price["priced_share"])))
heat = qa.normalised_heat(first, last, f.campus) if utility == "district_heating" and building is None else None
if heat is not None and not heat.empty and heat["normalised_kwh"].notna().all():
    m4.metric(t("energy.normalised"), fmt_number(heat["normalised_kwh"].sum(), 0, "kWh"),
              help=t("energy.normalised_help"))

# ------------------------------------------------------------------- is the use normal? (hourly use only)
against = None
if utility == "electricity" and (last - first).days < 62:
    against = qa.against_expected(utility, first, last, f.campus, building)
    energy_view.is_it_normal(against, use_name, period.name, names)

# ------------------------------------------------------------------------------------ consumption
st.subheader(t("energy.in_range", what=use_name, range=period.name))
lines = qe.series_count(by, f.campus, building) + (1 if by is None else 0)
shown = coarsen_resolution(first, last, period.res, lines, MAX_POINTS)
use = qe.consumption(utility, first, last, shown, f.campus, building, by)
expected = (energy_view.expected_series(against, shown) if against is not None and by is None and shown == "hour"
            else None)
last_year = (qe.consumption(utility, ly_first, ly_last, shown, f.campus, building, None, shift)
             if by is None and expected is None else None)
found = qa.anomalies(first, last, f.campus, building)
marks = found[found["utility"] == utility] if utility in ("electricity", "district_heating") else found.iloc[0:0]
series_names = {"total": t("energy.this_period"), **campus_names, **{b: f"{b} {n}" for b, n in names.items()}}
chart_view.chart(charts.consumption(use, shown, unit, series_names, last_year, marks, expected=expected),
                 t("energy.in_range", what=use_name, range=period.name))
notes = []
if shown != period.res:
    notes.append(t("energy.coarsened", asked=t(f"energy.res.{period.res}"), shown=t(f"energy.res.{shown}"),
                   max=fmt_number(MAX_POINTS)))
coarse = qe.coarse_meters(utility, first, last, f.campus, building)
if shown == "hour" and not coarse.empty:
    notes.append(t("energy.coarse_hours", meters=charts.coarse_meter_list(coarse)))
if last_year is not None:
    notes.append(t("energy.yoy_caption", first=fmt_date(ly_first), last=fmt_date(ly_last)))
if expected is not None:
    notes.append(t("energy.normal.caption"))
if not marks.empty:
    notes.append(t("energy.marks_caption"))
st.caption(" ".join(notes))

# ------------------------------------------------------------------------------- normalised heat
if utility == "district_heating" and heat is not None and not heat.empty:
    st.subheader(t("energy.heat_title"))
    settings = config.settings()
    table = pd.DataFrame({
        t("energy.campus"): heat["campus_id"].map(campus_names),
        t("energy.actual_heat"): [fmt_number(v, 0, "kWh") for v in heat["kwh"]],
        t("energy.dd_actual"): [fmt_number(v, 0) for v in heat["dd_actual"]],
        t("energy.dd_normal"): [fmt_number(v, 0) for v in heat["dd_normal"]],
        t("energy.normalised_heat"): [fmt_number(v, 0, "kWh") for v in heat["normalised_kwh"]],
    })
    ui.summary_table(table)
    st.caption(t("energy.heat_caption", dd=fmt_number(settings.normal_degree_days),
                 w=fmt_percent(settings.hot_water_share, 0)))

# ------------------------------------------------------------------------------------------- EUI
# A yearly figure: of the year the period ends in (year to date while that year is not over).
eui_year = last.year
eui_partial = eui_year == period.last_data.year and (period.last_data.month, period.last_data.day) != (12, 31)
st.subheader(t("energy.eui_title", year=eui_year) + (f" – {t('energy.range.ytd').lower()}" if eui_partial else ""))
eui = qe.building_eui(eui_year, f.campus)
if building:
    eui = eui[eui["building_id"] == building]
if eui.empty:
    st.caption(t("energy.eui_none"))
else:
    # Chart and table one above the other: beside the chart the table's columns were cut at 1366 px.
    left = right = st.container()
    chart_view.chart(charts.eui_ranking(eui), t("energy.eui_title", year=eui_year), where=left)
    register = pd.DataFrame({
        "#": eui["rank"],
        t("energy.building"): eui["building_id"],
        t("energy.eui_el"): [fmt_number(v, 1) for v in eui["eui_electricity"]],
        t("energy.eui_heat"): [fmt_number(v, 1) for v in eui["eui_heat"]],
        t("energy.eui_weighted"): [fmt_number(v, 1) for v in eui["eui_weighted"]],
        t("energy.benchmark"): [fmt_number(v, 1) for v in eui["bench_weighted"]],
    })
    right.dataframe(register, hide_index=True, width="stretch")
    sources = sorted(set(eui["bench_source"].dropna()))
    st.caption(t("energy.eui_caption", sources="; ".join(sources) or "–")
               + (" " + t("energy.ytd_eui") if eui_partial else ""))

# ------------------------------------------------------------------ base load, night and weekend use
st.subheader(t("energy.in_range", what=t("energy.profile_title"), range=period.name))
profiles = qa.load_profiles(first, last, f.campus, building)
if profiles.empty:
    st.caption(t("energy.no_hourly"))
else:
    left = right = st.container()  # one above the other, as above
    chart_view.chart(charts.share_bars(profiles, names), t("energy.profile_title"), where=left)
    right.dataframe(pd.DataFrame({
        t("energy.building"): profiles["building_id"],
        t("energy.base_load"): [fmt_number(v, 1, "kW") for v in profiles["base_load_kw"]],
        t("energy.share_night_col"): [fmt_percent(v) for v in profiles["night"]],
        t("energy.share_weekend_col"): [fmt_percent(v) for v in profiles["weekend"]],
        t("energy.share_outside"): [fmt_percent(v) for v in profiles["night_or_weekend"]],
    }), hide_index=True, width="stretch")
    st.caption(t("energy.profile_caption"))
    coarse_el = qe.coarse_meters("electricity", first, last, f.campus, building)
    if not coarse_el.empty:
        st.caption(t("energy.coarse_profile", meters=charts.coarse_meter_list(coarse_el)))
    st.markdown(f"**{t('energy.heatmap_title')}**")
    chart_view.chart(charts.hour_weekday_heatmap(qe.hour_weekday_profile("electricity", first, last, f.campus,
                                                                         building)), t("energy.heatmap_title"))

# -------------------------------------------------------------------------------------- anomalies
st.subheader(t("energy.in_range", what=t("energy.anomalies_title"), range=period.name))
if found.empty:
    st.success(t("energy.no_anomalies"), icon=":material/check_circle:")
else:
    summary = qa.anomaly_summary(found)
    st.warning(t("energy.anomalies_summary", days=fmt_count("days", len(found)),
                 buildings=fmt_count("buildings", summary["building_id"].nunique()),
                 kwh=fmt_number(found["excess_kwh"].sum(), 0, "kWh"),
                 dkk=fmt_number(found["excess_dkk"].sum(), 0, "kr.")), icon=":material/warning:")
    ui.summary_table(pd.DataFrame({
        t("energy.building"): summary["building_id"] + " " + summary["building_id"].map(names),
        t("energy.utility"): summary["utility"].map(lambda u: t(f"energy.utility.{u}")),
        t("energy.days"): summary["days"],
        t("energy.from"): [fmt_date(d) for d in summary["first"]],
        t("energy.to"): [fmt_date(d) for d in summary["last"]],
        t("energy.excess_kwh"): [fmt_number(v, 0, "kWh") for v in summary["excess"]],
        t("energy.excess_dkk"): [fmt_number(v, 0, "kr.") for v in summary["dkk"]],
    }))
    with st.expander(t("energy.anomaly_days", n=len(found))):
        st.dataframe(pd.DataFrame({
            t("energy.day"): [fmt_date(d) for d in found["day"]],
            t("energy.building"): found["building_id"] + " " + found["building_id"].map(names),
            t("energy.utility"): found["utility"].map(lambda u: t(f"energy.utility.{u}")),
            t("energy.use"): [fmt_number(v, 0, "kWh") for v in found["kwh"]],
            t("energy.expected"): [fmt_number(v, 0, "kWh") for v in found["expected_kwh"]],
            t("energy.excess_kwh"): [fmt_number(v, 0, "kWh") for v in found["excess_kwh"]],
            t("energy.excess_dkk"): [fmt_number(v, 0, "kr.") for v in found["excess_dkk"]],
        }), hide_index=True, width="stretch")
    choices = [f"{u}|{b}" for u, b in zip(summary["utility"], summary["building_id"], strict=True)]
    chosen = st.selectbox(t("energy.anomaly_pick"), choices, key="en_anomaly",
                          format_func=lambda c: f"{c.split('|')[1]} {names.get(c.split('|')[1], '')} · "
                                                f"{t('energy.utility.' + c.split('|')[0])}")
    a_utility, a_building = chosen.split("|")
    chart_view.chart(charts.expected_vs_actual(qa.daily_expected(a_utility, a_building, first, last)),
                     t("energy.anomalies_title"))
st.caption(t("energy.anomalies_caption"))
