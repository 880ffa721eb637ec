"""Finished chart specs: what st.altair_chart would draw, built once and cached by the pages."""

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from heg_dash.charts import finished_spec, for_streamlit


def test_finished_spec_drops_only_the_default_theme_view_size():
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    spec = finished_spec(chart)
    assert "config" not in spec and spec["mark"]["type"] == "bar"
    assert list(spec["datasets"].values()) == [[{"a": 1}, {"a": 2}]]
    # A chart's own configuration is kept; only the theme's 300 × 300 default view goes.
    own = finished_spec(chart.configure_view(strokeWidth=0))
    assert own["config"] == {"view": {"strokeWidth": 0}}


def test_an_invalid_chart_still_fails_with_altair_debug_mode_off():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x=alt.X("a:Q", axis=alt.Axis(labelAngle="x")))
    with pytest.raises(SchemaValidationError):
        finished_spec(chart)


def test_a_spec_for_streamlit_reaches_the_browser_exactly_as_the_spec_it_came_from():
    """Its tables are already the Arrow bytes Streamlit would make of them; GeoJSON stays in the spec."""
    from streamlit.testing.v1 import AppTest

    def draw() -> None:
        import altair as alt
        import pandas as pd
        import streamlit as st

        from heg_dash.charts import finished_spec, for_streamlit

        bars = alt.Chart(pd.DataFrame({"land": ["Danmark", "Sverige"], "ture": [3, 1.5]})).mark_bar()
        shapes = alt.Chart(alt.Data(name="shapes")).mark_geoshape()
        spec = finished_spec(alt.layer(bars.encode(x="land:N", y="ture:Q"), shapes))
        spec["datasets"]["shapes"] = [{"type": "Feature", "properties": {"name": "X"},
                                       "geometry": {"type": "Point", "coordinates": [9.5, 56.6]}}]
        st.vega_lite_chart(spec=spec)
        st.vega_lite_chart(spec=for_streamlit(spec))

    at = AppTest.from_function(draw).run()
    assert not at.exception
    plain, ready = (chart.proto for chart in at.get("vega_lite_chart"))
    assert len(ready.datasets) == 1 and ready.datasets == plain.datasets
    assert ready.spec == plain.spec and '"shapes"' in ready.spec and "Feature" in ready.spec


def test_a_spec_without_datasets_is_left_as_it_is():
    spec = {"mark": "bar", "data": {"values": [{"a": 1}]}}
    assert for_streamlit(spec) is spec


def test_expected_against_actual_over_years_of_days_stays_within_the_chart_limit():
    """A custom range of 2019–2026 on Energi sent 5,800 rows (two series of daily values): Altair refused it."""
    import pandas as pd

    from heg_dash.charts import MAX_POINTS, finished_spec
    from heg_dash.charts.energy import expected_vs_actual

    days = pd.date_range("2019-01-01", "2026-10-31", freq="D")
    frame = pd.DataFrame({"day": days, "kwh": 100.0, "expected_kwh": 90.0, "flagged": False})
    spec = finished_spec(expected_vs_actual(frame))
    assert max(len(rows) for rows in spec["datasets"].values()) <= MAX_POINTS
