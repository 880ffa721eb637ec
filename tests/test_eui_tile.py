"""The weighted-EUI tile on the Overblik scorecard (Faciliteter): value, target, status, trend, sparkline."""

from __future__ import annotations

import pytest

from heg_dash.i18n import set_language
from heg_dash.kpis import energy as kpi_energy
from heg_dash.kpis import scorecard
from heg_dash.kpis.common import Tile
from heg_dash.metrics.progress import progress_status
from heg_dash.store import db

# The sample's heated m² in use in 2025: the ten in-use buildings, all in use the whole year (the sold AAR-E
# left in 2021, the planned HOB-H comes in 2028).
AREA_2025 = 7800 + 6200 + 1400 + 3100 + 1300 + 4300 + 6100 + 4700 + 2200 + 900


def _raw_kwh(utility: str, year: int, campus: str | None = None) -> float:
    """kWh of the utility's main meters in the local year, summed from the raw readings (not the rollup)."""
    scope = "AND b.campus_id = ?" if campus else ""
    return float(db.read_df(
        f"""
        SELECT sum(CASE m.unit WHEN 'MWh' THEN r.value * 1000 WHEN 'GJ' THEN r.value / 0.0036 ELSE r.value END) AS kwh
        FROM readings r JOIN meters m USING (meter_id) JOIN buildings b ON b.building_id = m.building_id
        WHERE m.utility = ? AND m.parent_meter_id IS NULL
          AND year(timezone('Europe/Copenhagen', r.start)) = ? {scope}
        """,
        [utility, year, campus] if campus else [utility, year],
    )["kwh"].iloc[0])


def _eui_tile(year: int, campus: str | None = None) -> Tile:
    tiles = kpi_energy.eui_tiles(year, campus)
    assert len(tiles) == 1
    return tiles[0]


def test_the_tile_shows_the_hand_computed_weighted_eui_against_the_target(sample_db):
    set_language("da")
    with db.session():
        expected = (_raw_kwh("electricity", 2025) * 1.9 + _raw_kwh("district_heating", 2025) * 0.85) / AREA_2025
        tile = _eui_tile(2025)
    assert 140 < expected < 170  # a school's weighted EUI, not a unit slip
    assert tile.value == pytest.approx(expected, rel=1e-9)
    assert (tile.focus_area, tile.unit, tile.direction, tile.value_year) == ("faciliteter", "kWh/m²", "lower", 2025)
    assert tile.label == "Vægtet kWh/m²"
    # The sample's target row: 110 kWh/m² by 2028 from the 2019 baseline, lower is better.
    assert tile.target == 110.0
    assert tile.status == progress_status(tile.value, 2025, 167.0, 2019, 110.0, 2028, "lower")
    assert tile.status == "limited_progress"
    # The sparkline: every full year with readings up to 2025, the chosen year last.
    assert [y for y, _ in tile.history] == list(range(2019, 2026))
    assert tile.history[-1] == (2025, tile.value)
    change = tile.history[-1][1] / tile.history[-2][1] - 1
    assert tile.trend == ("stable" if abs(change) < 0.01 else "improving" if change < 0 else "worsening")


def test_the_tile_sits_next_to_m2_per_aarselev_in_english_too(sample_db):
    set_language("en")
    try:
        with db.session():
            areas = {area.key: area for area in scorecard.scorecard(2025, None, "en")}
    finally:
        set_language("da")
    keys = [tile.key for tile in areas["faciliteter"].tiles]
    assert keys[:2] == ["m2_per_aarselev", "eui_weighted_kwh_m2"]
    assert areas["faciliteter"].tiles[1].label == "Weighted kWh/m²"


def test_a_year_to_date_has_no_target_status_or_trend(sample_db):
    # The sample's readings end on 31 October 2026: the year to date, over the whole year's area.
    set_language("da")
    with db.session():
        expected = (_raw_kwh("electricity", 2026) * 1.9 + _raw_kwh("district_heating", 2026) * 0.85) / AREA_2025
        tile = _eui_tile(2026)
        full_2025 = _eui_tile(2025)
    assert tile.value == pytest.approx(expected, rel=1e-9)
    assert tile.label == "Vægtet kWh/m², år til dato"
    assert (tile.target, tile.status, tile.trend) == (None, "no_data", "no_data")
    assert tile.history == full_2025.history  # full years only: ten months are not set beside twelve


def test_one_campus_is_measured_from_its_own_baseline(sample_db):
    with db.session():
        tile = _eui_tile(2025, "AAR")
        own_2019 = kpi_energy.eui_weighted_value(2019, "AAR")
        area_aar = 6100 + 4700 + 2200 + 900  # AAR-E was sold in 2021
        expected = (_raw_kwh("electricity", 2025, "AAR") * 1.9
                    + _raw_kwh("district_heating", 2025, "AAR") * 0.85) / area_aar
    assert tile.value == pytest.approx(expected, rel=1e-9)
    assert tile.target == 110.0
    assert tile.status == progress_status(tile.value, 2025, own_2019, 2019, 110.0, 2028, "lower")


def test_the_sample_target_starts_from_the_samples_own_2019_value(sample_db):
    # Otherwise the tile would call a falling EUI a deterioration.
    with db.session():
        target = db.read_df("SELECT baseline_year, baseline_value FROM targets WHERE key = 'eui_weighted_kwh_m2'")
        measured = kpi_energy.eui_weighted_value(int(target["baseline_year"].iloc[0]), None)
    assert target["baseline_value"].iloc[0] == pytest.approx(measured, abs=0.5)


def test_an_empty_database_shows_no_value(empty_db):
    with db.session():
        tile = _eui_tile(2025)
    assert tile.value is None
    assert (tile.target, tile.status, tile.trend, tile.history) == (None, "no_data", "no_data", ())
