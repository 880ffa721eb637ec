"""Every number in a headline equals the figure on the page: each Figure's sources are checked against the KPI
contract (kpis.compute), the scorecard tiles, the Energi page's anomaly table, and the text the page itself shows
for the same year (run in AppTest). Also: the sample's top headlines, and the Overblik block and report."""

from __future__ import annotations

import datetime as dt
import io
import json

import pyarrow as pa
import pytest
from pypdf import PdfReader

from heg_dash import kpis, queries
from heg_dash.i18n import fmt_percent, fmt_period, language, t
from heg_dash.kpis import headlines as hl
from heg_dash.kpis import scorecard
from heg_dash.kpis import sustainability as ks
from heg_dash.queries import energy as qe
from heg_dash.queries import energy_analysis as qa
from heg_dash.store import db
from heg_dash.views import energy_view
from tests.test_pages import run_page

YEAR = 2025
TOP_THREE_DA = [
    "Værksted Aars brugte 9.699\u00a0kWh mere el end forventet på 21 dage (uge 45–47) — mest om natten",
    "Årselever 2025: 1.468 — 87 under målstien",
    "Indrejsende (elever og medarbejdere) 2025: 87 — det højeste i de 7 år med data",
]


def _chart_strings(at) -> list[str]:
    """Every text value a page's charts carry (tooltips and labels are formatted text in the data)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        for named in chart.proto.datasets:
            table = pa.ipc.open_stream(named.data.data).read_all()
            for column in table.columns:
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                    out += [str(v) for v in column.to_pylist()]
        out.append(json.dumps(json.loads(chart.proto.spec).get("datasets", {}), ensure_ascii=False))
    return out


def shown_on(view: str, year: int) -> str:
    """All text a page view shows for ``year``: metrics, captions, markdown, tables and chart data, in Danish.

    ``view`` is a page id, optionally with widget settings (select boxes and segmented controls by key):
    ``energi?en_utility=district_heating&en_range=year``.
    """
    page, _, settings = view.partition("?")
    at = run_page(page, "da", {"year": str(year)})
    for setting in filter(None, settings.split("&")):
        key, value = setting.split("=")
        groups = [g for g in at.button_group if g.key == key]
        (groups[0] if groups else at.selectbox(key=key)).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [m.label for m in at.metric] + [m.value for m in at.metric] + [str(m.delta) for m in at.metric]
    texts += [c.value for c in at.caption] + [m.value for m in at.markdown]
    texts += [e.value for e in [*at.warning, *at.success, *at.info]]
    for frame in at.dataframe:
        texts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return "\n".join(texts + _chart_strings(at))


def _kpi(year: int, path: str, _cache: dict = {}) -> float | None:  # noqa: B006 - a per-run memo
    if year not in _cache:
        _cache[year] = kpis.compute(year)
    section, field = path.split(".")
    return (_cache[year].get(section) or {}).get(field)


def _week_sentence(first, last, campus=None) -> tuple[str, qa.AgainstExpected]:
    """The Energi page's answer to "is the use normal?" for a week, and the figures it is made of."""
    against = qa.against_expected("electricity", first, last, campus, None)
    names = dict(zip(*[queries.table("buildings")[c] for c in ("building_id", "name")], strict=True))
    sentence, _ = energy_view.normal_sentence(against, t("energy.use.electricity"), fmt_period(first, last), names)
    return sentence, against


def check_source(source: str, figure: hl.Figure, year: int, pages: dict[str, str]) -> None:
    kind, _, rest = source.partition(":")
    if kind == "kpi":
        source_year, path = rest.split(":")
        assert figure.value == pytest.approx(_kpi(int(source_year), path), abs=0), source
    elif kind == "change":
        assert figure.value == pytest.approx(_kpi(year, rest) / _kpi(year - 1, rest) - 1), source
        assert figure.text == fmt_percent(abs(figure.value))
    elif kind == "gap":
        value = _kpi(year, "aarselever.value" if rest == "aarselever" else rest)
        target = _kpi(year, "aarselever.target") if rest == "aarselever" else ks.co2e_overview(year, None)["path_value"]
        assert figure.value == pytest.approx(abs(value - target)), source
    elif kind == "tile":
        _, key = rest.split(":")
        tiles = {t.key: t for area in scorecard.scorecard(year, None, "da") for t in area.tiles}
        assert figure.value == tiles[key].value, source
    elif kind == "anomaly":
        utility, building, column = rest.split(":")
        summary = qa.anomaly_summary(qa.anomalies(*qe.view_period(year, None, None), None, None))
        row = summary[(summary["utility"] == utility) & (summary["building_id"] == building)].iloc[0]
        assert figure.value == pytest.approx(float(row[column])), source
    elif kind == "week":  # the Energi page's "Er forbruget normalt?" for the same week, by the same function
        sentence, against = _week_sentence(*hl.newest_week(year))
        if rest == "change":
            assert figure.value == pytest.approx(abs(against.change), abs=0), source
        assert figure.text in sentence, (figure.text, sentence)
    elif kind == "page":
        if rest not in pages:
            pages[rest] = shown_on(rest, year)
        assert figure.text in pages[rest], f"{figure.text!r} is not on {rest} for {year}"
    else:  # pragma: no cover - a new kind of source needs its check here
        raise AssertionError(f"unknown source {source}")


