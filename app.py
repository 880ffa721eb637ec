"""HEG Dashboard router: page config, database on first start, language, sidebar filters, navigation."""

from pathlib import Path

import streamlit as st

from heg_dash.i18n import set_language, t
from heg_dash.store import db, setup
from heg_dash.views import filters, slides, ui
from heg_dash.views.navigation import PAGES, page_file, registered_pages

# A local image, not an emoji or a Material icon: Streamlit draws an emoji favicon with the system's emoji font
# (a box where there is none) and fetches a Material one from fonts.gstatic.com (nothing offline).
FAVICON = Path(__file__).parent / "static" / "favicon.png"
OVERVIEW_ROOT = "start"  # the url_path Streamlit ignores for the default page, which is served at "/"


@st.cache_resource(show_spinner=False)
def _prepare_database(path: str) -> bool:
    """Create and fill the database on first start (once per process and database path)."""
    return setup.ensure_database(path)


ui.freeze_long_lived_objects()  # what earlier runs imported; before this run makes objects of its own
view = filters.from_params(st.query_params.to_dict())
st.set_page_config(page_title="HEG Dashboard", page_icon=FAVICON, layout="wide",
                   initial_sidebar_state="collapsed" if view.present else "auto")
set_language(view.lang)
with st.spinner(t("app.preparing")):
    _prepare_database(str(db.db_path()))

registered = set(registered_pages())
pages = [
    # The overview is the root ("/"); its own id is kept for the alias below.
    st.Page(page_file(page_id), title=t(title_key), icon=icon,
            url_path=OVERVIEW_ROOT if page_id == "overblik" else page_id, default=page_id == "overblik")
    for page_id, title_key, icon in PAGES
    if page_id in registered
]


def _overview_alias() -> None:
    """/overblik (the overview's own name, as a link or a kiosk might use it) opens the overview, view kept."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


pages.append(st.Page(_overview_alias, title=t("page.overblik"), url_path="overblik"))
# One connection for all of a page run's reads (db.session): opening the file costs 5–30 ms, and a cold page
# reads 20–40 times. The file is free again when the run ends; a command-line write waits for it meanwhile.
if view.present:  # the kiosk, on any page's URL (the root included)
    st.navigation(pages, position="hidden")
    ui.page_language(view.lang)
    with db.session(), ui.failure_guard():
        slides.run_kiosk(filters.current())
else:
    navigation = st.navigation(pages, position="hidden")  # drawn below, with links that carry the view
    with st.sidebar:
        st.caption(t("app.tagline"))
    with db.session(), ui.failure_guard():
        navigation.run()  # the page draws the sidebar's filters and links (views.ui.view)
