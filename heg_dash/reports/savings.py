"""The measured initiatives in the board's strategy report and the sustainability report: a small table per
report (initiative, promised, measured ± uncertainty, verdict) in the PDF, every figure unrounded in Excel.
The same words as the Bæredygtighed page (``kpis.savings_text``), measured to the end of the report's year (or
its newest data, for a year under way)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from heg_dash.i18n import fmt_date, t
from heg_dash.kpis import savings as ks
from heg_dash.kpis.savings_text import measured_text, promised_text, verdict_text
from heg_dash.reports.excel import Sheet
from heg_dash.reports.pdf import GREY, ReportPDF


def _until_text(items: list[ks.Measured]) -> str:
    ends = [m.contract["reporting_end"] for m in items if m.contract["reporting_end"]]
    return fmt_date(dt.date.fromisoformat(max(ends))) if ends else "–"


def rows(items: list[ks.Measured]) -> list[tuple[str, str, str, str]]:
    """(initiative, promised, measured ± uncertainty, verdict with its symbol) per initiative."""
    return [(m.display_title, promised_text(m), measured_text(m), verdict_text(m)) for m in items]


def pdf_section(pdf: ReportPDF, year: int, campus: str | None = None) -> None:
    """Heading, a line on what is measured, and the table (or that nothing is measured yet)."""
    items = ks.for_year(year, campus)
    pdf.keep_together(12 + 12 + 11 * (len(items) + 1))
    pdf.heading(t("savings.report.title"), level=2)
    if not items:
        pdf.paragraph(t("savings.report.none"), size=9, colour=GREY)
        return
    pdf.paragraph(t("savings.report.intro", day=_until_text(items)), size=8.5, colour=GREY)
    pdf.data_table(
        [t("savings.report.col.initiative"), t("savings.report.col.promised"), t("savings.report.col.measured"),
         t("savings.report.col.verdict")],
        rows(items), [58, 18, 26, 72], ["L", "R", "R", "L"], size=8)


def sheet(year: int, campus: str | None = None) -> Sheet:
    """Every measured initiative's figures, unrounded, with the verdict in words."""
    items = ks.for_year(year, campus)
    c = [m.contract for m in items]
    col = {k: t(f"savings.report.col.{k}") for k in (
        "id", "initiative", "utility", "meters", "reporting", "days", "promised_pct", "measured_pct",
        "uncertainty_pct", "avoided_kwh", "avoided_dkk", "avoided_co2e_kg", "guideline14", "verdict")}
    frame = pd.DataFrame({
        col["id"]: [m.initiative_id for m in items],
        col["initiative"]: [m.display_title for m in items],
        col["utility"]: [t(f"reports.utility.{x['utility']}") for x in c],
        col["meters"]: ["; ".join(x["meter_ids"]) for x in c],
        col["reporting"]: [f"{x['reporting_start']} – {x['reporting_end'] or ''}" for x in c],
        col["days"]: [x["reporting_n_days"] for x in c],
        col["promised_pct"]: [m.expected_saving_pct for m in items],
        col["measured_pct"]: [x["avoided_pct"] for x in c],
        col["uncertainty_pct"]: [m.uncertainty_90_pct for m in items],
        col["avoided_kwh"]: [x["avoided_kwh"] for x in c],
        col["avoided_dkk"]: [x["avoided_dkk"] for x in c],
        col["avoided_co2e_kg"]: [x["avoided_co2e_kg"] for x in c],
        col["guideline14"]: [t("data.yes") if x["meets_guideline14"] else t("data.no") if x["meets_guideline14"]
                             is not None else "–" for x in c],
        col["verdict"]: [verdict_text(m) for m in items],
    }, columns=list(col.values()))
    number = "#,##0.0##"
    return Sheet(t("savings.report.sheet"), frame, {col[k]: number for k in (
        "promised_pct", "measured_pct", "uncertainty_pct", "avoided_kwh", "avoided_dkk", "avoided_co2e_kg")})
