"""Schools built from files, through the real import path: the *minimal school* (only the required columns
of every dataset, one campus, one year, a few meters) for the interaction sweep, and the file writer the
property tests (tests/test_properties.py, schools drawn in tests/school_strategies.py) share.

Files are written from ``heg_dash.datasets``' declarations — the columns, their types and closed lists —
and imported with ``store.imports.read_upload`` + ``apply`` as the Data page and the CLI do, in the
order the references need (campuses before buildings before meters before readings, …).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from heg_dash.datasets import BOOL, DATASETS, DATE, FLOAT, INT, TIMESTAMP, Column
from heg_dash.store import imports as importing
from heg_dash.store import setup

# Datasets in an order that satisfies every reference (heg_dash.datasets.REFERENCES).
IMPORT_ORDER = (
    "campuses", "buildings", "building_footprints", "meters", "readings", "weather", "calendar",
    "emission_factors", "grid_co2", "energy_prices", "benchmarks", "activity", "finance", "exchanges",
    "partners", "focus_areas", "initiatives", "indicators", "indicator_values", "targets",
)
assert set(IMPORT_ORDER) == set(DATASETS), "a dataset was added: give it a place in the import order"


# ---------------------------------------------------------------------------------------- file writing

def cell_text(value: object, col: Column, decimal: str = ".") -> str:
    """A Python value as a CSV cell the importer reads back as the same value ("" when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if col.type == FLOAT:
        text = np.format_float_positional(float(value), unique=True, trim="-")
        return text.replace(".", decimal)
    if col.type == INT:
        return str(int(value))
    if col.type == BOOL:
        return "true" if value else "false"
    if col.type == DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if col.type == TIMESTAMP:
        stamp = pd.Timestamp(value)
        return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).isoformat()
    return str(value)


def csv_bytes(dataset: str, rows: Sequence[dict], columns: Iterable[str] | None = None, *, sep: str = ",",
              bom: bool = False) -> bytes:
    """A CSV file of ``rows`` with ``columns`` (default: the dataset's required ones, in declared order).

    ``sep`` ";" goes with a decimal comma, "," with a decimal point, as the import contract reads them."""
    ds = DATASETS[dataset]
    names = list(columns) if columns is not None else ds.required_columns
    decimal = "," if sep == ";" else "."
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([cell_text(row.get(name), ds.column(name), decimal) for name in names])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def geojson_bytes(footprints: dict[str, list[tuple[float, float]]]) -> bytes:
    """A FeatureCollection with one Polygon per building (rings of (lon, lat), clockwise as Vega likes)."""
    features = [{
        "type": "Feature", "properties": {"building_id": building_id},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in [*ring, ring[0]]]]},
    } for building_id, ring in footprints.items()]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def rectangle(lon: float, lat: float, width_m: float, depth_m: float) -> list[tuple[float, float]]:
    """A clockwise rectangle of about ``width_m`` × ``depth_m`` metres with its south-west corner at (lon, lat)."""
    dlat = depth_m / 111_320
    dlon = width_m / (111_320 * math.cos(math.radians(lat)))
    return [(lon, lat), (lon, lat + dlat), (lon + dlon, lat + dlat), (lon + dlon, lat)]


# --------------------------------------------------------------------------------------------- import

def import_file(path: Path, dataset: str, file_name: str, content: bytes, *, replace: bool = False
                ) -> importing.Summary:
    """Parse, validate and store one file as the Data page and the CLI do; fails the test on any problem."""
    parsed = importing.read_upload(dataset, file_name, content, path=path)
    assert not parsed.problems, [p.text() for p in parsed.problems]
    return importing.apply(parsed, replace=replace, user="test", file_name=file_name, sha256=parsed.digest,
                           path=path)


def import_school(path: Path, files: Sequence[tuple[str, str, bytes]]) -> dict[str, importing.Summary]:
    """Import (dataset, file name, bytes) in order into the database at ``path``."""
    return {dataset: import_file(path, dataset, name, content) for dataset, name, content in files}


# ------------------------------------------------------------------------------------- minimal school

MINIMAL_YEAR = 2025
CAMPUS = "MIN"
# (meter_id, building_id, utility, unit, hours per reading)
MINIMAL_METERS = (
    ("MIN-A-EL", "MIN-A", "electricity", "kWh", 1),
    ("MIN-A-FV", "MIN-A", "district_heating", "MWh", 1),
    ("MIN-B-EL", "MIN-B", "electricity", "MWh", 24),
    ("MIN-A-VA", "MIN-A", "water", "m3", 24),
)


