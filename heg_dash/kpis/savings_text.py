"""A measured saving in words, the same on the page, in the reports and at the terminal: the verdict with its
symbol (never colour alone), the promised and the measured share, and why a figure is missing."""

from __future__ import annotations

import datetime as dt

from heg_dash.i18n import fmt_count, fmt_number, fmt_percent, t
from heg_dash.kpis.savings import Measured, shown_verdict

# One symbol per shown verdict (kpis.savings.shown_verdict); the words come from the catalogue.
SYMBOL = {
    "more_than_promised": "✔", "as_promised": "✔", "saving_measured": "✔", "less_than_promised": "▼",
    "no_measurable_change": "○", "not_yet": "◷", "use_increased": "✖", "model_untrusted": "⚠",
    "cannot_measure_yet": "–",
}
# Badge colours on the page; the symbol and words always go with them.
COLOUR = {
    "more_than_promised": "green", "as_promised": "green", "saving_measured": "green", "less_than_promised": "orange",
    "no_measurable_change": "gray", "not_yet": "blue", "use_increased": "red", "model_untrusted": "orange",
    "cannot_measure_yet": "gray",
}


def shown(value: float | None, decimals: int) -> float | None:
    """``value`` rounded as it will be shown, a negative that rounds to zero as 0 ("0 %", not "-0 %")."""
    return None if value is None else round(value, decimals) + 0.0


def pct(value: float | None) -> str:
    """A share in per cent as the verdicts show it: whole per cent ("12 %"); None -> "–"."""
    return fmt_percent(None if value is None else shown(value, 0) / 100, 0)


def measured_text(item: Measured) -> str:
    """"12 % ± 2 %": the measured share of the adjusted baseline and its 90 % uncertainty; "–" when none."""
    share = item.contract.get("avoided_pct")
    if share is None:
        return "–"
    unc = item.uncertainty_90_pct
    return pct(share) if unc is None else t("savings.plus_minus", value=pct(share), unc=pct(unc))


def promised_text(item: Measured) -> str:
    return pct(item.expected_saving_pct) if item.expected_saving_pct is not None else t("savings.no_promise")


def reason_text(item: Measured) -> str:
    """Why there is no measured saving (yet), in words."""
    reason = item.contract.get("reason") or "no_reporting_data"
    if reason in ("reporting_too_short", "no_reporting_data"):
        if item.days_after_installation <= 0:
            return t("savings.reason.not_started")
        return t("savings.reason.too_short", days=fmt_count("days", item.days_after_installation))
    if reason == "baseline_insufficient":
        start, end = item.contract.get("baseline_start"), item.contract.get("baseline_end")
        total = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1 if start and end else 0
        return t("savings.reason.baseline_insufficient", n=fmt_number(item.contract["model"]["n_days"]),
                 total=fmt_number(total))
    return t(f"savings.reason.{reason}")


def verdict_words(item: Measured) -> str:
    """The verdict without its symbol: "Sparer 12 % ± 2 % — mere end lovet (8 %)"."""
    shown = shown_verdict(item)
    values = {"measured": measured_text(item), "promised": promised_text(item),
              "days": fmt_count("days", item.days_after_installation)}
    if shown == "cannot_measure_yet":
        return reason_text(item)
    if shown == "use_increased":
        share, unc = item.contract.get("avoided_pct"), item.uncertainty_90_pct
        values["measured"] = t("savings.plus_minus", value=pct(-share), unc=pct(unc))
    return t(f"savings.verdict.{shown}", **values)


def verdict_text(item: Measured) -> str:
    """"✔ Sparer 12 % ± 2 % — mere end lovet (8 %)": symbol and words."""
    return f"{SYMBOL[shown_verdict(item)]} {verdict_words(item)}"
