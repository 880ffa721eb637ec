"""The Energi page in AppTest: every control exercised, the URL keeps the view, planted faults listed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_pages import run_page


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_default_view_is_the_newest_complete_year_with_the_night_running_fault(sample_db):
    at = run_page("energi", "da")
    _ok(at)
    assert any("1. januar 2025 – 31. december 2025" in c.value for c in at.caption)
    assert any("21 dage med afvigende forbrug i 1 bygninger" in w.value for w in at.warning)
    summary = next(d.value for d in at.dataframe if "Merforbrug" in d.value.columns and "Dage" in d.value.columns)
    assert summary.iloc[0]["Bygning"].startswith("AAR-B") and summary.iloc[0]["Dage"] == 21
    assert len(at.get("vega_lite_chart")) >= 5


def test_every_control_and_the_url(sample_db):
    # Danish: AppTest formats option labels outside the session, where the default language applies.
    at = run_page("energi", "da")
    _ok(at)
    for utility in ("district_heating", "water", "gas", "solar_pv", "electricity"):
        at.selectbox(key="en_utility").set_value(utility).run()
        _ok(at)
    at.selectbox(key="en_utility").set_value("district_heating").run()
    assert any(s.value == "Fjernvarme korrigeret for vejret" for s in at.subheader)
    at.selectbox(key="en_by").set_value("building").run()
    _ok(at)
    at.selectbox(key="en_by").set_value("campus").run()
    _ok(at)
    at.selectbox(key="en_res").set_value("hour").run()
    _ok(at)
    assert any("ville give mere end 5.000 punkter" in c.value for c in at.caption)
    assert _param(at, "res") == "hour"
    at.selectbox(key="en_building").set_value("HOB-A").run()
    _ok(at)
    assert _param(at, "building") == "HOB-A"
    at.date_input(key="en_period_2025").set_value((dt.date(2025, 11, 1), dt.date(2025, 11, 30))).run()
    _ok(at)
    assert (_param(at, "from"), _param(at, "to")) == ("2025-11-01", "2025-11-30")
    assert any("Periode: 1. november 2025 – 30. november 2025" in c.value for c in at.caption)
    at.selectbox(key="flt_year").set_value(2026).run()
    _ok(at)
    assert _param(at, "from") is None  # a new year starts from the whole year again
    assert any("År til dato" in c.value for c in at.caption)


def test_anomaly_drill_down_for_the_heating_valve(sample_db):
    at = run_page("energi", "da", {"year": "2026"})
    _ok(at)
    pick = at.selectbox(key="en_anomaly")
    assert "district_heating|HOB-A" in pick.options or any("HOB-A" in o for o in pick.options)
    option = next(o for o in pick.options if "HOB-A" in o)
    pick.set_value(option).run()
    _ok(at)
    charts = at.get("vega_lite_chart")
    assert charts


@pytest.mark.parametrize("lang", ["da", "en"])
def test_campus_filter_narrows_the_page(sample_db, lang):
    at = run_page("energi", lang, {"campus": "AAR"})
    _ok(at)
    assert "HOB-A" not in at.selectbox(key="en_building").options
