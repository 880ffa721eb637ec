"""The section "Indsatser — virkede de?" on the Bæredygtighed page (AppTest) and the measured initiatives in the
board's strategy report and the sustainability report."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from heg_dash import reports
from heg_dash.kpis import savings as ks
from heg_dash.store import db
from tests.test_pages import run_page

NB = "\u00a0"


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _section_charts(at) -> list[dict]:
    """The specs of the savings charts (the ones whose legend names the adjusted baseline)."""
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    return [s for s in specs if "savings" in json.dumps(s) or "basislinje" in json.dumps(s)
            or "baseline (expected" in json.dumps(s)]


def test_each_measured_initiative_with_its_verdict_figures_and_chart(sample_db):
    at = run_page("baeredygtighed", "da", {"year": "2026"})
    _ok(at)
    assert "Indsatser — virkede de?" in [h.value for h in at.header]
    titles = [s.value for s in at.subheader]
    assert {"Dagslysstyring af belysningen i Værksted Aars", "Tidsstyring af ventilationen i Hovedbygning Aars",
            "Nye dørpakninger på kølerum i kantinen"} <= set(titles)
    markdown = [m.value for m in at.markdown]
    # the verdict: a symbol in a coloured pill and the words (never colour alone)
    assert f":green-badge[✔] **Sparer 12{NB}% ± 2{NB}% — mere end lovet (8{NB}%)**" in markdown
    assert f":orange-badge[▼] **Sparer 16{NB}% ± 1{NB}% — mindre end lovet (20{NB}%)**" in markdown
    assert f":gray-badge[○] **Ingen målbar ændring: -1{NB}% ± 1{NB}%**" in markdown
    metrics = [(m.label, m.value) for m in at.metric]
    assert ("Målt besparelse", f"12{NB}% ± 2{NB}%") in metrics and ("Undgået forbrug", f"13.274{NB}kWh") in metrics
    assert ("Lovet besparelse", f"8{NB}%") in metrics
    assert ("Sparet", f"15.537{NB}kr.") in metrics and ("Undgået CO₂e", f"1.135{NB}kg") in metrics
    charts = _section_charts(at)
    assert len(charts) == 3
    for spec in charts:
        text = json.dumps(spec, ensure_ascii=False)
        for series in ("Målt forbrug", "Justeret basislinje (forventet uden indsatsen)", "Akkumuleret besparelse",
                       "Usikkerhedsbånd (90 %)"):
            assert series in text, series  # one legend names all four
        assert "replace(replace(replace(datum.label" in text, "Danish numbers on the axes"
    captions = " ".join(c.value for c in at.caption)
    assert "Målt til og med 31.10.2026" in captions and "resultatet bygger på 652 dage efter" in captions
    assert "opfylder ASHRAE Guideline 14" in captions


def test_the_section_in_english_and_a_short_period_not_yet_measurable(sample_db):
    at = run_page("baeredygtighed", "en", {"year": "2025"})
    _ok(at)
    assert "Initiatives — did they work?" in [h.value for h in at.header]
    markdown = " ".join(m.value for m in at.markdown)
    assert "Saves 11% ± 3% — more than promised (8%)" in markdown
    assert "Cannot be measured reliably yet: 138 days after the installation" in markdown
    assert "Measured up to and including 31/12/2025" in " ".join(c.value for c in at.caption)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Saved"].endswith(f"{NB}DKK") and labels["Avoided CO₂e"].endswith(f"{NB}kg")


def test_a_year_before_any_installation_and_no_measured_initiative_say_so(sample_db):
    at = run_page("baeredygtighed", "da", {"year": "2024"})
    _ok(at)
    assert any("Ingen af de målte indsatser var begyndt" in i.value for i in at.info)
    with db.transaction() as con:
        con.execute("UPDATE initiatives SET utility = NULL, meter_ids = NULL, installed_from = NULL, "
                    "installed_to = NULL, expected_saving_pct = NULL")
    at = run_page("baeredygtighed", "da", {"year": "2026"})
    _ok(at)
    assert any("Ingen indsatser måles endnu" in i.value and "installed_from" in i.value for i in at.info)
    assert not _section_charts(at)


@pytest.fixture(scope="module")
def report_files(sample_db_template, tmp_path_factory):
    import shutil

    path = tmp_path_factory.mktemp("savings_reports") / "heg.duckdb"
    shutil.copy(sample_db_template, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HEG_DASH_DB", str(path))
        yield {name: reports.generate(kind, 2025, fmt) for name, kind, fmt in (
            ("strategy.pdf", "strategy", "pdf"), ("sustainability.pdf", "sustainability", "pdf"),
            ("sustainability.xlsx", "sustainability", "xlsx"))}, ks.for_year(2025)


@pytest.mark.parametrize("name", ["strategy.pdf", "sustainability.pdf"])
def test_the_reports_list_the_measured_initiatives(report_files, name):
    files, _ = report_files
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files[name])).pages)
    assert "Indsatser — målte besparelser" in text and "målt til og med 31. december 2025" in text
    flat = " ".join(text.split())
    assert "Dagslysstyring af belysningen i Værksted Aars" in flat
    assert "mere end lovet" in flat and "mindre end lovet" in flat and "Kan ikke måles sikkert endnu" in flat


def test_the_workbook_has_every_figure_unrounded(report_files):
    files, items = report_files
    sheet = load_workbook(io.BytesIO(files["sustainability.xlsx"]))["Besparelser"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["ID"] for r in body] == ["I13", "I14", "I15"]
    for row, item in zip(body, items, strict=True):
        assert row["Undgået, kWh"] == pytest.approx(item.contract["avoided_kwh"], rel=1e-12)
        assert row["Målt, %"] == pytest.approx(item.contract["avoided_pct"], rel=1e-12)
        assert row["Sparet, kr."] == pytest.approx(item.contract["avoided_dkk"], rel=1e-12)
        assert row["Opfylder ASHRAE Guideline 14"] == "ja"
