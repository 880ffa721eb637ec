"""Energy cost per årselev and per heated m² on the Økonomi page, hand-checked on a small store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from heg_dash import store
from heg_dash.kpis import economy as kpi_economy
from heg_dash.store import imports as importing
from tests.test_pages import run_page


def _write(dataset: str, rows: list[dict]) -> None:
    parsed = importing.parse_table(dataset, pd.DataFrame(rows), "setup")
    assert not parsed.problems, [p.text() for p in parsed.problems]
    store.write(dataset, parsed.frame, user="test")


@pytest.fixture
def small(empty_db):
    _write("campuses", [{"campus_id": "HOB", "name": "Hobro", "address": "Vej 1", "lat": 56.64, "lon": 9.78}])
    building = {"campus_id": "HOB", "use": "teaching", "year_built": 1990, "energy_label": "C",
                "status": "in_use", "in_use_from": dt.date(2000, 1, 1)}
    _write("buildings", [{**building, "building_id": "A", "name": "A", "heated_area_m2": 1500.0},
                         {**building, "building_id": "B", "name": "B", "heated_area_m2": 500.0}])
    _write("meters", [{"meter_id": "A-EL", "building_id": "A", "utility": "electricity", "unit": "kWh"},
                      {"meter_id": "B-FV", "building_id": "B", "utility": "district_heating", "unit": "MWh"}])
    utc = pd.Timestamp
    _write("readings", [
        {"meter_id": "A-EL", "start": utc("2024-03-05 10:00", tz="UTC"), "end": utc("2024-03-05 11:00", tz="UTC"),
         "value": 100.0},
        {"meter_id": "A-EL", "start": utc("2024-03-05 11:00", tz="UTC"), "end": utc("2024-03-05 12:00", tz="UTC"),
         "value": 300.0},
        {"meter_id": "B-FV", "start": utc("2024-03-05 00:00", tz="UTC"), "end": utc("2024-03-06 00:00", tz="UTC"),
         "value": 2.0},
    ])
    year = {"start": utc("2024-01-01", tz="UTC"), "end": utc("2025-01-01", tz="UTC")}
    _write("energy_prices", [
        # Electricity: spot 1.00 the first hour, 3.00 the second, plus a tariff of 0.50 all year.
        {"utility": "electricity", "kind": "spot", "start": utc("2024-03-05 10:00", tz="UTC"),
         "end": utc("2024-03-05 11:00", tz="UTC"), "dkk_per_unit": 1.0, "unit": "kWh", "source": "t"},
        {"utility": "electricity", "kind": "spot", "start": utc("2024-03-05 11:00", tz="UTC"),
         "end": utc("2024-03-05 12:00", tz="UTC"), "dkk_per_unit": 3.0, "unit": "kWh", "source": "t"},
        {"utility": "electricity", "kind": "tariff", **year, "dkk_per_unit": 0.5, "unit": "kWh", "source": "t"},
        # District heating: 600 DKK per MWh all in.
        {"utility": "district_heating", "kind": "all_in", **year, "dkk_per_unit": 600.0, "unit": "MWh",
         "source": "t"},
    ])
    _write("activity", [{"year": 2024, "campus_id": "HOB", "education_area": "eud", "aarselever": 8.0}])
    return empty_db




def test_energy_cost_per_aarselev_and_per_m2_by_hand(small):
    # Electricity 100 × (1.00 + 0.50) + 300 × (3.00 + 0.50) = 150 + 1050 = 1200 DKK;
    # district heating 2 MWh × 600 = 1200 DKK. Total 2400 DKK; ÷ 8 årselever = 300; ÷ 2000 m² = 1.2.
    cost = kpi_economy.energy_cost(2024)
    assert cost["by_utility"] == pytest.approx({"electricity": 1200.0, "district_heating": 1200.0})
    assert cost["dkk"] == pytest.approx(2400.0)
    assert cost["per_aarselev"] == pytest.approx(300.0)
    assert cost["per_m2"] == pytest.approx(1.2)
    assert cost["priced_share"] == 1.0
    empty = kpi_economy.energy_cost(2023)
    assert empty["dkk"] is None and empty["per_aarselev"] is None and empty["per_m2"] is None


@pytest.mark.parametrize("lang", ["da", "en"])
def test_oekonomi_page_shows_energy_cost(sample_db, lang):
    at = run_page("oekonomi", lang)
    assert not at.exception, [e.value for e in at.exception]
    labels = {m.label: m.value for m in at.metric}
    key = "Energiomkostning pr. årselev" if lang == "da" else "Energy cost per årselev"
    assert key in labels and labels[key] not in ("–", "")
