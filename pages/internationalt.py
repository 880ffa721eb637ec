"""Internationalt: mobilities on a flow map from Hobro and Aars, counts, durations, shares, distance bands,
travel CO₂e, and the partner register."""

import streamlit as st

from heg_dash import queries
from heg_dash.charts import international as charts
from heg_dash.charts import maps_world
from heg_dash.i18n import fmt_date, fmt_number, fmt_percent, t
from heg_dash.kpis import common as kpi_common
from heg_dash.kpis import international as kpi_international
from heg_dash.metrics.progress import progress_status
from heg_dash.queries import international
from heg_dash.views import chart_view, ui

f = ui.view()
ui.page_header(t("intl.title", year=f.year), ["exchanges", "partners", "emission_factors", "activity"])
status = queries.store_status()["counts"]
partners = queries.table("partners")
if status["exchanges"] == 0 and partners.empty:
    ui.empty_state(["exchanges", "partners"])
    st.stop()

summary = kpi_international.year_summary(f.year, f.campus)
now, before = summary["current"], summary["previous"]
shares = international.yearly_shares(f.campus).set_index("year")
co2e = international.travel_co2e(f.year, f.campus)
target = kpi_common.target_row("green_travel_share")

# --- Headline figures --------------------------------------------------------------------------------------
if summary["partial"]:
    st.info(t("intl.partial", date=fmt_date(summary["until"])), icon=":material/calendar_month:")
compare = t("intl.vs_same_period") if summary["partial"] else t("intl.vs_last_year")


def delta(key: str) -> str | None:
    change = summary["change"][key]
    return None if change is None else f"{change:+d} {compare}".replace("-", "−")


cols = st.columns(3)
cols[0].metric(t("intl.outbound_students"), fmt_number(now["outbound_students"]), delta("outbound_students"),
               delta_color="off", delta_arrow="off")
cols[1].metric(t("intl.outbound_staff"), fmt_number(now["outbound_staff"]), delta("outbound_staff"),
               delta_color="off", delta_arrow="off")
cols[2].metric(t("intl.inbound"), fmt_number(now["inbound"]), delta("inbound"), delta_color="off",
               delta_arrow="off")
cols = st.columns(3)
with cols[0]:
    st.metric(t("intl.green_travel_share"), fmt_percent(now["green_travel_share"]),
              help=t("intl.green_help"))
    if target is not None and not summary["partial"]:
        ui.status_badge(progress_status(now["green_travel_share"], f.year, target["baseline_value"],
                                        target["baseline_year"], target["value"], target["year"],
                                        target["direction"]))
        st.caption(t("intl.green_target", value=fmt_percent(target["value"], 0), year=int(target["year"])))
stay = shares["stay_abroad_share"].get(f.year) if f.year in shares.index else None
cols[1].metric(t("intl.stay_abroad_share"), fmt_percent(stay), help=t("intl.stay_abroad_help"))
cols[2].metric(t("intl.co2e_total"), fmt_number(co2e["total_t"], 1, "t"),
               help=t("intl.co2e_help"))

# --- The flow map ------------------------------------------------------------------------------------------
st.subheader(t("intl.map_title", year=f.year))
direction = st.segmented_control(
    t("intl.direction"), ["both", "out", "in"], default="both", key="intl_direction",
    format_func=lambda d: t("intl.direction_both") if d == "both" else charts.label("direction", d),
) or "both"
near, far, _ = charts.flow_map_frames(f.year, f.campus, direction)
if near.empty and far.empty:
    st.info(t("intl.no_mobilities", year=f.year), icon=":material/inbox:")
else:
    chart_view.chart(charts.flow_map_spec(f.year, f.campus, direction, f.lang), t("intl.map_title", year=f.year))
    st.caption(t("intl.map_caption"))
    if not far.empty:
        places = far.groupby(["city", "country"], as_index=False)["participants"].sum()
        st.caption(t("intl.off_map", places="; ".join(
            f"{r.city} ({charts.label('country', r.country)}): {fmt_number(r.participants)}"
            for r in places.itertuples())))

