"""AppTest of the Økonomi page: figures from the sample finance, warnings, campus and year controls."""

from tests.test_pages import run_page


def test_finance_and_ratios_for_2025(sample_db):
    at = run_page("oekonomi", "da", {"year": "2025"})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Årselever 2025"] == "1.468"
    assert metrics["Omsætning"] == "217,4\u00a0mio. kr."
    assert metrics["Likviditetsgrad"] == "126,3\u00a0%"
    # (1800 / 1468)^(1/3) − 1 = 7.03 % a year still needed
    assert metrics["Vækst der stadig skal til pr. år frem til 2028"] == "7,0\u00a0%"
    assert at.table and len(at.get("vega_lite_chart")) >= 8


def test_likviditetsgrad_below_100_is_warned_in_2022(sample_db):
    at = run_page("oekonomi", "en", {"year": "2022"})
    assert not at.exception
    badges = " ".join(m.value for m in at.markdown)
    assert "Below the warning level 100" in badges


def test_a_campus_keeps_school_wide_finance_and_drops_the_target(sample_db):
    at = run_page("oekonomi", "da", {"year": "2025"})
    at.selectbox(key="flt_campus").select("HOB").run()
    assert not at.exception
    assert any("hele skolen" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Målstien kræver i 2025"] == "–"
    at.selectbox(key="flt_year").select(2026).run()
    assert not at.exception
    assert any("ingen regnskabstal for 2026" in w.value for w in at.warning)


def test_each_ratio_is_defined_once_on_its_card(sample_db):
    """The definition stands under each ratio; a help icon repeating it was a second copy to hover for."""
    at = run_page("oekonomi", "da", {"year": "2025"})
    captions = {c.value for c in at.caption}
    assert [m.label for m in at.metric if m.proto.help and m.proto.help in captions] == []
