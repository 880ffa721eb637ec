"""Præsentation: compose a slide set for the meeting-room screen, preview a slide at the screen's size, and copy
the kiosk's absolute link."""

import streamlit as st

from heg_dash.i18n import t
from heg_dash.kpis import presentation
from heg_dash.views import filters, slides, ui

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
link = presentation.kiosk_link(st.context.url, filters.to_params(view))
st.subheader(t("present.link"))
st.caption(t("present.link_absolute"))
st.code(link, language=None)
st.link_button(t("present.open"), link, icon=":material/tv:")
st.caption(t("present.hint"))

st.subheader(t("present.preview"))
if not chosen:
    st.info(t("present.no_slides"), icon=":material/slideshow:")
    st.stop()
left, right = st.columns([2, 3])
slide = left.selectbox(t("present.preview_slide"), chosen, format_func=lambda page_id: t("page." + page_id),
                       key="present_preview_slide")
screen = right.segmented_control(t("present.preview_size"), range(len(presentation.SCREENS)), default=0,
                                 format_func=lambda i: "{} × {}".format(*presentation.SCREENS[i]),
                                 key="present_preview_size")
size = presentation.SCREENS[screen or 0]
one = presentation.kiosk_link(st.context.url, filters.to_params(view.with_(slides=(slide,))))
box = 760
st.iframe(slides.preview_html(one, size[0], size[1], t("present.preview"), box), width=box + 4,
          height=round(size[1] * box / size[0]) + 4)
st.caption(t("present.preview_caption", width=size[0], height=size[1]))