def test_every_number_in_every_headline_equals_the_page(sample_db):
    """Not only the notable ones: every candidate the rules find for the year, so a rule that would print a
    figure differently from its page fails here before it ever makes the news."""
    with language("da"), db.session():
        found = hl.candidates(YEAR, None, "da")
        assert len(found) >= 8
        pages: dict[str, str] = {}
        for headline in found:
            assert headline.figures, headline.text
            for figure in headline.figures:
                assert figure.text in headline.text, (figure, headline.text)
                assert figure.sources, figure
                for source in figure.sources:
                    check_source(source, figure, YEAR, pages)
    assert set(pages) >= {"overblik", "energi", "energi?en_range=year", "internationalt", "oekonomi", "baeredygtighed"}
    assert "week" in {h.kind for h in found}  # the newest week is among them (normal in the sample: no news)


def test_the_week_headline_says_what_the_energi_page_says(sample_db):
    """One definition: the headline's week, share and building are the page's ("Nej. Elforbrug i uge 45 (3.–9. nov.
    2025) var 19 % over det forventede (…) – mest AAR-B Værksted Aars om natten."), from the same function; a week
    the page calls normal makes no news."""
    with language("da"), db.session():
        week = (dt.date(2025, 11, 3), dt.date(2025, 11, 9))
        found = hl.week_headline(*week, None)
        sentence, against = _week_sentence(*week)
        assert found.text == "Elforbrug i uge 45 (3.–9. nov. 2025) var 19\u00a0% over det forventede — mest AAR-B " \
                             "Værksted Aars om natten"
        assert sentence.startswith("Nej. Elforbrug i uge 45 (3.–9. nov. 2025) var 19\u00a0% over det forventede")
        assert sentence.endswith("mest AAR-B Værksted Aars om natten.")
        assert found.notable and found.slide == "energi"
        assert found.score == pytest.approx(abs(against.change) / against.usual)
        newest = hl.newest_week(YEAR)
        assert newest == (dt.date(2026, 10, 19), dt.date(2026, 10, 25)) and hl.newest_week(2026) is None
        normal = hl.week_headline(*newest, None)
        sentence, against = _week_sentence(*newest)
        assert against.normal and sentence.startswith("Ja.") and not normal.notable
        assert normal.text == "Elforbrug i uge 43 (19.–25. okt. 2026) var 11\u00a0% over det forventede"
        assert normal.text.removeprefix("Elforbrug i ") in sentence
    with language("en"), db.session():
        english = hl.week_headline(*week, None).text
    assert english == ("Electricity use in week 45 (3–9 Nov 2025) was 19% above expected — mostly AAR-B Værksted Aars "
                       "at night")
    at = run_page("energi", "da", {"from": "2025-11-03", "to": "2025-11-09"})  # and the page itself says so
    (warning,) = [w.value for w in at.warning if "Er forbruget normalt?" in w.value]
    assert "uge 45 (3.–9. nov. 2025) var 19\u00a0% over det forventede" in warning and "mest AAR-B Værksted Aars" \
        in warning


def test_the_sample_years_top_headlines(sample_db):
    with language("da"), db.session():
        top = hl.headlines(YEAR, None, "da")
    assert [h.text for h in top[:3]] == TOP_THREE_DA
    assert [h.slide for h in top[:3]] == ["energi", "overblik", "internationalt"]
    assert all(h.notable for h in top)
    with language("en"), db.session():
        english = hl.headlines(YEAR, None, "en")
    assert english[0].text == ("Værksted Aars used 9,699\u00a0kWh more electricity than expected on 21 days "
                               "(weeks 45–47) — mostly at night")
    assert [h.key for h in english] == [h.key for h in top]  # the same news in both languages


def test_a_year_to_date_has_only_the_lasting_anomalies(sample_db):
    """2026 ends on 31 October in the sample: no year-on-year rule may compare it with full years."""
    with language("da"), db.session():
        found = hl.candidates(2026, None, "da")
    assert found and {h.kind for h in found} == {"spell"}
    texts = [h.text for h in found]
    assert any(t.startswith("Hovedbygning brugte") and "fjernvarme" in t for t in texts)  # HOB-A's stuck valve
    assert any(t.startswith("Idrætshal brugte") and t.endswith("mest i weekenderne") for t in texts)


def test_overblik_opens_with_the_three_most_notable(sample_db):
    at = run_page("overblik", "da", {"year": str(YEAR)})
    assert not at.exception
    assert at.subheader[0].value == "Det vigtigste lige nu"
    shown = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert [s.replace("\\", "") for s in shown] == [f"##### {n}. {text}" for n, text in enumerate(TOP_THREE_DA, 1)]


def test_the_strategy_report_starts_with_the_headlines(sample_db):
    from heg_dash.reports import strategy

    with language("da"), db.session():
        pdf = strategy.to_pdf(YEAR)
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    places = [first.index("Det vigtigste lige nu")]
    places += [first.index(" ".join(f"{n}. {text}".replace("\u00a0", " ").split())) for n, text in
               enumerate(TOP_THREE_DA, 1)]
    assert places == sorted(places) and places[-1] < first.index("Læring")

