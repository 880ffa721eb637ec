"""The section "Indsatser — virkede de?" of the Bæredygtighed page: per measured initiative the promised and the
measured saving with its uncertainty, the verdict in words with a symbol, what was avoided, and the chart of the
measured use against the adjusted baseline with the cumulative saving."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from heg_dash.charts import savings as charts
from heg_dash.i18n import fmt_count, fmt_date, fmt_number, fmt_percent, t
from heg_dash.kpis import savings as ks
from heg_dash.kpis.savings_text import COLOUR, SYMBOL, measured_text, promised_text, shown, verdict_words
from heg_dash.views import chart_view
from heg_dash.views.filters import Filters


def _date(text: str | None) -> str:
    return fmt_date(dt.date.fromisoformat(text), "short") if text else "–"


def _figures(item: ks.Measured) -> None:
    c = item.contract
    cols = st.columns([0.85, 1.05, 1.15, 1.15, 0.95])
    cols[0].metric(t("savings.promised"), promised_text(item), help=t("savings.promised_help"))
    cols[1].metric(t("savings.measured"), measured_text(item), help=t("savings.measured_help"))
    cols[2].metric(t("savings.avoided_kwh"), fmt_number(c["avoided_kwh"], 0, "kWh"),
                   help=t("savings.avoided_kwh_help"))
    cols[3].metric(t("savings.avoided_dkk"), fmt_number(c["avoided_dkk"], 0, t("savings.unit.dkk")),
                   help=t("savings.avoided_dkk_help"))
    cols[4].metric(t("savings.avoided_co2e"), fmt_number(c["avoided_co2e_kg"], 0, "kg"),
                   help=t("savings.avoided_co2e_help"))


def _facts(item: ks.Measured) -> str:
    c, model = item.contract, item.contract["model"]
    facts = t("savings.facts", meters=", ".join(c["meter_ids"]), b_start=_date(c["baseline_start"]),
              b_end=_date(c["baseline_end"]), r_start=_date(c["reporting_start"]), r_end=_date(c["reporting_end"]),
              n=fmt_count("days", c["reporting_n_days"] or 0), n_base=fmt_count("days", model["n_days"] or 0),
              co2e=fmt_number(c["avoided_co2e_kg"], 0, "kg CO₂e"))
    if model["cv_rmse_monthly"] is not None:
        key = "savings.model_ok" if c["meets_guideline14"] else "savings.model_not_ok"
        facts += " " + t(key, cv=fmt_percent(model["cv_rmse_monthly"] / 100, 1),
                         nmbe=fmt_percent(shown(model["nmbe"], 1) / 100, 1), r2=fmt_number(model["r2"], 2),
                         kind=t(f"savings.model.{model['model_type']}"))
    return facts


def initiative(item: ks.Measured, lang: str) -> None:
    """One initiative in a bordered box: title, verdict badge, figures, chart, and what it rests on."""
    with st.container(border=True):
        st.subheader(item.display_title, anchor=False)
        shown = ks.shown_verdict(item)
        # The verdict in bold words beside its symbol in a coloured pill (never colour alone); catalogue text and
        # numbers only, no user data in the markdown.
        st.markdown(f":{COLOUR[shown]}-badge[{SYMBOL[shown]}] **{verdict_words(item)}**")
        if item.contract["avoided_pct"] is not None:
            _figures(item)
        if not item.daily.empty:
            chart_view.chart(charts.chart_spec(lang, item.daily), item.title, key=item.initiative_id)
        st.caption(_facts(item))


def section(f: Filters) -> None:
    """The whole section for the view's year and campus; an empty state when nothing is measured."""
    st.header(t("savings.title"), anchor="indsatser")
    items = ks.for_year(f.year, f.campus)
    if not items:
        later = ks.measured(None, f.campus)
        st.info(t("savings.none_in_year", year=f.year) if later and f.year else t("savings.empty"),
                icon=":material/inbox:")
        return
    ends = [c for c in (m.contract["reporting_end"] for m in items) if c]
    st.caption(t("savings.intro") + (" " + t("savings.until", day=_date(max(ends))) if ends else ""))
    for item in items:
        initiative(item, f.lang)
    with st.expander(t("savings.method.title")):
        st.markdown(t("savings.method.body"))
