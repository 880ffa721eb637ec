"""The news in words on a page: "Det vigtigste lige nu", the most notable headlines of the year
(``heg_dash.kpis.headlines``), each with a link to the page that shows its figures."""

from __future__ import annotations

import streamlit as st

from heg_dash.i18n import t
from heg_dash.kpis import headlines
from heg_dash.views import filters
from heg_dash.views.ui import literal_markdown


def top_headlines(f: filters.Filters, count: int = 3) -> None:
    """The ``count`` most notable headlines of the view's year and campus, best first, or a line saying that
    nothing stands out."""
    found = headlines.headlines(f.year, f.campus, f.lang)[:count]
    with st.container(key="top_headlines"):
        st.subheader(t("headline.title"))
        if not found:
            st.caption(t("headline.none", year=f.year))
            return
        params = {k: v for k, v in filters.to_params(filters.Filters(campus=f.campus, year=f.year,
                                                                     lang=f.lang)).items()}
        for column, (number, headline) in zip(st.columns(len(found), gap="medium"), enumerate(found, 1),
                                              strict=True):
            with column, st.container(border=True, height="stretch", key=f"headline_{number}"):
                st.markdown(f"##### {number}. {literal_markdown(headline.text)}")
                if headline.slide != "overblik":  # the page this block opens shows those figures itself
                    st.page_link(f"pages/{headline.slide}.py", label=t("headline.open_page",
                                                                      page=t("page." + headline.slide)),
                                 icon=":material/arrow_forward:", query_params=params)
        st.caption(t("headline.caption"))
