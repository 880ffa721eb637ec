"""Bugs the interaction sweep and the generated schools found (tests/test_sweep.py, tests/test_properties.py),
each pinned by the smallest school that shows it, imported through the real import path."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from heg_dash.queries import energy as qe
from heg_dash.queries import energy_analysis
from tests.school_support import csv_bytes, import_file
from tests.sweep_support import open_page, page_problems

YEAR = 2024


def _hours(meter_id: str, day: str, values: list[float]) -> list[dict]:
    start = pd.Timestamp(day, tz="Europe/Copenhagen").tz_convert("UTC")
    return [{"meter_id": meter_id, "start": start + pd.Timedelta(hours=i), "end": start + pd.Timedelta(hours=i + 1),
             "value": v} for i, v in enumerate(values)]


@pytest.fixture
def school(empty_db):
    """One campus with one building (of the given meters) — the smallest school a finding needs."""
    def build(meters: list[tuple[str, str, str]], readings: list[dict], **extra: list[dict]):
        import_file(empty_db, "campuses", "c.csv", csv_bytes("campuses", [
            {"campus_id": "C", "name": "Campus", "address": "Vej 1", "lat": 56.6, "lon": 9.8}]))
        # every column given (the sweep's minimal school is the one without the optional ones)
        building = {"building_id": "B", "campus_id": "C", "name": "Bygning", "use": "teaching", "year_built": 1990,
                    "heated_area_m2": 1000.0, "floors": 2, "energy_label": "C", "status": "in_use",
                    "in_use_from": dt.date(1990, 1, 1)}
        import_file(empty_db, "buildings", "b.csv", csv_bytes("buildings", [building], building))
        import_file(empty_db, "meters", "m.csv", csv_bytes("meters", [
            {"meter_id": m, "building_id": "B", "utility": u, "unit": unit} for m, u, unit in meters]))
        import_file(empty_db, "readings", "r.csv", csv_bytes("readings", readings))
        for dataset, rows in extra.items():
            import_file(empty_db, dataset, f"{dataset}.csv", csv_bytes(dataset, rows))
        return empty_db
    return build


def _no_exception(at) -> None:
    problems = page_problems(at, "open")
    assert not problems, [p.message + "\n" + p.trace for p in problems]


# ------------------------------------------------------------------------- EUI without electricity or heat

def test_a_year_with_readings_only_of_other_utilities_has_no_building_eui(school):
    """Water (or gas, oil, solar) readings alone left no building with electricity or heat: the empty table's
    text column of uses, mapped to benchmarks, stayed text, and weighting it raised TypeError."""
    school([("B-VA", "water", "m3")], _hours("B-VA", f"{YEAR}-03-04", [1.0, 2.0]))
    assert qe.building_eui.uncached(YEAR).empty


@pytest.mark.parametrize("page", ["faciliteter", "energi"])
def test_pages_with_eui_open_when_only_water_is_metered(school, page):
    school([("B-VA", "water", "m3")], _hours("B-VA", f"{YEAR}-03-04", [1.0, 2.0]))
    at = open_page(page, "da", {"year": str(YEAR)})
    _no_exception(at)
    if page == "energi":  # the EUI section is drawn below the chosen utility's figures
        at.selectbox(key="en_utility").set_value("water").run()
        _no_exception(at)


# --------------------------------------------------------------------------------- numbers beyond 1e27

@pytest.mark.parametrize("value", [5.742473871323447e27, -3.03981887710658e180, 1.7976931348623157e308])
def test_numbers_of_any_magnitude_are_formatted(value):
    """A ratio over a near-zero denominator (m² per 1e-19 årselever, a result over a revenue of 1e-150 kr.)
    made babel raise InvalidOperation: it rounds in the decimal context, whose 28 digits end near 1e27."""
    from heg_dash.i18n import fmt_number, fmt_percent, language

    for lang in ("da", "en"):
        with language(lang):
            digits = f"{abs(value):.0f}"[:3]
            assert fmt_number(value, 1).lstrip("-−").replace(".", "").replace(",", "").startswith(digits)
            assert fmt_percent(value).lstrip("-−").replace(".", "").replace(",", "").startswith(digits)


# --------------------------------------------------------------------- heat without a day of weather

@pytest.mark.parametrize("weather", ["none", "other days"])
def test_heat_anomalies_without_weather_on_the_heat_days(school, weather):
    """No day with both heat and degree days leaves no heat signature: its empty index was numbers, and merging
    it with the text building ids raised ValueError (on Energi, once Fjernvarme is chosen)."""
    rows = [] if weather == "none" else [{"campus_id": "C", "date": dt.date(YEAR, 3, 20), "mean_temp_c": 5.0}]
    school([("B-FV", "district_heating", "kWh")], _hours("B-FV", f"{YEAR}-03-04", [10.0] * 72),
           **({"weather": rows} if rows else {}))
    found = energy_analysis.anomalies.uncached(dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 31))
    assert found.empty
    at = open_page("energi", "da", {"year": str(YEAR)})
    at.selectbox(key="en_utility").set_value("district_heating").run()
    _no_exception(at)
