"""Faciliteter: footprint areas in EPSG:25832 against the register, the what-if, and the page's controls."""

from __future__ import annotations

import json

import pytest

from heg_dash import queries
from heg_dash.charts import energy as charts
from heg_dash.charts import maps
from heg_dash.queries import facilities as qf
from tests.test_pages import run_page


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_footprint_area_check_finds_the_planted_hob_d_mismatch(sample_db):
    shapes = maps.footprints(qf.footprints())
    check = maps.area_check(shapes, queries.table("buildings")).set_index("building_id")
    assert check.loc["HOB-D", "deviation"] == pytest.approx(-0.35, abs=0.005)
    assert check.index[check["flagged"]].tolist() == ["HOB-D"]
    # The sample's rectangles are heated area ÷ floors: the others agree within rounding.
    assert check.drop("HOB-D")["deviation"].abs().max() < 0.01


def test_m2_scenario_with_and_without_planned_buildings(sample_db):
    with_planned = qf.m2_scenario(None, True, "strategy").set_index("year")
    without = qf.m2_scenario(None, False, "strategy").set_index("year")
    assert with_planned.loc[2025, "m2_per_aarselev"] == pytest.approx(38000 / 1468)
    assert with_planned.loc[2027, "aarselever"] == pytest.approx(1468 * 1.05**2)
    assert with_planned.loc[2029, "area_m2"] - without.loc[2029, "area_m2"] == pytest.approx(6500)
    assert not with_planned.loc[2025, "projected"] and with_planned.loc[2026, "projected"]


def test_register_filters():
    import pandas as pd

    register = pd.DataFrame({"building_id": ["A-1", "B-2", "C-3"], "name": ["Hal", "Skole", "Hus"],
                             "use": ["sports", "teaching", "teaching"], "energy_label": ["C", "D", "C"],
                             "status": ["in_use", "in_use", "planned"]})
    assert qf.filter_register(register, uses=("teaching",))["building_id"].tolist() == ["B-2", "C-3"]
    assert qf.filter_register(register, labels=("C",), statuses=("in_use",))["building_id"].tolist() == ["A-1"]
    assert qf.filter_register(register, search="sKo")["building_id"].tolist() == ["B-2"]


def test_every_control(sample_db):
    at = run_page("faciliteter", "da")  # Danish: AppTest formats option labels in the default language
    _ok(at)
    assert any("HOB-D" in w.value and "35" in w.value for w in at.warning), "the area mismatch is shown"
    assert len(at.get("vega_lite_chart")) >= 3  # two campus maps and the m² chart
    for metric in ("label", "area", "change", "eui"):
        at.selectbox(key="fa_metric").set_value(metric).run()
        _ok(at)
    at.toggle(key="fa_show_all").set_value(True).run()
    _ok(at)
    at.multiselect(key="fa_uses").set_value(["teaching"]).run()
    _ok(at)
    at.multiselect(key="fa_labels").set_value(["D"]).run()
    at.multiselect(key="fa_status").set_value(["in_use"]).run()
    _ok(at)
    assert any(c.value.startswith("2 af 12 bygninger") for c in at.caption)
    at.text_input(key="fa_search").set_value("aars").run()
    assert any(c.value.startswith("1 af 12 bygninger") for c in at.caption)
    at.toggle(key="fa_planned").set_value(False).run()
    at.radio(key="fa_path").set_value("strategy").run()
    _ok(at)
    assert any("I 2029" in c.value for c in at.caption)


def test_a_campus_shows_one_map(sample_db):
    at = run_page("faciliteter", "en", {"campus": "AAR"})
    _ok(at)
    assert not any("HOB-D" in w.value for w in at.warning)


def test_the_m2_chart_has_one_key_for_its_three_lines(sample_db):
    """The target's own dash scale (resolved independently) made the lines' key appear three times, the last
    without symbols; now the target is the third series of the one colour and dash key."""
    spec = charts.m2_scenario(qf.m2_scenario(None, True, "strategy")).to_dict()
    assert "resolve" not in spec
    domains = {json.dumps(layer["encoding"][channel]["scale"]["domain"])
               for layer in spec["layer"] for channel in ("color", "strokeDash") if channel in layer["encoding"]}
    assert domains == {json.dumps(["Faktisk", "Hvis-scenarie", "Mål"])}


def test_the_register_fits_1366_px_with_year_built_and_floors_behind_a_toggle():
    """All eleven columns ran ~110 px past the page at 1366 px, and the narrowed ones cut "Campus Aars"."""
    shown = charts.register_order(every_column=False, one_campus=False)
    assert "year_built" not in shown and "floors" not in shown and "campus" in shown and len(shown) == 9
    assert charts.register_order(every_column=True, one_campus=True) == [
        "building_id", "name", "use", "year_built", "heated_area_m2", "floors", "energy_label", "status",
        "eui_weighted", "eui_change"]


def test_a_name_too_long_for_its_footprint_goes_just_below_it(sample_db):
    """HOB-C and HOB-E spilled over their small footprints' edges (a white halo kept them readable, not tidy)."""
    shapes = maps.footprints(qf.footprints("HOB"))
    shapes = shapes[shapes["building_id"] != "HOB-H"]  # planned: not on the map that shows buildings in use
    places = maps.label_places(shapes, shapes["building_id"].astype(str), 380).set_index("text")
    assert places.loc["HOB-B", "outside"] == False  # noqa: E712 - a numpy bool
    assert places.loc["HOB-C", "outside"] == True  # noqa: E712
    small = shapes.set_index("building_id").loc["HOB-C"].geometry
    assert small.bounds[0] < places.loc["HOB-C", "lon"] < small.bounds[2]
    assert abs(places.loc["HOB-C", "lat"] - small.bounds[1]) < 1e-5  # its southern edge, within a metre
    spec = maps.building_map(maps.with_properties(shapes, qf.register(2025, "HOB"), maps.area_check(
        shapes, qf.register(2025, "HOB")), "eui", {}), "eui", "t", "kWh/m²",
        {k: k for k in ("name", "use", "area", "label")}).to_dict()
    baselines = [layer["mark"].get("baseline") for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert baselines == ["middle", "middle", "top", "top"]
