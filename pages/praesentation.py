"""Præsentation: compose a slide set for the meeting-room screen and copy its link."""

import streamlit as st

from heg_dash.i18n import t
from heg_dash.kpis import presentation
from heg_dash.views import filters, ui

f = ui.view()
st.title(t("present.title"))
st.caption(t("present.intro"))
chosen = st.multiselect(t("present.slides"), list(presentation.SLIDE_IDS), default=list(presentation.SLIDE_IDS),
                        format_func=lambda page_id: t("page." + page_id), key="present_slides")
interval = st.number_input(t("present.interval"), min_value=5, max_value=3600, value=30, step=5,
                           key="present_interval")
lang = st.radio(t("present.language"), ["da", "en"], format_func=lambda c: {"da": "Dansk", "en": "English"}[c],
                horizontal=True, key="present_lang")
# No year in the link: the screen follows the newest complete year as data arrive.
view = filters.Filters(campus=f.campus, present=True, slides=tuple(chosen), interval=int(interval), lang=lang)
link = "/?" + "&".join(f"{k}={v}" for k, v in filters.to_params(view).items())
st.subheader(t("present.link"))
st.code(link, language=None)
st.link_button(t("present.open"), link)
st.caption(t("present.hint"))
