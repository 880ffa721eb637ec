"""HEG Dashboard: the package behind the Streamlit pages, testable without a browser."""

__version__ = "0.1.0"
