"""Finance reads and the ``economy`` KPI section: hand-computed ratios on a small store, the sample via the CLI."""

import datetime as dt
import json

import pandas as pd
import pytest

from heg_dash import kpis
from heg_dash.kpis import economy as kpi_economy
from heg_dash.queries import economy
from heg_dash.store import db, sample
from tests.test_cli import run_cli

# 2024: result 10 of revenue 200; the five costs sum to 190.
ITEMS_2024 = {
    "revenue": 200.0, "result": 10.0, "equity": 30.0, "total_assets": 120.0, "current_assets": 45.0,
    "short_term_debt": 50.0, "long_term_debt": 60.0, "tangible_fixed_assets": 80.0, "cost_teaching": 100.0,
    "cost_marketing": 20.0, "cost_admin": 30.0, "cost_buildings": 25.0, "cost_other": 15.0,
}


def _load(frames: dict[str, pd.DataFrame]) -> None:
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        for name, frame in frames.items():
            sample.insert_frame(con, name, frame, batch)


@pytest.fixture
def small_store(empty_db):
    finance = pd.DataFrame([(2024, k, v) for k, v in ITEMS_2024.items()] + [(2023, "revenue", 150.0)],
                           columns=["year", "item", "amount_dkk"])
    campuses = pd.DataFrame([("C1", "Et", "Vej 1", 56.0, 10.0), ("C2", "To", "Vej 2", 57.0, 10.0)],
                            columns=["campus_id", "name", "address", "lat", "lon"])
    activity = pd.DataFrame([(2024, "C1", "eud", 60.0), (2024, "C2", "hhx", 30.0), (2024, "C2", "eud", 10.0)],
                            columns=["year", "campus_id", "education_area", "aarselever"])
    buildings = pd.DataFrame([("B", "C1", "Hus", "teaching", 1990, 500.0, 1, "C", "in_use", dt.date(1990, 1, 1), None)],
                             columns=sample.DATASETS["buildings"].column_names)
    targets = pd.DataFrame([("aarselever", 1800.0, 2028, "higher", 2023, 1384.0, 0.05, "Strategi 2028")],
                           columns=sample.DATASETS["targets"].column_names)
    _load({"finance": finance, "campuses": campuses, "activity": activity, "buildings": buildings,
           "targets": targets})


def test_economy_section_hand_computed(small_store):
    section = kpis.compute(2024)["economy"]
    assert section == {
        "revenue_dkk": 200.0, "result_dkk": 10.0,
        "overskudsgrad": pytest.approx(5.0),  # 10 × 100 / 200
        "likviditetsgrad": pytest.approx(90.0),  # 45 × 100 / 50: below 100, a warning
        "soliditetsgrad": pytest.approx(25.0),  # 30 × 100 / 120
        "finansieringsgrad": pytest.approx(75.0),  # 60 × 100 / 80
        "cost_per_aarselev_dkk": pytest.approx(1.9),  # 190 ÷ 100 årselever (both campuses)
    }


def test_a_missing_item_is_null_and_a_campus_has_no_economy(small_store):
    section = kpis.compute(2023)["economy"]
    assert section["revenue_dkk"] == 150.0
    assert section["result_dkk"] is None and section["overskudsgrad"] is None
    assert section["cost_per_aarselev_dkk"] is None
    assert kpis.compute(2022)["economy"] == dict.fromkeys(kpi_economy.ECONOMY_KEYS)
    assert kpis.compute(2024, "C1")["economy"] is None


def test_cost_per_aarselev_by_purpose_and_building_costs(small_store):
    row = economy.economy_by_year().set_index("year").loc[2024]
    assert row["per_aarselev_cost_teaching"] == pytest.approx(1.0)
    assert row["per_aarselev_cost_buildings"] == pytest.approx(0.25)
    buildings = kpi_economy.building_costs().set_index("year").loc[2024]
    assert buildings["per_aarselev"] == pytest.approx(25 / 100)
    assert buildings["per_m2"] == pytest.approx(25 / 500)  # one building, 500 m², in use all year


def test_aarselever_by_area_for_a_campus(small_store):
    frame = economy.aarselever_by_area("C2")
    assert frame.to_dict("records") == [{"year": 2024, "education_area": "eud", "aarselever": 10.0},
                                        {"year": 2024, "education_area": "hhx", "aarselever": 30.0}]


def test_growth_still_needed_from_the_newest_year(small_store):
    needed = kpi_economy.aarselever_growth_needed()
    # 100 årselever in 2024 → 1,800 in 2028: (1800 / 100)^(1/4) − 1
    assert needed["from_year"] == 2024 and needed["growth"] == pytest.approx(18 ** 0.25 - 1)
    assert kpi_economy.aarselever_growth_needed("C1") is None


def test_economy_tiles_warn_on_likviditetsgrad(small_store):
    tiles = {tile.key: tile for tile in kpi_economy.economy_tiles(2024, None)}
    assert "overskudsgrad" not in tiles  # no overskudsgrad target stored here
    assert tiles["likviditetsgrad"].value == pytest.approx(90.0)
    assert tiles["likviditetsgrad"].target == 100.0
    assert tiles["likviditetsgrad"].status != "achieved"


def test_kpis_cli_economy_matches_the_sample_finance(sample_db):
    finance = sample.finance()
    items = dict(zip(*finance[finance["year"] == 2025][["item", "amount_dkk"]].T.values, strict=True))
    aarselever = sample.activity().query("year == 2025")["aarselever"].sum()
    result = run_cli("kpis", "--year", "2025", "--json", db=sample_db)
    assert result.returncode == 0, result.stderr
    section = json.loads(result.stdout)["economy"]
    costs = sum(items[c] for c in ("cost_teaching", "cost_marketing", "cost_admin", "cost_buildings", "cost_other"))
    assert section == {
        "revenue_dkk": items["revenue"], "result_dkk": items["result"],
        "overskudsgrad": pytest.approx(items["result"] * 100 / items["revenue"]),
        "likviditetsgrad": pytest.approx(items["current_assets"] * 100 / items["short_term_debt"]),
        "soliditetsgrad": pytest.approx(items["equity"] * 100 / items["total_assets"]),
        "finansieringsgrad": pytest.approx(items["long_term_debt"] * 100 / items["tangible_fixed_assets"]),
        "cost_per_aarselev_dkk": pytest.approx(costs / aarselever),
    }
    campus = json.loads(run_cli("kpis", "--year", "2025", "--campus", "HOB", "--json", db=sample_db).stdout)
    assert campus["economy"] is None


def test_economy_charts_keep_their_keys_whole_in_narrow_columns():
    """At 1366 px a ratio card is ~200 px wide: its chart repeated the card's title ("Overskudsgrad" twice) and
    cut its key to "Advarselsniv"; the purposes' key cut "Management and admini…" in three columns."""
    from heg_dash.charts import economy as economy_charts
    from heg_dash.i18n import language

    table = pd.DataFrame({"year": [2024, 2025], "likviditetsgrad": [120.0, 126.3]})
    for lang in ("da", "en"):
        with language(lang):
            spec = economy_charts.ratio_chart(table, "likviditetsgrad", 100.0).to_dict()
            assert "title" not in spec
            key = spec["layer"][1]["encoding"]["strokeDash"]
            assert key["legend"]["labelLimit"] == 0 and len(key["scale"]["domain"][0]) <= 14, key
    assert economy_charts.PURPOSE_LEGEND.to_dict() == {"orient": "top", "columns": 2, "labelLimit": 0}
