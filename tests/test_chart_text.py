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
