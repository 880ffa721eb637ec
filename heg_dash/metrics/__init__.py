"""Pure metric functions (pandas/numpy/pyproj): no database, no Streamlit."""
