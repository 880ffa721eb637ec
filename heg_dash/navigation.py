"""The pages of the app: one list that the router, the tests and the benchmark all read."""

from __future__ import annotations

from heg_dash.config import ROOT

# (page id = url_path, catalogue key of its title, icon), in navigation order.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("overblik", "page.overblik", "🎯"),
    ("faciliteter", "page.faciliteter", "🏫"),
    ("energi", "page.energi", "⚡"),
    ("baeredygtighed", "page.baeredygtighed", "🌱"),
    ("internationalt", "page.internationalt", "🌍"),
    ("oekonomi", "page.oekonomi", "💰"),
    ("data", "page.data", "🗂️"),
    ("praesentation", "page.praesentation", "📺"),
)


def page_file(page_id: str):
    return ROOT / "pages" / f"{page_id}.py"


def registered_pages() -> list[str]:
    """The page ids the router registers: those whose file exists, in navigation order."""
    return [page_id for page_id, _, _ in PAGES if page_file(page_id).exists()]