# --- Counts ------------------------------------------------------------------------------------------------
st.subheader(t("intl.counts_title"))
left, right = st.columns([3, 2])
with left:
    dimension = st.selectbox(t("intl.split_by"), ["programme", "direction", "participant", "education_area"],
                             format_func=lambda d: t(f"intl.dim.{d}"), key="intl_dimension")
    chart_view.chart(charts.chart_spec("participants_by_year", f.lang, None, f.campus, dimension),
                     t("intl.counts_title"))
with right:
    st.markdown(f"**{t('intl.by_country', year=f.year)}**")
    countries = international.participants_by_country(f.year, f.campus)
    if countries.empty:
        st.caption(t("intl.no_mobilities", year=f.year))
    else:
        chart_view.chart(charts.chart_spec("by_country", f.lang, f.year, f.campus), t("intl.by_country", year=f.year))

# --- Durations, shares -------------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(t("intl.durations_title", year=f.year))
    durations = international.durations_by_activity(f.year, f.campus)
    if durations.empty:
        st.caption(t("intl.no_mobilities", year=f.year))
    else:
        chart_view.chart(charts.chart_spec("durations", f.lang, f.year, f.campus),
                         t("intl.durations_title", year=f.year))
    st.caption(t("intl.durations_caption"))
with right:
    st.subheader(t("intl.shares_title"))
    chart_view.chart(charts.chart_spec("shares", f.lang, None, f.campus), t("intl.shares_title"))
    st.caption(t("intl.stay_abroad_help") + " " + t("intl.green_help"))

# --- Distance bands and travel CO₂e ------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(t("intl.bands_title", year=f.year))
    bands = international.distance_bands(f.year, f.campus)
    if not bands.empty:
        chart_view.chart(charts.chart_spec("distance_bands", f.lang, f.year, f.campus),
                         t("intl.bands_title", year=f.year))
    st.caption(t("intl.bands_caption"))
with right:
    st.subheader(t("intl.co2e_title", year=f.year))
    if co2e["by_mode"].empty:
        st.caption(t("intl.no_mobilities", year=f.year))
    else:
        chart_view.chart(charts.chart_spec("co2e_by_mode", f.lang, f.year, f.campus), t("intl.co2e_title", year=f.year))
    st.caption(t("intl.co2e_help"))
    if co2e["modes_without_factor"]:
        st.warning(t("intl.missing_factor", modes=", ".join(charts.label("travel_mode", m)
                                                            for m in co2e["modes_without_factor"])))

# --- Every mobility of the year ----------------------------------------------------------------------------
st.subheader(t("intl.table_title", year=f.year))
details = international.mobility_details(f.year, f.campus)
if details.empty:
    st.caption(t("intl.no_mobilities", year=f.year))
else:
    # The columns that answer who, where, when and how fit the page at 1366 px; the rest behind a toggle.
    every_column = st.toggle(t("intl.all_columns"), key="intl_all_columns")
    st.dataframe(charts.details_rows(f.year, f.campus, f.lang), hide_index=True, width="stretch", height=320,
                 column_order=None if every_column else charts.details_columns())

# --- Partners ----------------------------------------------------------------------------------------------
st.subheader(t("intl.partners_title"))
if partners.empty:
    ui.empty_state(["partners"])
else:
    left, right = st.columns([3, 2])
    with left:
        chart_view.chart(charts.partner_map_spec(f.lang), t("intl.partners_title"))
        far = maps_world.outside_europe(partners)
        if not far.empty:
            st.caption(t("intl.off_map", places="; ".join(
                f"{r.name}, {r.city} ({charts.label('country', r.country)})" for r in far.itertuples())))
    with right:
        st.dataframe([{
            t("intl.partner"): r.name, t("intl.kind"): charts.label("kind", r.kind), t("intl.city"): r.city,
            t("intl.country"): charts.label("country", r.country), t("intl.since"): str(r.since),
        } for r in partners.itertuples()], hide_index=True, width="stretch", height=520)
