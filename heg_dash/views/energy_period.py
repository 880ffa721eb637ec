"""The Energi page's period: quick ranges as Grafana has them (this week, last full week, the last 30 days, year to
date, a whole year, dates of one's own), counted from the newest data; the page opens on the newest complete week,
hour by hour, or on the whole year when one was chosen in the sidebar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from heg_dash import queries
from heg_dash.i18n import fmt_date, fmt_period, t
from heg_dash.metrics.resolution import QUICK_RANGES, RANGE_RESOLUTION, quick_ranges, range_key
from heg_dash.views import filters
from heg_dash.views.filters import RESOLUTIONS


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    key: str  # a QUICK_RANGES key
    res: str
    last_data: dt.date

    @property
    def name(self) -> str:
        """The period as every label on the page names it: "19.–25. okt. 2026", a whole ISO week as
        "uge 43 (19.–25. okt. 2026)"."""
        return fmt_period(self.first, self.last)

    @property
    def year_to_date(self) -> bool:
        """From 1 January to the newest data, before the year is over: compared with the same period last year."""
        return (self.first == dt.date(self.first.year, 1, 1) and self.last == self.last_data
                and (self.last.month, self.last.day) != (12, 31))


def default_key(f: filters.Filters, last_data: dt.date) -> str:
    """The newest complete week, unless the sidebar's year is not the data's default year: then that year."""
    default_year = filters.default_year(last_data, queries.years_with_data())
    return "last_week" if f.year in (None, default_year) else "year"


def choose(f: filters.Filters, columns: tuple) -> tuple[Period, filters.Filters] | None:
    """Draw the period controls into ``columns`` (range, dates, resolution) and return the period and the view
    to keep in the URL; None without readings."""
    first_data, last_data = queries.reading_span()
    if first_data is None:
        return None
    year = f.year or last_data.year
    ranges = quick_ranges(last_data, year, first_data)
    default = default_key(f, last_data)
    # A new year in the sidebar starts from that year's default again (from/to belonged to the old one).
    if st.session_state.get("en_year") not in (None, year):
        f = f.with_(date_from=None, date_to=None)
        st.session_state.pop("en_range", None)
    st.session_state["en_year"] = year
    if f.date_from and f.date_to:
        key, (first, last) = range_key(f.date_from, f.date_to, ranges), (f.date_from, f.date_to)
    else:
        key, (first, last) = default, ranges[default]
    range_col, dates_col, res_col = columns
    chosen = range_col.pills(  # pills wrap at 1366 px where a segmented control cut "Valgfri periode"
        t("energy.range"), QUICK_RANGES, default=key, key="en_range", selection_mode="single",
        format_func=lambda k: t(f"energy.range.{k}", year=year), help=t("energy.range_help", day=fmt_date(last_data)))
    chosen = chosen or key  # clicking the chosen range again unselects it: keep it
    if chosen != "custom":
        first, last = ranges[chosen]
    else:
        picked = dates_col.date_input(t("energy.period"), value=(first, last), min_value=first_data,
                                      max_value=last_data, key="en_dates", format="DD.MM.YYYY")
        if isinstance(picked, (tuple, list)) and len(picked) == 2:
            first, last = picked
    natural = RANGE_RESOLUTION.get(chosen, f.res)
    if st.session_state.get("en_last_range") != chosen:  # a new range brings its own resolution
        st.session_state["en_res"] = natural if chosen != "custom" or "en_res" not in st.session_state \
            else st.session_state["en_res"]
    st.session_state["en_last_range"] = chosen
    # The state holds the resolution once set; passing a default as well makes Streamlit warn.
    index = None if "en_res" in st.session_state else RESOLUTIONS.index(natural)
    res = res_col.selectbox(t("energy.resolution"), RESOLUTIONS, index=index,
                            format_func=lambda r: t(f"energy.res.{r}"), key="en_res") or natural
    is_default = chosen == default and (first, last) == ranges[default]
    f = f.with_(date_from=None if is_default else first, date_to=None if is_default else last, res=res)
    return Period(first, last, chosen, res, last_data), f
