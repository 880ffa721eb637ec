"""One AppTest over every page registered in app.py: Danish and English, sample data and empty database, on DuckDB
and (in Danish) on PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from heg_dash.i18n import MISSING
from heg_dash.views.navigation import registered_pages

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


# What each page must show with sample data, beyond "no exception": element kinds that must be present.
# Pages that show no dataset of their own: no sample badge, no empty state.
PAGES_WITHOUT_DATA = ("data", "praesentation", "tilgaengelighed")
KEY_ELEMENTS: dict[str, list[str]] = {
    "overblik": ["metric", "vega_lite_chart", "download_button"],
    "faciliteter": ["vega_lite_chart", "dataframe", "warning"],
    "energi": ["metric", "vega_lite_chart", "dataframe", "download_button"],
    "oekonomi": ["metric", "vega_lite_chart", "table"],
    "internationalt": ["metric", "vega_lite_chart", "dataframe"],
    "baeredygtighed": ["metric", "vega_lite_chart", "table", "button", "download_button"],
    "data": ["tab", "table", "download_button"],  # the quality tab's metrics: tests/test_data_page.py
}
# Pages whose tables are all short and read in full show them as static tables, no grid: a grid makes a fresh
# browser load 0.5 MB more JavaScript before the page is drawn (issue 20's speed target).
WITHOUT_GRID = ("oekonomi", "baeredygtighed")


def run_page(page: str, lang: str, extra: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in (extra or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overblik":
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def _assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _assert_missing_cells_read_as_a_dash(at: AppTest, page: str) -> None:
    """A table with an empty cell must set the placeholder, or Streamlit shows its grey English "None"."""
    for table in at.dataframe:
        if table.value.isna().any().any():
            assert table.proto.placeholder == MISSING, f"{page}: a missing value would read 'None'"
    for table in at.table:  # a static table has no placeholder: its missing cells are written as the dash
        assert not table.value.isna().any().any(), f"{page}: a missing value would read 'None'"


# st.table reads every cell and header as markdown: "31. oktober 2026" alone is an ordered list's item (drawn as
# "31." in the list's margin), and *, _, [, <, $, ~, & and : format, link or turn into icons. What a summary table
# shows must arrive with those escaped.
READ_AS_MARKDOWN = re.compile(r"^\s*(\d+[.)](\s|$)|[-+*#>=]|\s{4})|(?<!\\)[`*_\[\]<>~$&:]")


def _assert_tables_are_read_literally(at: AppTest, page: str) -> None:
    for table in at.table:
        cells = [v for v in table.value.to_numpy().ravel() if isinstance(v, str)]
        texts = [str(c) for c in table.value.columns] + cells
        formatted = [text for text in texts if READ_AS_MARKDOWN.search(text)]
        assert not formatted, f"{page}: drawn as markdown: {formatted[:3]}"


# Every page in both languages on DuckDB, and in Danish on PostgreSQL (the same queries; the language changes no SQL).
ON_ENGINES = pytest.mark.parametrize(("lang", "engine"), [("da", "duckdb"), ("en", "duckdb"), ("da", "postgresql")],
                                     indirect=["engine"])


@ON_ENGINES
@pytest.mark.parametrize("page", registered_pages())
def test_page_with_sample_data(sample_db, page, lang):
    at = run_page(page, lang)
    _assert_no_exception(at)
    assert at.title, "every page has a title"
    for kind in KEY_ELEMENTS.get(page, []):
        assert at.get(kind), f"{page} shows no {kind}"
    if page in WITHOUT_GRID:
        assert not at.dataframe, f"{page} draws a grid for a short table"
    _assert_missing_cells_read_as_a_dash(at, page)
    _assert_tables_are_read_literally(at, page)
    if page not in PAGES_WITHOUT_DATA:
        badge = "Eksempeldata" if lang == "da" else "Sample data"
        assert any(badge in m.value for m in at.markdown), "sample data is badged"


@ON_ENGINES
@pytest.mark.parametrize("page", registered_pages())
def test_page_with_empty_database_shows_an_empty_state(empty_db, page, lang):
    at = run_page(page, lang)
    _assert_no_exception(at)
    if page not in PAGES_WITHOUT_DATA:
        assert at.info, f"{page} shows no empty state"


def test_overview_scorecard_has_all_eight_focus_areas_and_the_aarselever_tile(sample_db):
    at = run_page("overblik", "da", {"year": "2024"})
    headers = [h.value for h in at.subheader]
    for name in ("Læring", "Rekruttering", "Organisation", "Faciliteter", "Omverden", "Økonomi", "Internationalt",
                 "Bæredygtighed"):
        assert name in headers
    aarselever = next(m for m in at.metric if m.label.startswith("Årselever"))
    assert aarselever.value == "1.431"
    assert at.query_params["year"] in ("2024", ["2024"])


def test_filters_are_kept_in_the_url(sample_db):
    at = run_page("overblik", "da")
    at.selectbox(key="flt_campus").select("AAR").run()
    _assert_no_exception(at)
    assert at.query_params["campus"] in ("AAR", ["AAR"])
    at.radio(key="flt_lang").set_value("en").run()
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.title[0].value.startswith("Strategy 2028")


def test_a_run_that_imported_modules_moves_the_objects_it_leaves_out_of_the_collectors_reach(sample_db,
                                                                                             monkeypatch):
    """A full collection would otherwise walk every object of the imported libraries: a 0.1 s stall every few
    reruns of a page with big chart specs."""
    import gc

    from heg_dash.views import ui

    freezes = []
    freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1) or freeze())
    monkeypatch.setattr(ui, "_modules_when_frozen", [0])
    gc.unfreeze()
    at = run_page("internationalt", "da")
    _assert_no_exception(at)
    at.run()  # begins by freezing what the page's first run imported
    assert freezes, "the runs after those that imported the libraries froze their objects"
    assert gc.get_freeze_count() > 10_000
    done = len(freezes)
    at.run()  # nothing new imported since: nothing more to freeze
    assert len(freezes) == done


def test_literal_markdown_reads_as_its_text():
    from heg_dash.views.ui import literal_markdown

    assert literal_markdown("31. oktober 2026") == r"31\. oktober 2026"
    assert literal_markdown("2) to") == r"2\) to"
    assert literal_markdown("- punkt") == r"\- punkt"
    assert literal_markdown("# 1") == r"\# 1"
    assert literal_markdown("*Fed* _x_ [a](b) :red[c] <b> $5$ a&b ~s~ `k`") == (
        r"\*Fed\* \_x\_ \[a\](b) \:red\[c\] \<b\> \$5\$ a\&b \~s\~ \`k\`")
    assert literal_markdown("    kode\nlinje to") == "kode linje to"
    assert literal_markdown("1.384 kWh") == "1.384 kWh" and literal_markdown("-0,7 t") == r"\-0,7 t"
    assert literal_markdown(r"a\*b") == r"a\\\*b"
    assert not READ_AS_MARKDOWN.search(literal_markdown("7. december 2026 22:21 · Rejser: fly · *x*"))
