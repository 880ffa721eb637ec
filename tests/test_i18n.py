import datetime as dt

from heg_dash import i18n
from heg_dash.i18n import fmt_date, fmt_number, fmt_percent, language, t


def test_both_catalogues_have_the_same_keys_and_no_empty_text():
    da, en = i18n.CATALOGUE["da"], i18n.CATALOGUE["en"]
    assert set(da) == set(en), sorted(set(da) ^ set(en))
    assert all(text.strip() for text in [*da.values(), *en.values()])


def test_danish_is_the_default_and_english_switches():
    with language("da"):
        assert t("page.overblik") == "Overblik"
    with language("en"):
        assert t("page.overblik") == "Overview"


def test_danish_number_and_date_formats():
    with language("da"):
        assert fmt_number(1800) == "1.800"
        assert fmt_number(25.04, 1, "m²") == "25,0\u00a0m²"
        assert fmt_date(dt.date(2024, 3, 5)) == "5. marts 2024"
        assert fmt_percent(0.2567) == "25,7\u00a0%"
        assert fmt_number(None) == "–"
    with language("en"):
        assert fmt_number(1800.5, 1) == "1,800.5"


def test_placeholders_are_filled():
    with language("da"):
        assert t("overview.title", year=2025) == "Strategi 2028 – overblik 2025"


def test_counts_take_the_singular_for_one():
    """"i 1 bygninger" / "1 buildings" on Energi's anomaly summary."""
    from heg_dash.i18n import fmt_count

    with language("da"):
        assert [fmt_count("buildings", n) for n in (0, 1, 2, 1200)] == [
            "0 bygninger", "1 bygning", "2 bygninger", "1.200 bygninger"]
        assert fmt_count("rows", 1) == "1 række"
    with language("en"):
        assert [fmt_count("days", n) for n in (1, 3)] == ["1 day", "3 days"]


def test_units_are_written_properly_on_screen():
    """The factor table and Energi's water chart said "m3" and "Nm3"."""
    from heg_dash.charts import number_axis
    from heg_dash.charts.sustainability import factor_source_label
    from heg_dash.i18n import display_unit

    with language("da"):
        assert fmt_number(12, 0, "m3") == "12\u00a0m³" and fmt_number(3, 0, "Nm3") == "3\u00a0Nm³"
        assert display_unit("kWh") == "kWh"
        assert number_axis("m3").to_dict()["title"] == "m³"
        assert factor_source_label("grid_co2 DK1") == "Elnettets timeværdier (Energinet, DK1)"
        assert factor_source_label("Energistyrelsen 2024") == "Energistyrelsen 2024"
