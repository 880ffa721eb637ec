"""Overblik: the Strategy 2028 scorecard by focus area, the årselever path and m² per årselev."""

import streamlit as st

from heg_dash import charts
from heg_dash.i18n import fmt_number, get_language, t
from heg_dash.kpis import scorecard
from heg_dash.views import chart_view, ui
from heg_dash.views.downloads import download_button
from heg_dash.views.headlines import top_headlines

f = ui.view()
ui.page_header(t("overview.title", year=f.year), ["activity", "buildings", "indicator_values", "readings"])
areas = scorecard.scorecard(f.year, f.campus, f.lang)
if not scorecard.has_values(areas):
    ui.empty_state(["activity", "buildings", "indicators"])
    st.stop()
top_headlines(f)

st.caption(t("overview.intro"))
with st.container(horizontal=True):
    for status, count in scorecard.status_counts(areas).items():
        ui.status_badge(status, suffix=f" · {count}")
    # The board's status report of what this page shows (generated on click).
    download_button("strategy", f.year, f.campus, "pdf")

for pair_start in range(0, len(areas), 2):
    for column, area in zip(st.columns(2, gap="large"), areas[pair_start:pair_start + 2], strict=False):
        with column:
            st.subheader(t("focus." + area.key))
            st.caption(f"«{area.goal_da}» — {area.source or 'Strategi 2028'}")
            if get_language() == "en" and area.goal_en:
                st.caption(t("overview.gloss", gloss=area.goal_en))
            if not area.tiles:
                st.caption(t("overview.no_measure"))
                continue
            for row_start in range(0, len(area.tiles), 2):
                for col, item in zip(st.columns(2), area.tiles[row_start:row_start + 2], strict=False):
                    with col:
                        ui.tile(item)

left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("overview.path_title"))
    path = scorecard.aarselever_path(f.campus)
    chart_view.chart(charts.aarselever_path(path), t("overview.path_title"))
    needed = path.dropna(subset=["target"])
    if not needed.empty:
        st.caption(t("overview.path_caption", target=fmt_number(needed["target"].iloc[-1]),
                     year=int(needed["year"].iloc[-1])))
with right:
    st.subheader(t("overview.m2_title"))
    chart_view.chart(charts.m2_per_aarselev(scorecard.m2_path(f.campus)), t("overview.m2_title"))
    st.caption(t("overview.m2_caption"))