def _hourly_use(hours: pd.DatetimeIndex, base: float, peak: float) -> np.ndarray:
    """Weekday working hours at ``peak``, other hours at ``base`` (local time)."""
    local = hours.tz_convert("Europe/Copenhagen")
    working = (local.day_of_week < 5) & (local.hour >= 7) & (local.hour < 17)
    return np.where(working, peak, base)


def minimal_rows(year: int = MINIMAL_YEAR) -> dict[str, list[dict]]:
    """Rows of every table dataset, in their required columns only: one campus, one year, a few meters."""
    start = pd.Timestamp(f"{year}-01-01", tz="Europe/Copenhagen").tz_convert("UTC")
    end = pd.Timestamp(f"{year + 1}-01-01", tz="Europe/Copenhagen").tz_convert("UTC")
    readings = []
    for meter_id, _, utility, unit, step in MINIMAL_METERS:
        stamps = pd.date_range(start, end, freq=f"{step}h", inclusive="left")
        scale = {"kWh": 1.0, "MWh": 0.001, "m3": 0.05}[unit] * step
        use = _hourly_use(stamps, 4.0, 20.0) if utility == "electricity" else np.full(len(stamps), 30.0)
        readings += [{"meter_id": meter_id, "start": s, "end": s + pd.Timedelta(hours=step), "value": float(v * scale)}
                     for s, v in zip(stamps, use, strict=True)]
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    hours = pd.date_range(start, end, freq="h", inclusive="left")
    return {
        "campuses": [{"campus_id": CAMPUS, "name": "Campus Minimal", "address": "Skolevej 1, 9500 Hobro",
                      "lat": 56.64, "lon": 9.79}],
        "buildings": [
            {"building_id": "MIN-A", "campus_id": CAMPUS, "name": "Hovedbygning", "use": "teaching",
             "year_built": 1975, "heated_area_m2": 4000.0, "energy_label": "C", "status": "in_use",
             "in_use_from": dt.date(1975, 8, 1)},
            {"building_id": "MIN-B", "campus_id": CAMPUS, "name": "Værksted", "use": "workshop",
             "year_built": 2010, "heated_area_m2": 1200.0, "energy_label": "A2010", "status": "in_use",
             "in_use_from": dt.date(2010, 8, 1)},
        ],
        "meters": [{"meter_id": m, "building_id": b, "utility": u, "unit": unit}
                   for m, b, u, unit, _ in MINIMAL_METERS],
        "readings": readings,
        "weather": [{"campus_id": CAMPUS, "date": d.date(),
                     "mean_temp_c": round(8 - 8 * math.cos(2 * math.pi * i / 365), 1)} for i, d in enumerate(days)],
        "calendar": [{"date": dt.date(year, 12, 24), "kind": "holiday"},
                     {"date": dt.date(year, 7, 15), "kind": "closed"}],
        "emission_factors": [
            {"utility": "electricity", "year": year, "kg_co2e_per_unit": 0.12, "unit": "kWh", "method": "location",
             "source": "Energinet"},
            {"utility": "electricity", "year": year, "kg_co2e_per_unit": 0.3, "unit": "kWh", "method": "market",
             "source": "AIB"},
            {"utility": "district_heating", "year": year, "kg_co2e_per_unit": 0.05, "unit": "kWh",
             "method": "location", "source": "Værket"},
            {"utility": "travel_air", "year": year, "kg_co2e_per_unit": 0.15, "unit": "pkm", "method": "location",
             "source": "DEFRA"},
        ],
        "grid_co2": [{"start": h, "price_area": "DK1", "g_co2e_per_kwh": 100.0 + (i % 24)}
                     for i, h in enumerate(hours)],
        "energy_prices": [
            {"utility": u, "start": start, "end": end, "dkk_per_unit": p, "unit": unit, "kind": "all_in",
             "source": "Regning"}
            for u, p, unit in (("electricity", 2.1, "kWh"), ("district_heating", 700.0, "MWh"), ("water", 60.0, "m3"))
        ],
        "benchmarks": [{"use": "teaching", "utility": "electricity", "kwh_per_m2": 35.0, "source": "SBi"},
                       {"use": "teaching", "utility": "district_heating", "kwh_per_m2": 90.0, "source": "SBi"}],
        "activity": [{"year": year, "campus_id": CAMPUS, "education_area": "eud", "aarselever": 210.5}],
        "finance": [{"year": year, "item": item, "amount_dkk": amount} for item, amount in (
            ("revenue", 150e6), ("result", 2e6), ("equity", 40e6), ("total_assets", 120e6), ("current_assets", 30e6),
            ("short_term_debt", 25e6), ("long_term_debt", 50e6), ("tangible_fixed_assets", 80e6),
            ("cost_teaching", 90e6), ("cost_marketing", 2e6), ("cost_admin", 20e6), ("cost_buildings", 25e6),
            ("cost_other", 11e6))],
        "exchanges": [
            {"exchange_id": "X1", "direction": "out", "participant": "student", "programme": "Erasmus+",
             "education_area": "eud", "campus_id": CAMPUS, "partner": "Skole i Århus", "country": "DE",
             "city": "Köln", "lat": 50.94, "lon": 6.96, "start_date": dt.date(year, 3, 2),
             "end_date": dt.date(year, 3, 20), "participants": 4, "travel_mode": "air", "green_travel": False},
            {"exchange_id": "X2", "direction": "in", "participant": "staff", "programme": "Nordplus",
             "education_area": "eud", "campus_id": CAMPUS, "partner": "Skola", "country": "SE", "city": "Malmö",
             "lat": 55.6, "lon": 13.0, "start_date": dt.date(year, 9, 1), "end_date": dt.date(year, 9, 5),
             "participants": 2, "travel_mode": "train", "green_travel": True},
        ],
        "partners": [{"partner_id": "P1", "name": "Berufskolleg Köln", "kind": "school", "country": "DE",
                      "city": "Köln", "lat": 50.94, "lon": 6.96, "since": 2019}],
        "focus_areas": [{"key": "baeredygtighed", "name_da": "Bæredygtighed", "goal_da": "Mindre CO₂e",
                         "goal_en": "Less CO₂e", "source": "Strategi 2028"}],
        "initiatives": [{"initiative_id": "I1", "title": "LED-lys", "owner": "Driftschef", "status": "active",
                         "start_date": dt.date(year, 2, 1), "focus_area": "faciliteter"}],
        "indicators": [{"indicator_id": "IND1", "focus_area": "baeredygtighed", "name": "Sorteret affald", "unit": "%",
                        "direction": "higher", "baseline_year": year - 1, "baseline_value": 30.0,
                        "target_year": 2028, "target_value": 60.0}],
        "indicator_values": [{"indicator_id": "IND1", "year": year, "value": 35.0}],
        "targets": [
            {"key": "aarselever", "value": 300.0, "year": 2028, "direction": "higher", "baseline_year": year,
             "baseline_value": 210.5, "source": "eksempel"},
            {"key": "m2_per_aarselev", "value": 25.0, "year": 2028, "direction": "lower", "baseline_year": year,
             "baseline_value": 24.7, "source": "eksempel"},
        ],
    }


