"""Finished chart specs: what st.altair_chart would draw, built once and cached by the pages."""

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from heg_dash.charts import finished_spec


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
