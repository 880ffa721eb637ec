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


def _range(at):
    return next(g for g in at.button_group if g.key == "en_range")


def test_opens_on_the_newest_complete_week_hour_by_hour_and_says_whether_it_is_normal(sample_db):
    """Data run to Saturday 31 October 2026: the newest complete week is 19–25 October, hour by hour (the page
    showed all of 2025 by month)."""
    at = run_page("energi", "da")
    _ok(at)
    assert _range(at).value == "last_week"
    assert at.selectbox(key="en_res").value == "hour"
    assert any("Periode: 19. oktober 2026 – 25. oktober 2026" in c.value for c in at.caption)
    labels = [m.label for m in at.metric]
    assert "Elforbrug, uge 43 (19.–25. okt. 2026)" in labels and "Omkostning, uge 43 (19.–25. okt. 2026)" in labels
    question = [m.value for m in [*at.success, *at.warning, *at.info] if "Er forbruget normalt?" in m.value]
    assert question and "19.–25. okt. 2026" in question[0]
    assert any(s.value == "Elforbrug, uge 43 (19.–25. okt. 2026)" for s in at.subheader)
    chart = at.get("vega_lite_chart")[0]
    assert "Forventet" in str(chart.proto.spec)  # the expected profile is drawn, with its legend entry
    assert not any("År til dato" in c.value for c in at.caption)  # a week is no year to date


def test_the_year_with_the_night_running_fault_says_it_is_not_normal(sample_db):
    at = run_page("energi", "da", {"from": "2025-11-03", "to": "2025-11-09"})
    _ok(at)
    assert _range(at).value == "custom"
    (warning,) = [w.value for w in at.warning if "Er forbruget normalt?" in w.value]
    assert "Nej." in warning and "over det forventede" in warning and "mest AAR-B" in warning
    assert "om natten" in warning
    at = run_page("energi", "da", {"year": "2024"})  # another year than the newest complete one opens whole
    _ok(at)
    assert _range(at).value == "year"
    assert any("1. januar 2024 – 31. december 2024" in c.value for c in at.caption)
    at = run_page("energi", "da", {"year": "2025"})  # the default year opens on the newest week; one click away
    _ok(at)
    assert _range(at).value == "last_week"
    _range(at).set_value("year").run()
    _ok(at)
    assert any("1. januar 2025 – 31. december 2025" in c.value for c in at.caption)
    assert any("21 dage med afvigende forbrug i 1 bygning" in w.value for w in at.warning)
    summary = next(d.value for d in at.table if "Merforbrug" in d.value.columns and "Dage" in d.value.columns)
    assert summary.iloc[0]["Bygning"].startswith("AAR-B") and summary.iloc[0]["Dage"] == 21
    assert len(at.get("vega_lite_chart")) >= 5


def test_every_control_and_the_url(sample_db):
    # Danish: AppTest formats option labels outside the session, where the default language applies.
    at = run_page("energi", "da")
    _ok(at)
    for utility in ("district_heating", "water", "gas", "solar_pv", "electricity"):
        at.selectbox(key="en_utility").set_value(utility).run()
        _ok(at)
    for key, res in (("this_week", "hour"), ("days_30", "day"), ("ytd", "week"), ("year", "month")):
        _range(at).set_value(key).run()
        _ok(at)
        assert at.selectbox(key="en_res").value == res, key
    assert (_param(at, "from"), _param(at, "to")) == ("2025-01-01", "2025-12-31")
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
    _range(at).set_value("custom").run()
    at.date_input(key="en_dates").set_value((dt.date(2025, 11, 1), dt.date(2025, 11, 30))).run()
    _ok(at)
    assert (_param(at, "from"), _param(at, "to")) == ("2025-11-01", "2025-11-30")
    assert any("Periode: 1. november 2025 – 30. november 2025" in c.value for c in at.caption)
    at.selectbox(key="flt_year").set_value(2026).run()
    _ok(at)
    assert _range(at).value == "year" and _param(at, "from") is None  # a new year opens whole (from/to belonged
    # to the old one), and the whole year is that view's default
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


@pytest.mark.parametrize(("change", "normal"), [(0.11, True), (-0.12, True), (0.13, False)])
def test_the_normal_variation_named_is_the_one_the_answer_goes_by(change, normal):
    """A change is normal within two usual (one σ) variations: the sentence names that limit, so it never calls
    11 % "within the normal variation (±6 %)"."""
    import re

    import pandas as pd

    from heg_dash.i18n import language
    from heg_dash.queries.energy_analysis import NORMAL_SIGMAS, AgainstExpected
    from heg_dash.views.energy_view import normal_sentence

    against = AgainstExpected(110.0, 100.0, change, 0.06, abs(change) <= NORMAL_SIGMAS * 0.06, None, None,
                              pd.DataFrame())
    with language("da"):
        sentence, said = normal_sentence(against, "Elforbrug", "uge 43", {})
    assert said is normal
    limit = float(re.search(r"\(±(\d+)\s%", sentence).group(1)) / 100
    shown = float(re.search(r"var (\d+)\s%", sentence).group(1)) / 100
    assert limit == pytest.approx(0.12)
    assert (shown <= limit) is normal, sentence
