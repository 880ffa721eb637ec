"""The SQL that pages and KPIs read through; results are small and cached by data version."""

from heg_dash.queries.cache import cached, clear, current_version
from heg_dash.queries.overview import (
    aarselever_by_year,
    activity,
    indicator_values,
    reading_span,
    store_status,
    table,
    years_with_data,
)

__all__ = [
    "aarselever_by_year", "activity", "cached", "clear", "current_version", "indicator_values", "reading_span",
    "store_status", "table", "years_with_data",
]
