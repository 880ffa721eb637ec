"""The Energi page's answer to its first question, "is the use normal?", in words, and the expected use as a
chart series (from ``queries.energy_analysis.against_expected``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from heg_dash.config import TIMEZONE
from heg_dash.i18n import fmt_number, fmt_percent, t
from heg_dash.queries.energy_analysis import AgainstExpected


def normal_sentence(against: AgainstExpected | None, utility_name: str, range_name: str,
                    building_names: dict[str, str]) -> tuple[str, bool | None]:
    """(the sentence, normal or not or None when it cannot be said): "Nej. Elforbrug i uge 43
    (19.–25. okt. 2026) var 12 % over det forventede (37.229 kWh mod 31.271 kWh) – mere end den
    normale variation fra uge til uge (±7 %) – mest AAR-B Værksted om natten." The numbers are the
    figures the chart shows."""
    if against is None or against.change is None or against.usual is None:
        return t("energy.normal.unknown", utility=utility_name.lower()), None
    share = fmt_percent(abs(against.change), 0)
    change = t("energy.normal.over" if against.change >= 0 else "energy.normal.under", share=share)
    values = {"utility": utility_name, "range": range_name, "change": change,
              "actual": fmt_number(against.actual_kwh, 0, "kWh"),
              "expected": fmt_number(against.expected_kwh, 0, "kWh"),
              # the limit the answer goes by (two usual variations), not one σ: "11 % over, within ±6 %" misread
              "limit": fmt_percent(against.normal_limit, 0)}
    if against.normal:
        return t("energy.normal.yes", **values), True
    where = ""
    if against.building:
        name = f"{against.building} {building_names.get(against.building, '')}".strip()
        where = t("energy.normal.where", building=name, band=t(f"energy.normal.band.{against.band}"))
    return t("energy.normal.no", **values, where=where), False


def is_it_normal(against: AgainstExpected | None, utility_name: str, range_name: str,
                 building_names: dict[str, str]) -> None:
    """The question and its answer, the colour backed by a word and an icon."""
    sentence, normal = normal_sentence(against, utility_name, range_name, building_names)
    text = f"**{t('energy.normal.question')}** {sentence}"
    if normal is None:
        st.info(text, icon=":material/help:")
    elif normal:
        st.success(text, icon=":material/check_circle:")
    else:
        st.warning(text, icon=":material/warning:")


def expected_series(against: AgainstExpected, res: str) -> pd.DataFrame | None:
    """The expected use per hour as the chart's reference series (period as local wall-clock, value), or None
    when no hour has an expectation."""
    hours = against.hours.dropna(subset=["expected_kwh"])
    if hours.empty or res != "hour":
        return None
    period = hours["start"].dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return pd.DataFrame({"period": period, "value": hours["expected_kwh"].to_numpy()})
