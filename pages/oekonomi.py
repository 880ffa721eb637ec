"""Økonomi: årselever against the Strategy 2028 path, revenue, costs and result, the ministry's key ratios,
cost per årselev and building operations cost."""

import pandas as pd
import streamlit as st

from heg_dash.charts import economy as charts
from heg_dash.datasets import COST_ITEMS
from heg_dash.i18n import fmt_number, fmt_percent, t
from heg_dash.kpis import economy as kpi_economy
from heg_dash.kpis import scorecard
from heg_dash.metrics.economy import WARNING_LIMITS, ratio_warnings
from heg_dash.queries import economy
from heg_dash.views import chart_view, ui

f = ui.view()
ui.page_header(t("economy.title", year=f.year), ["activity", "finance", "buildings", "readings", "energy_prices"])
table = economy.economy_by_year()
by_area = economy.aarselever_by_area(f.campus)
if table.empty and by_area.empty:
    ui.empty_state(["finance", "activity"])
    st.stop()

# --- Årselever against the Strategy 2028 path -------------------------------------------------------------
st.subheader(t("economy.aarselever_title"))
path = scorecard.aarselever_path(f.campus)
school_path = path if f.campus is None else None
cols = st.columns(3)
actual = path.set_index("year")["actual"].get(f.year)
cols[0].metric(t("economy.aarselever_in", year=f.year), fmt_number(actual, 0))
target_row = path[path["year"] == f.year]["target"]
cols[1].metric(t("economy.path_in", year=f.year),
               fmt_number(target_row.iloc[0] if not target_row.empty else None, 0),
               help=t("economy.path_help"))
needed = kpi_economy.aarselever_growth_needed(f.campus)
cols[2].metric(
    t("economy.growth_needed", year=needed["target_year"]) if needed else t("economy.growth_needed_plain"),
    fmt_percent(needed["growth"]) if needed else "–",
    help=t("economy.growth_help"),
)
if not by_area.empty:
    chart_view.chart(charts.aarselever_by_area(by_area, school_path), t("economy.aarselever_title"))
if needed:
    st.caption(t("economy.growth_caption", from_year=needed["from_year"], value=fmt_number(needed["value"], 0),
                 target=fmt_number(needed["target"], 0), target_year=needed["target_year"],
                 growth=fmt_percent(needed["growth"]),
                 path=fmt_percent(needed["path_rate"]) if needed["path_rate"] is not None else "–"))
elif f.campus is not None:
    st.caption(t("economy.campus_no_target"))

# --- Finance (school-wide) ---------------------------------------------------------------------------------
if table.empty:
    ui.empty_state(["finance"])
    st.stop()
if f.campus is not None:
    st.info(t("economy.school_wide"), icon=":material/apartment:")
year_rows = table[table["year"] == f.year]
shown_year = f.year if not year_rows.empty else int(table["year"].max())
if year_rows.empty:
    st.warning(t("economy.no_finance_year", year=f.year, shown=shown_year))
row = table[table["year"] == shown_year].iloc[0]
mio = charts.fmt_mio

st.subheader(t("economy.finance_title", year=shown_year))
cols = st.columns(3)
cols[0].metric(t("economy.item.revenue"), mio(row["revenue"]))
cols[1].metric(t("economy.cost_total"), mio(row["cost_total"]))
cols[2].metric(t("economy.item.result"), mio(row["result"]))
left, right = st.columns([3, 2])
with left:
    chart_view.chart(charts.revenue_and_costs(table), t("economy.finance_title", year=shown_year))
with right:
    chart_view.chart(charts.result(table), t("economy.item.result"))
# The year's costs below both charts, as wide as the page: beside them its last column was cut at 1400 px.
costs = [{t("economy.purpose"): t("economy.item." + item), t("economy.amount"): mio(row[item]),
          t("economy.share"): fmt_percent(row["share_" + item]),
          t("economy.per_aarselev"): fmt_number(row["per_aarselev_" + item], 0, t("economy.unit.dkk"))}
         for item in COST_ITEMS]
ui.summary_table(costs)

# --- Key ratios --------------------------------------------------------------------------------------------
st.subheader(t("economy.ratios_title", year=shown_year))
st.caption(t("economy.ratios_intro"))
ratios = {name: row[name] for name in charts.RATIOS}
warnings = ratio_warnings(ratios)
cols = st.columns(4)
for col, name in zip(cols, charts.RATIOS, strict=True):
    with col, st.container(border=True):
        st.metric(t("economy.ratio." + name), fmt_number(ratios[name], 1, "%"))
        st.caption(t("economy.def." + name))  # the definition, shown: no help icon repeating it
        if name in warnings:
            st.badge(t("economy.below_warning", limit=fmt_number(WARNING_LIMITS[name])), icon=":material/warning:",
                     color="red")
        elif name in WARNING_LIMITS and not pd.isna(ratios[name]):
            st.badge(t("economy.above_warning", limit=fmt_number(WARNING_LIMITS[name])),
                     icon=":material/check_circle:", color="green")
        chart_view.chart(charts.ratio_chart(table, name, WARNING_LIMITS.get(name)), t("economy.ratio." + name))

# --- Cost per årselev and building operations ----------------------------------------------------------------
st.subheader(t("economy.per_aarselev_title"))
st.caption(t("economy.per_aarselev_caption"))
left, right = st.columns([3, 2])
with left:
    chart_view.chart(charts.cost_per_aarselev(table), t("economy.per_aarselev_title"))
with right:
    st.metric(t("economy.cost_per_aarselev_in", year=shown_year),
              fmt_number(row["cost_per_aarselev"], 0, t("economy.unit.dkk")))

st.subheader(t("economy.buildings_title"))
buildings = kpi_economy.building_costs()
st.caption(t("economy.buildings_caption"))
brow = buildings[buildings["year"] == shown_year]
cols = st.columns(2)
with cols[0]:
    st.metric(t("economy.building_per_aarselev", year=shown_year),
              fmt_number(brow["per_aarselev"].iloc[0] if not brow.empty else None, 0, t("economy.unit.dkk")))
    chart_view.chart(charts.building_cost(buildings, "per_aarselev", t("economy.building_per_aarselev_axis"), 0),
                     t("economy.building_per_aarselev_axis"))
with cols[1]:
    st.metric(t("economy.building_per_m2", year=shown_year),
              fmt_number(brow["per_m2"].iloc[0] if not brow.empty else None, 0, t("economy.unit.dkk")))
    chart_view.chart(charts.building_cost(buildings, "per_m2", t("economy.building_per_m2_axis"), 0),
                     t("economy.building_per_m2_axis"))

# --- Energy cost per årselev and per m² ------------------------------------------------------------------------
energy = kpi_economy.energy_cost(shown_year)
st.subheader(t("energycost.title", year=shown_year))
if energy["dkk"] is None:
    st.info(t("energycost.none", year=shown_year))
else:
    cols = st.columns(3)
    cols[0].metric(t("energycost.total"), mio(energy["dkk"]))
    cols[1].metric(t("energycost.per_aarselev"), fmt_number(energy["per_aarselev"], 0, t("economy.unit.dkk")))
    cols[2].metric(t("energycost.per_m2"), fmt_number(energy["per_m2"], 0, t("economy.unit.dkk")))
    st.caption(t("energycost.caption", share=fmt_percent(energy["priced_share"])))
