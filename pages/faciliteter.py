"""Faciliteter: campus maps coloured by a chosen metric, the building register with energy labels, and
m² per årselev with a what-if for planned buildings and the årselever path."""

import streamlit as st

from heg_dash import queries
from heg_dash.charts import energy as charts
from heg_dash.charts import maps
from heg_dash.datasets import BUILDING_USES, ENERGY_LABELS
from heg_dash.i18n import fmt_number, fmt_percent, t
from heg_dash.queries import facilities as qf
from heg_dash.views import chart_view, ui

f = ui.view()
ui.page_header(t("facilities.title", year=f.year), ["buildings", "building_footprints", "readings", "activity"])
register = qf.register(f.year, f.campus)
if register.empty:
    ui.empty_state(["buildings", "building_footprints"])
    st.stop()

use_names = {u: t(f"facilities.use.{u}") for u in BUILDING_USES}
campuses = queries.table("campuses")
campus_names = dict(zip(campuses["campus_id"], campuses["name"], strict=True))

# ------------------------------------------------------------------------------------------- maps
st.subheader(t("facilities.map_title"))
c1, c2 = st.columns([2, 3])
metric = c1.selectbox(t("facilities.colour_by"), maps.METRICS, format_func=lambda m: t(f"facilities.metric.{m}"),
                      key="fa_metric")
show_all = c2.toggle(t("facilities.show_all"), value=False, key="fa_show_all")
shapes = maps.footprints(qf.footprints(f.campus))
if shapes.empty:
    st.info(t("facilities.no_footprints"), icon=":material/map:")
    st.code(t("empty.cli", dataset="building_footprints"), language="bash")
else:
    check = maps.area_check(shapes, register)
    specs = maps.campus_map_specs(f.year, f.campus, metric, show_all, f.lang)
    for column, (campus_id, spec) in zip(st.columns(max(1, len(specs))), specs, strict=False):
        with column:
            chart_view.chart(spec, t("facilities.map_title"), key=campus_id)
    st.caption(t("facilities.map_caption", year=f.year))
    flagged = check[check["flagged"]].merge(register[["building_id", "name"]], on="building_id")
    for row in flagged.itertuples():
        st.warning(t("facilities.area_warning", building=f"{row.building_id} {row.name}",
                     footprint=fmt_number(row.footprint_m2, 0, "m²"), floors=fmt_number(row.floors),
                     gross=fmt_number(row.gross_m2, 0, "m²"), heated=fmt_number(row.heated_area_m2, 0, "m²"),
                     deviation=fmt_percent(row.deviation, 0)), icon=":material/warning:")
    if flagged.empty:
        st.caption(t("facilities.area_ok"))

# --------------------------------------------------------------------------------- building register
st.subheader(t("facilities.register_title"))
r1, r2, r3, r4 = st.columns([2, 2, 2, 2])
uses = r1.multiselect(t("facilities.col.use"), sorted(set(register["use"])), format_func=lambda u: use_names.get(u, u),
                      key="fa_uses", placeholder=t("facilities.all"))
labels = r2.multiselect(t("facilities.col.label"), [k for k in ENERGY_LABELS if k in set(register["energy_label"])],
                        key="fa_labels", placeholder=t("facilities.all"))
statuses = r3.multiselect(t("facilities.col.status"), sorted(set(register["status"])),
                          format_func=lambda s: t(f"facilities.status.{s}"), key="fa_status",
                          placeholder=t("facilities.all"))
search = r4.text_input(t("facilities.search"), key="fa_search")
rows = qf.filter_register(register, tuple(uses), tuple(labels), tuple(statuses), search)
every_column = st.toggle(t("facilities.all_columns"), key="fa_all_columns")
ui.table(charts.register_table(rows, use_names, campus_names), column_config=charts.register_columns(),
         column_order=charts.register_order(every_column, one_campus=f.campus is not None))
st.caption(t("facilities.register_caption", year=f.year, n=len(rows), total=len(register)))

# ---------------------------------------------------------------------------------- m² per årselev
st.subheader(t("facilities.m2_title"))
w1, w2 = st.columns([2, 3])
planned = w1.toggle(t("facilities.include_planned"), value=True, key="fa_planned")
rates = qf.growth_rates(f.campus)
path = w2.radio(t("facilities.path"), ["trend", "strategy"], horizontal=True, key="fa_path",
                format_func=lambda p: t(f"facilities.path.{p}", rate=fmt_percent(rates[p])))
scenario = qf.m2_scenario(f.campus, planned, path)
if scenario.empty:
    ui.empty_state(["activity"])
else:
    chart_view.chart(charts.m2_scenario(scenario), t("facilities.m2_title"))
    last = scenario.iloc[-1]
    st.caption(t("facilities.m2_caption", year=int(last["year"]), value=fmt_number(last["m2_per_aarselev"], 1, "m²"),
                 elever=fmt_number(last["aarselever"]), area=fmt_number(last["area_m2"], 0, "m²"),
                 target=fmt_number(last["target"], 1, "m²")))
