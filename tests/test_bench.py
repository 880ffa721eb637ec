"""The benchmark runs at a tiny scale and prints well-formed output (its figures come from the bench)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# The whole benchmark end to end (about five minutes): left out of the default run to keep CI inside its 90
# minutes; `pytest tests/test_bench.py -m slow` runs it.
@pytest.mark.slow
def test_bench_json_at_a_tiny_scale(tmp_path):
    env = {**os.environ, "HEG_DASH_DB": str(tmp_path / "unused.duckdb")}
    out = subprocess.run([sys.executable, "-m", "heg_dash", "bench", "--scale", "0.02", "--json"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(figures) == {"engine", "pages", "max_chart_rows", "import", "peak_rss_mb", "naive_speedup", "browser"}
    assert figures["engine"] == "duckdb"
    browser = figures["browser"]  # Chromium is there (CI installs it): the browser part ran
    assert browser["skipped"] is None and browser["bare_s"] > 0
    assert browser["limit_s"] == pytest.approx(browser["bare_s"] * 1.5 + 0.3)
    assert set(browser["pages"]) >= {"overblik", "energi", "data"} and min(browser["pages"].values()) > 0
    pages = {p["page"] for p in figures["pages"]}
    assert {"overblik", "energi", "faciliteter", "data", "data:quality", "baeredygtighed:savings"} <= pages
    for page in figures["pages"]:
        assert set(page) == {"page", "cold_s", "warm_s", "floor_s"}
        assert page["cold_s"] > 0 and page["warm_s"] > 0 and page["floor_s"] >= 0
    assert 0 < figures["max_chart_rows"] <= 5000
    assert figures["import"]["rows"] >= 1000
    assert figures["import"]["seconds"] > 0 and figures["import"]["read_csv_seconds"] > 0
    assert figures["peak_rss_mb"] > 50 and figures["naive_speedup"] > 0
    assert not (tmp_path / "unused.duckdb").exists(), "the bench works in its own temporary database"


# The whole benchmark end to end (about five minutes): left out of the default run to keep CI inside its 90
# minutes; `pytest tests/test_bench.py -m slow` runs it.
@pytest.mark.slow
def test_bench_on_postgresql_at_a_tiny_scale(tmp_path):
    """`--engine postgresql`: the same pages and import on a throw-away server the generated store was migrated
    into; the import's floor is a bare COPY; the browser part and the naive baseline are DuckDB's only."""
    from tests.conftest import require_postgresql

    require_postgresql()
    env = {**os.environ, "HEG_DASH_DB": str(tmp_path / "unused.duckdb")}
    out = subprocess.run([sys.executable, "-m", "heg_dash", "bench", "--engine", "postgresql", "--scale", "0.02",
                          "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["engine"] == "postgresql"
    pages = {p["page"]: p for p in figures["pages"]}
    assert {"overblik", "energi", "data:quality", "baeredygtighed:savings"} <= set(pages)
    assert all(p["cold_s"] > 0 and p["warm_s"] > 0 and p["floor_s"] > 0 for p in pages.values())
    assert figures["import"]["rows"] >= 1000 and figures["import"]["read_csv_seconds"] > 0
    assert figures["naive_speedup"] is None and figures["browser"]["skipped"]
    assert not (tmp_path / "unused.duckdb").exists()


def test_bench_rejects_a_bad_scale():
    out = subprocess.run([sys.executable, "-m", "heg_dash", "bench", "--scale", "0"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2


def test_the_browser_part_opens_each_page_where_its_sidebar_link_goes():
    """The overview's link is the root; /overblik is an alias that switches to it (one run more), which the
    browser part timed instead of what a person opens."""
    from heg_dash.views.navigation import PAGES, link_path

    assert link_path("overblik") == "" and link_path("energi") == "energi"
    assert [link_path(page_id) for page_id, _, _ in PAGES][1:] == [page_id for page_id, _, _ in PAGES][1:]


def test_the_server_does_not_watch_the_source_files():
    """Streamlit's watcher set up a watch for every imported module in each new session: about a second of CPU
    that a fresh browser waited for (py-spy on the bench's browser part)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"


SLOW_TAIL_PAGE = '''import time
import streamlit as st
st.title("Heading first")
time.sleep(float(st.query_params.get("tail", "0.4")))
st.write("done")
'''


@pytest.mark.e2e
def test_a_page_still_running_is_not_drawn(browser, tmp_path):
    """A run that has drawn its heading but not finished is not "drawn": Streamlit shows its running widget only
    after a run has lasted 0.5 s, so the widget's absence once let the bench and the accessibility tests take a
    page still running (a rerun's Stop button then met axe)."""
    from heg_dash.bench.browser import DRAWN_JS, drawn_after, serve

    script = tmp_path / "slow_tail.py"
    script.write_text(SLOW_TAIL_PAGE)
    with serve(tmp_path / "unused.duckdb", script=script) as url:
        page = browser.new_page()
        page.goto(f"{url}/?tail=3")
        page.get_by_role("heading", name="Heading first").wait_for(timeout=60_000)
        assert not page.evaluate(DRAWN_JS), "drawn while the script still ran"
        page.get_by_text("done").wait_for(timeout=60_000)
        page.wait_for_function(DRAWN_JS, timeout=10_000)
        page.close()
        assert drawn_after(browser, f"{url}/?tail=2") >= 2
