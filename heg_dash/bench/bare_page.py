"""The bench's yardstick: a bare Streamlit page with one chart, nothing of ours (heg_dash.bench.browser times a
fresh browser's load of it beside our pages)."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Bare page")
frame = pd.DataFrame({"x": np.arange(100), "y": np.sin(np.arange(100) / 8)})
st.altair_chart(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
