"""Missing values read as "–" in tables, and a store without weather still shows the Energi page."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from heg_dash.i18n import MISSING
from heg_dash.queries import energy_analysis as qa
from heg_dash.store import db
from heg_dash.views import auth
from tests.test_data_page import PASSWORD, editor_db, login, no_secrets  # noqa: F401 - fixtures
from tests.test_pages import run_page


def test_the_register_shows_a_dash_for_the_sold_buildings_missing_eui(sample_db):
    at = run_page("faciliteter", "da")
    assert not at.exception
    register = next(df for df in at.dataframe if "building_id" in df.value.columns)
    shown = register.value.set_index("building_id")
    assert shown.loc["AAR-E", ["eui_weighted", "eui_change"]].isna().all()  # sold in 2021: nothing to show
    assert register.proto.placeholder == MISSING == "–"


def test_the_editor_shows_a_dash_for_an_empty_optional_cell(editor_db, no_secrets):  # noqa: F811
    at = login(run_page("data", "da"))
    at.selectbox(key="edit_dataset").select("targets").run()
    assert not at.exception
    editor = next(table for table in at.dataframe if table.editing_mode != "read_only")
    assert editor.value["annual_rate"].isna().any()  # only the årselever target has a yearly rate
    assert editor.proto.placeholder == MISSING
    auth.logout()


def test_anomalies_without_weather_keep_their_numbers(sample_db):
    # Without degree days there is no heat signature; the empty heat part once made every number an object
    # and the Energi page fail on the price multiplication.
    with duckdb.connect(str(sample_db)) as con:
        con.execute("DELETE FROM weather")
    with db.session():
        found = qa.anomalies(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert not found.empty and set(found["utility"]) == {"electricity"}
    for column in ("kwh", "expected_kwh", "excess_kwh", "excess_dkk"):
        assert found[column].dtype == "float64", column
    assert found["excess_dkk"].notna().all()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_energy_page_without_weather(sample_db, lang):
    with duckdb.connect(str(sample_db)) as con:
        con.execute("DELETE FROM weather")
    at = run_page("energi", lang)
    assert not at.exception, [e.value for e in at.exception]


def test_a_tile_without_the_years_value_shows_no_trend(sample_db):
    # 2026 has readings but no årselever yet: the tiles show "–", and no arrow about 2024 → 2025 beside it.
    from heg_dash.kpis import scorecard

    with db.session():
        tiles = {tile.key: tile for area in scorecard.scorecard(2026) for tile in area.tiles}
        before = {tile.key: tile for area in scorecard.scorecard(2025) for tile in area.tiles}
    for key in ("aarselever", "m2_per_aarselev", "overskudsgrad"):
        assert tiles[key].value is None and tiles[key].trend == "no_data", key
        assert before[key].value is not None and before[key].trend != "no_data", key
    # Any source: a tile without a value has no trend.
    assert all(tile.trend == "no_data" for tile in tiles.values() if tile.value is None)
