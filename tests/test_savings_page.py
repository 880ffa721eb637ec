"""The section "Indsatser — virkede de?" on the Bæredygtighed page (AppTest); the measured initiatives in the
board's strategy report and the sustainability report are tested in test_reports.py (on its reports)."""

from __future__ import annotations

import json

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
