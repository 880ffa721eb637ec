"""The pages of the app: one list that the router, the tests and the benchmark all read."""

from __future__ import annotations

from heg_dash.config import ROOT

# (page id = url_path, catalogue key of its title, icon), in navigation order. Material Symbols ship with
# Streamlit's frontend, so the icons draw offline and without an emoji font (a kiosk's Chromium has none).
PAGES: tuple[tuple[str, str, str], ...] = (
    ("overblik", "page.overblik", ":material/dashboard:"),
    ("faciliteter", "page.faciliteter", ":material/apartment:"),
    ("energi", "page.energi", ":material/bolt:"),
    ("baeredygtighed", "page.baeredygtighed", ":material/eco:"),
    ("internationalt", "page.internationalt", ":material/public:"),
    ("oekonomi", "page.oekonomi", ":material/payments:"),
    ("data", "page.data", ":material/database:"),
    ("praesentation", "page.praesentation", ":material/tv:"),
    ("tilgaengelighed", "page.tilgaengelighed", ":material/accessibility:"),
)


def link_path(page_id: str) -> str:
    """The path the sidebar's link to a page opens: the overview is the root ("/overblik" is an alias that
    switches to it, one run more); every other page its id."""
    return "" if page_id == PAGES[0][0] else page_id


def page_file(page_id: str):
    return ROOT / "pages" / f"{page_id}.py"


def registered_pages() -> list[str]:
    """The page ids the router registers: those whose file exists, in navigation order."""
    return [page_id for page_id, _, _ in PAGES if page_file(page_id).exists()]