def minimal_files(year: int = MINIMAL_YEAR) -> list[tuple[str, str, bytes]]:
    """The minimal school as files, in import order: CSV in required columns only, the footprints as GeoJSON."""
    rows = minimal_rows(year)
    footprints = {"MIN-A": rectangle(9.79, 56.64, 80, 50), "MIN-B": rectangle(9.7915, 56.6405, 40, 30)}
    files = []
    for dataset in IMPORT_ORDER:
        if dataset == "building_footprints":
            files.append((dataset, "omrids.geojson", geojson_bytes(footprints)))
        else:
            files.append((dataset, f"{dataset}.csv", csv_bytes(dataset, rows[dataset])))
    return files


def build_minimal_school(path: Path) -> Path:
    """An ``init --empty`` database at ``path`` with the minimal school imported into it."""
    setup.init_db(path, sample=False)
    import_school(path, minimal_files())
    return path


@pytest.fixture(scope="session")
def minimal_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_minimal_school(tmp_path_factory.mktemp("template") / "minimal.duckdb")


@pytest.fixture
def minimal_db(minimal_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the minimal school, set as HEG_DASH_DB."""
    path = tmp_path / "heg.duckdb"
    shutil.copy(minimal_db_template, path)
    monkeypatch.setenv("HEG_DASH_DB", str(path))
    return path
