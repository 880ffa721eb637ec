"""The Bæredygtighed page in AppTest: every control exercised, the hours note, the SDG grid and goal details."""

from __future__ import annotations

import pytest

from heg_dash.i18n import language
from tests.test_pages import run_page


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_co2e_section_shows_scopes_target_and_chart(sample_db):
    at = run_page("baeredygtighed", "da", {"year": "2025"})
    _ok(at)
    assert at.title[0].value == "Bæredygtighed 2025"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["CO₂e i alt (lokationsbaseret)"] == "455\u00a0t"  # 454.5 t, Danish format
    assert set(metrics) >= {"Scope 1 – egen forbrænding", "Scope 2 – lokationsbaseret", "Scope 2 – markedsbaseret",
                            "Scope 3 – rejser og vand", "CO₂e pr. årselev", "CO₂e pr. m²"}
    texts = " ".join(m.value for m in at.markdown)
    assert "Reduktionsmål" in texts and "Kræver mere fart" in texts  # status in words, not colour alone
    charts = at.get("vega_lite_chart")
    assert charts and len(charts[0].proto.datasets) >= 1
    assert not at.info, "2025 has grid intensity for every hour: no fallback note"


@pytest.mark.parametrize("breakdown", ["source", "scope", "campus"])
@pytest.mark.parametrize("method", ["location", "market"])
def test_breakdown_and_method_controls(sample_db, breakdown, method):
    at = run_page("baeredygtighed", "en", {"year": "2025"})
    with language("en"):  # AppTest formats widget options in the test's thread: in the page's language
        at.radio(key="sustain_breakdown").set_value(breakdown).run()
        at.radio(key="sustain_method").set_value(method).run()
    _ok(at)
    assert at.get("vega_lite_chart")
    heading = "Accounts 2025 (location-based)" if method == "location" else "Accounts 2025 (market-based)"
    assert heading in [s.value for s in at.subheader]


def test_partial_year_says_year_to_date_and_counts_hours_without_intensity(sample_db):
    at = run_page("baeredygtighed", "da", {"year": "2026"})
    _ok(at)
    notes = [i.value for i in at.info]
    # The last 10 days of October 2026 have no grid intensity: 241 hours (25 October has 25).
    assert any("241 af årets 7.296 timer" in n for n in notes), notes
    captions = " ".join(c.value for c in at.caption)
    assert "År til dato" in captions and "samme periode" in captions


def test_one_campus_has_no_school_target(sample_db):
    at = run_page("baeredygtighed", "da", {"year": "2025", "campus": "HOB"})
    _ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "Reduktionsmålet gælder hele skolen" in captions
    assert {m.label: m.value for m in at.metric}["Scope 1 – egen forbrænding"] == "–"  # no gas in Hobro: not 0


def test_sdg_grid_and_selecting_a_goal(sample_db):
    at = run_page("baeredygtighed", "da", {"year": "2025"})
    _ok(at)
    buttons = [b for b in at.button if b.key and b.key.startswith("sdg_pick_")]
    assert len(buttons) == 17
    assert at.selectbox(key="sdg_goal").value == 4  # the first goal with indicators
    # Each tile's title, status and count are one text (three elements a tile were 51 renders for a browser).
    tiles = [m.value for m in at.markdown if "-badge[" in m.value and m.value.startswith("**")]
    assert len(tiles) == 17
    assert any(tile.endswith("\n\nIngen indikatorer endnu") for tile in tiles)  # goal 1, say
    assert not [tile for tile in tiles if "0 indikatorer" in tile]  # it said "· ingen udvikling endnu · 0 indikatorer"
    at.button(key="sdg_pick_13").click().run()
    _ok(at)
    assert at.selectbox(key="sdg_goal").value == 13
    assert "Verdensmål 13: Klimaindsats" in [s.value for s in at.subheader]
    texts = " ".join(m.value for m in at.markdown)
    assert "CO₂e pr. årselev" in texts and "Grøn rejsepolitik for udveksling" in " ".join(
        str(table.value) for table in at.table)
    at.selectbox(key="sdg_goal").select(11).run()  # an initiative but no indicators
    _ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "ingen indikatorer" in captions
    assert "Campus Hobro Havn" in " ".join(str(table.value) for table in at.table)
    at.selectbox(key="sdg_goal").select(14).run()  # nothing at all
    _ok(at)
    assert "Ingen initiativer" in " ".join(c.value for c in at.caption)


def test_download_and_method_notes_are_there(sample_db):
    at = run_page("baeredygtighed", "en", {"year": "2024"})
    _ok(at)
    assert at.get("download_button")
    assert any("Method and sources" in e.label for e in at.expander)


def test_the_scorecard_has_a_co2e_tile_against_the_reduction_target(sample_db):
    at = run_page("overblik", "da", {"year": "2025"})
    _ok(at)
    tile = next(m for m in at.metric if m.label.startswith("CO₂e i alt"))
    assert tile.label == "CO₂e i alt (2025)" and tile.value == "455\u00a0t"
    # 2025 against 300 t in 2028 from 869 t in 2019: (454.5/869)^(1/6) − 1 = −10.2 %/yr observed against
    # (300/869)^(1/9) − 1 = −11.2 %/yr needed → R = 0.92 → acceleration needed.
    assert "Mål: 300\u00a0t" in [c.value for c in at.caption]
    from heg_dash.kpis import sustainability as kpi_sustainability

    (co2e,) = kpi_sustainability.co2e_tiles(2025, None)
    assert (co2e.focus_area, co2e.status, co2e.trend, co2e.target) == (
        "baeredygtighed", "acceleration_needed", "improving", 300.0)
    assert kpi_sustainability.co2e_tiles(2025, "HOB")[0].status == "no_data"  # the target is the school's
    assert kpi_sustainability.co2e_tiles(2026, None)[0].label == "CO₂e i alt, år til dato"


def test_english_shows_the_names_the_school_gave_in_english(sample_db):
    """Indicators' name_en and initiatives' title_en (optional columns): English showed the Danish names."""
    with language("en"):  # AppTest formats the widgets' options in the test's thread
        at = run_page("baeredygtighed", "en", {"year": "2025"})
        _ok(at)
        at.button(key="sdg_pick_13").click().run()
    _ok(at)
    texts = " ".join(m.value for m in at.markdown)
    tables = " ".join(str(table.value) for table in at.table)
    assert "CO₂e per full-time student" in texts and "CO₂e pr. årselev" not in texts
    assert "Green travel policy for exchanges" in tables and "Grøn rejsepolitik" not in tables
    overview = run_page("overblik", "en", {"year": "2025"})
    labels = [m.label for m in overview.metric]
    assert any(label.startswith("Staff (full-time equivalents)") for label in labels)
    danish = run_page("overblik", "da", {"year": "2025"})
    assert any(m.label.startswith("Medarbejdere (årsværk)") for m in danish.metric)
