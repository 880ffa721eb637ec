"""AppTest of the Internationalt page: figures from the sample, every control exercised, both languages."""

import pandas as pd

from heg_dash.store import sample
from tests.test_pages import run_page


def _sample_2025() -> pd.DataFrame:
    frame = sample.exchanges()
    return frame[pd.to_datetime(frame["start_date"]).dt.year == 2025]


def test_headline_figures_come_from_the_stored_mobilities(sample_db):
    at = run_page("internationalt", "da", {"year": "2025"})
    assert not at.exception
    frame = _sample_2025()
    students = frame[(frame["direction"] == "out") & (frame["participant"] == "student")]["participants"].sum()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Udrejsende elever"] == f"{students:,}".replace(",", ".")
    assert metrics["Andel grøn rejse"].endswith("%")
    assert any("Tianjin" in c.value and "Kina" in c.value for c in at.caption), "the far partner is named"
    assert at.get("vega_lite_chart") and at.dataframe


def test_direction_and_split_controls(sample_db):
    # Danish: AppTest applies a widget's format_func outside the page's language context.
    at = run_page("internationalt", "da", {"year": "2024"})
    before = len(at.get("vega_lite_chart"))
    at.button_group(key="intl_direction").set_value("in").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == before
    for dimension, title in (("direction", "Retning"), ("participant", "Deltager"),
                             ("education_area", "Uddannelsesomr")):  # å is escaped in the spec
        at.selectbox(key="intl_dimension").set_value(dimension).run()
        assert not at.exception
        spec = " ".join(c.proto.spec for c in at.get("vega_lite_chart"))
        assert f'"title": "{title}' in spec


def test_a_campus_and_a_partial_year(sample_db):
    at = run_page("internationalt", "da", {"year": "2026", "campus": "AAR"})
    assert not at.exception
    assert any("År til dato" in i.value for i in at.info)
    assert any("samme periode sidste år" in str(m.delta) for m in at.metric)


def test_a_year_without_mobilities_says_so(sample_db):
    at = run_page("internationalt", "en", {"year": "2015"})
    assert not at.exception
    assert any("No mobilities starting in 2015" in i.value for i in at.info)


def test_students_with_a_stay_abroad_is_one_figure_on_every_page(sample_db):
    """Internationalt said 19,6 %, Overblik and Bæredygtighed 8,6 % (a typed-in indicator of the same name)."""
    intl = run_page("internationalt", "da", {"year": "2025"})
    page_value = next(m.value for m in intl.metric if m.label == "Elever med udlandsophold")
    assert page_value.replace("\xa0", " ") == "19,6 %"
    overview = run_page("overblik", "da", {"year": "2025"})
    tiles = [m for m in overview.metric if m.label.startswith("Elever med udlandsophold")]
    assert [m.value for m in tiles] == [page_value]
    sustainability = run_page("baeredygtighed", "da", {"year": "2025"})
    shown = " ".join(str(e.value) for e in [*sustainability.markdown, *sustainability.metric, *sustainability.caption])
    assert "8,6 %" not in shown.replace("\xa0", " ")
