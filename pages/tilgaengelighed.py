"""Tilgængelighed: the accessibility statement (tilgængelighedserklæring) Danish law asks of a public body's apps:
what is met, what is not and why, and whom to contact."""

import streamlit as st

from heg_dash import config
from heg_dash.i18n import t
from heg_dash.views import ui

f = ui.view()
st.title(t("a11y.title"))
st.markdown(t("a11y.intro"))
address = config.settings().accessibility_contact
contact = f"[{address}](mailto:{address})" if "@" in address else (address or t("a11y.contact_default"))
for section in ("status", "met", "not_met", "contact", "complaint"):
    st.header(t(f"a11y.{section}_title"), anchor=False)
    st.markdown(t(f"a11y.{section}", contact=contact))
st.caption(t("a11y.prepared"))
