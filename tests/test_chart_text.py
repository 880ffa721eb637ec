"""Every chart's text alternative (issue 22): a one-sentence summary with the headline figure, and its data as a
table headed by the chart's own titles, read from the finished spec; the marks leave the accessibility tree."""

from __future__ import annotations

import pandas as pd

from heg_dash import charts
from heg_dash.charts import describe, finished_spec, for_streamlit
from heg_dash.i18n import set_language
from heg_dash.views.chart_view import accessible_spec

PATH = pd.DataFrame({"year": [2023, 2024, 2025, 2026], "actual": [1384, 1431, 1468, None],
                     "target": [None, None, 1468, 1541]})


def test_the_summary_names_the_latest_and_highest_actual_value():
    set_language("da")
    spec = for_streamlit(finished_spec(charts.aarselever_path(PATH)))  # cached specs carry Arrow bytes
    assert describe.summary(spec, "Årselever mod 1.800") == (
        "Årselever mod 1.800 – Årselever: senest 1.468 (2025, Faktisk), højst 1.468 (2025, Faktisk).")
    set_language("en")
    spec = finished_spec(charts.aarselever_path(PATH))
    assert describe.summary(spec, "Årselever") == (
        "Årselever – Årselever (FTE students): latest 1,468 (2025, Actual), highest 1,468 (2025, Actual).")


def test_the_table_is_the_encoded_data_under_the_charts_titles():
    set_language("da")
    table = describe.data_table(finished_spec(charts.aarselever_path(PATH)))
    assert sorted(table.columns) == ["Serie", "År", "Årselever"]
    assert len(table) == 5 and list(table["Årselever"]) == ["1.384", "1.431", "1.468", "1.468", "1.541"]
    assert list(table["År"]) == ["2023", "2024", "2025", "2025", "2026"]  # a year keeps its digits together


def test_unordered_categories_give_highest_and_lowest():
    import altair as alt

    set_language("en")
    frame = pd.DataFrame({"country": ["DE", "ES", "FI"], "n": [12, 30, 4]})
    chart = alt.Chart(frame).mark_bar().encode(x=alt.X("n:Q", title="Participants"),
                                               y=alt.Y("country:N", title="Country"))
    assert describe.summary(finished_spec(chart), "By country") == (
        "By country – Participants: highest 30 (ES), lowest 4 (FI), 3 values in all.")


def test_the_accessible_spec_is_named_and_its_marks_are_quiet():
    spec = accessible_spec(charts.aarselever_path(PATH), "Årselever", summary="A sentence.")
    assert spec["description"] == "A sentence." and spec["config"]["aria"] is False
    assert all(layer["mark"]["aria"] is False for layer in spec["layer"])
    assert spec["config"]["axis"]["labelColor"] == describe.LABEL_INK


def test_a_summary_is_made_once_for_a_charts_content(monkeypatch):
    """Making a summary reads the chart's data back from Arrow: a rerun with the same chart reuses the sentence,
    and other data, another title or another language make a new one."""
    from heg_dash.views import chart_view

    made = []
    make = describe.summary
    monkeypatch.setattr(describe, "summary", lambda spec, title: made.append(title) or make(spec, title))
    monkeypatch.setattr(chart_view, "_SUMMARIES", {})
    set_language("da")
    later = PATH.assign(actual=[1384, 1431, 1468, 1500])

    def named(path, title):
        return accessible_spec(for_streamlit(finished_spec(charts.aarselever_path(path))), title)["description"]

    first = named(PATH, "Årselever")
    assert named(PATH, "Årselever") == first and len(made) == 1
    assert "1.500 (2026" in named(later, "Årselever") and len(made) == 2
    assert named(PATH, "Elever").startswith("Elever") and len(made) == 3
    set_language("en")
    assert "1,468" in named(PATH, "Årselever") and len(made) == 4
    set_language("da")


def test_every_charts_table_opens_on_its_toggle_on_every_page(sample_db):
    """The tables are drawn only when their toggle is on (a fresh browser paid 0.3–1.2 s a page for tables
    drawn closed): on each page every toggle opens its own table, the page otherwise unchanged. (The sweep leaves
    these toggles to this test: one session per page instead of one per chart.)"""
    from heg_dash.views.chart_view import TABLE_KEY_PREFIX
    from tests.sweep_support import open_page

    opened = 0
    for page in ("overblik", "faciliteter", "energi", "baeredygtighed", "internationalt", "oekonomi"):
        at = open_page(page, "da")
        toggles = [w for w in at.toggle if str(w.key).startswith(TABLE_KEY_PREFIX)]
        assert toggles and len({w.key for w in toggles}) == len(toggles), page
        assert all(w.label == "Vis data som tabel" and not w.value for w in toggles)
        tables_before, charts_before = len(at.dataframe), len(at.get("vega_lite_chart"))
        for w in toggles:
            w.set_value(True)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert len(at.dataframe) == tables_before + len(toggles), page
        assert len(at.get("vega_lite_chart")) == charts_before, page
        opened += len(toggles)
    assert opened >= 25


def test_a_chart_has_data_for_a_table_without_reading_it():
    """The toggle shows when the chart has data; the table is made only when it is switched on."""
    spec = for_streamlit(finished_spec(charts.aarselever_path(PATH)))
    assert describe.has_data(spec) and not describe.data_table(spec).empty
    assert not describe.has_data({"mark": "text", "data": {"values": [{"x": 1}]}})  # nothing encoded
    assert not describe.has_data({"mark": "line", "encoding": {"x": {"field": "x", "title": "X"}},
                                  "data": {"values": []}})


def test_charts_are_checked_against_the_schema_in_the_tests_only():
    """Altair's schema check cost a seventh of Økonomi's run; users go without it, the tests keep it."""
    import os

    import altair as alt
    import pytest

    from heg_dash.charts import VALIDATE_SPECS

    assert os.environ["HEG_DASH_VALIDATE_SPECS"] == "1" and VALIDATE_SPECS
    broken = alt.Chart(pd.DataFrame({"x": [1]})).mark_line().encode(x=alt.X("x:Q", axis=alt.Axis(labelAngle="up")))
    with pytest.raises(Exception, match="labelAngle"):
        finished_spec(broken)
