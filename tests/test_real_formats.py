"""Files in the layouts Danish schools really download (issue 19), with totals computed by hand.

Each file is written out here as the system writes it: Eloverblik's web export and its API's CSV (another
header, times like ``2024-01-10 00.00``, every line ending in ``;``), its Day and Month aggregations, a utility's
monthly statement in the template's columns, and a GSRN that Excel rounded."""

from __future__ import annotations

import pandas as pd
import pytest

from heg_dash import i18n
from heg_dash.importers import parse_file
from tests.data_support import BUILDING_CSV, CAMPUS_CSV, GSRN, METER_CSV, scalar

METERS = pd.DataFrame({"meter_id": ["HOB-A-EL"], "gsrn": [GSRN], "unit": ["kWh"], "utility": ["electricity"]})
COPENHAGEN = "Europe/Copenhagen"


@pytest.fixture(autouse=True)
def _danish():
    with i18n.language("da"):
        yield


def _local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_localize(COPENHAGEN).tz_convert("UTC")


def test_the_api_csv_with_spaces_dotted_times_and_trailing_semicolons():
    content = ("Målepunkt id;Fra dato;Til dato;Mængde;Måleenhed;Kvalitet;Type;\r\n"
               f"{GSRN};2024-01-10 00.00;2024-01-10 01.00;0,440;KWH;Målt;Tidsserier;\r\n"
               f"{GSRN};2024-01-10 01.00;2024-01-10 02.00;0,450;KWH;A03;Tidsserier;\r\n").encode()
    r = parse_file("readings", "api.csv", content, meters=METERS)
    assert r.ok and r.format == "eloverblik", [p.text() for p in r.problems]
    assert r.frame["value"].sum() == pytest.approx(0.89)
    assert r.frame["start"].tolist() == [_local("2024-01-10 00:00"), _local("2024-01-10 01:00")]
    assert r.frame["quality"].tolist() == ["measured", "estimated"]


def test_an_export_of_only_the_four_first_columns_is_read_as_kwh_with_a_warning():
    content = ("\ufeffMålepunktsID;Fra_dato;Til_dato;Mængde\n"
               f"{GSRN};01-02-2026 00:00:00;01-02-2026 01:00:00;0,198\n"
               f"{GSRN};01-02-2026 01:00:00;01-02-2026 02:00:00;0,196\n").encode()
    r = parse_file("readings", "kort.csv", content, meters=METERS)
    assert r.ok, [p.text() for p in r.problems]
    assert r.frame["value"].sum() == pytest.approx(0.394)
    assert [w.key for w in r.warnings] == ["imp.elo_no_unit"]


def test_a_daily_export_across_the_march_change_has_a_23_hour_day():
    content = ("\ufeffMålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n"
               f"{GSRN};30-03-2024 00:00:00;31-03-2024 00:00:00;100,5;KWH;Målt;Tidsserie\r\n"
               f"{GSRN};31-03-2024 00:00:00;01-04-2024 00:00:00;90,25;KWH;Målt;Tidsserie\r\n"
               f"{GSRN};01-04-2024 00:00:00;02-04-2024 00:00:00;110;KWH;Målt;Tidsserie\r\n").encode()
    r = parse_file("readings", "dag.csv", content, meters=METERS)
    assert r.ok, [p.text() for p in r.problems]
    hours = ((r.frame["end"] - r.frame["start"]).dt.total_seconds() / 3600).tolist()
    assert hours == [24, 23, 24]
    assert r.frame["value"].sum() == pytest.approx(300.75)


def test_a_monthly_export_ends_each_month_at_local_midnight():
    rows = [(f"01-{m:02d}-2024 00:00:00", f"01-{m + 1:02d}-2024 00:00:00" if m < 12 else "01-01-2025 00:00:00",
             f"{1000 + m},5") for m in range(1, 13)]
    content = ("\ufeffMålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n"
               + "".join(f"{GSRN};{a};{b};{v};KWH;Målt;Tidsserie\r\n" for a, b, v in rows)).encode("utf-8")
    r = parse_file("readings", "maaned.csv", content, meters=METERS)
    assert r.ok, [p.text() for p in r.problems]
    assert r.frame["value"].sum() == pytest.approx(12 * 1000 + 78 + 12 * 0.5)  # 12,084
    assert r.frame["end"].iloc[2] == _local("2024-04-01 00:00")  # March: 743 hours
    assert (r.frame["end"].iloc[2] - r.frame["start"].iloc[2]) == pd.Timedelta(hours=743)


def test_an_interval_that_is_no_whole_period_is_still_refused():
    content = ("\ufeffMålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n"
               f"{GSRN};10-01-2024 00:00:00;10-01-2024 07:00:00;1;KWH;Målt;Tidsserie\r\n"
               f"{GSRN};15-01-2024 00:00:00;15-02-2024 00:00:00;1;KWH;Målt;Tidsserie\r\n").encode()
    r = parse_file("readings", "skaev.csv", content, meters=METERS)
    assert [p.key for p in r.problems] == ["imp.elo_interval", "imp.elo_interval"]


def test_a_header_close_to_eloverblik_names_the_layout_and_what_differs():
    content = ("MålepunktsID;Fra-dato;Til dato;Mængden;Måleenhed;Kvalitet\r\n"
               f"{GSRN};10-01-2024 00:00:00;10-01-2024 01:00:00;1;KWH;Målt\r\n").encode()
    r = parse_file("readings", "naesten.csv", content, meters=METERS)
    (problem,) = r.problems
    assert problem.key == "imp.near_layout"
    text = problem.text()
    assert "Eloverbliks eksport" in text and "'Mængden' skal hedde 'Mængde'" in text
    assert "Fra-dato" not in text  # a hyphen for an underscore is one of Eloverblik's own spellings


def test_a_header_close_to_the_template_says_which_column_is_misspelt():
    r = parse_file("readings", "m.csv", b"meter_id,start,end,valeu\nHOB-A-EL,2024-01-10 00:00,2024-01-10 01:00,1\n")
    (problem,) = r.problems
    assert problem.key == "imp.near_layout" and "'valeu' skal hedde 'value'" in problem.text()


def test_a_gsrn_that_excel_rounded_gets_advice_not_a_pattern_error():
    content = (b"meter_id;building_id;utility;unit;gsrn\r\n"
               b"HOB-A-EL;HOB-A;electricity;kWh;5,71313E+17\r\n")
    r = parse_file("meters", "maalere.csv", content)
    (problem,) = r.problems
    assert problem.key == "imp.excel_rounded" and "Tekst" in problem.text()
    elo = ("MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n"
           "5,71313E+17;10-01-2024 00:00:00;10-01-2024 01:00:00;1;KWH;Målt;Tidsserie\r\n").encode()
    r = parse_file("readings", "elo.csv", elo, meters=METERS)
    assert [p.key for p in r.problems] == ["imp.excel_rounded"]


def _import(dataset: str, name: str, content: bytes):
    from heg_dash.store import imports as importing

    parsed = importing.read_upload(dataset, name, content)
    assert parsed.ok, [p.text() for p in parsed.problems]
    return importing.apply(parsed, user="t", file_name=name, sha256=parsed.digest)


def test_monthly_statements_give_yearly_totals_and_co2e_from_the_periods_average_intensity(empty_db):
    """A month of 1,000 kWh under an intensity of 100 g/kWh for its first half and 200 for its second:
    average 150 g/kWh, 0.15 t; the hour of its start alone (100) would have given 0.1 t."""
    from heg_dash import kpis

    for dataset, content in (("campuses", CAMPUS_CSV), ("buildings", BUILDING_CSV), ("meters", METER_CSV)):
        _import(dataset, f"{dataset}.csv", content)
    hours = pd.date_range(_local("2024-01-01 00:00"), _local("2024-02-01 00:00"), freq="h", inclusive="left")
    grid = pd.DataFrame({"start": [h.isoformat() for h in hours], "price_area": "DK1",
                         "g_co2e_per_kwh": [100.0 if i < len(hours) / 2 else 200.0 for i in range(len(hours))]})
    _import("grid_co2", "grid.csv", grid.to_csv(index=False).encode())
    content = ("\ufeffMålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n"
               f"{GSRN};01-01-2024 00:00:00;01-02-2024 00:00:00;1000;KWH;Målt;Tidsserie\r\n").encode()
    summary = _import("readings", "jan.csv", content)
    assert summary.added == 1
    result = kpis.compute(2024)
    assert result["energy"]["electricity_kwh"] == pytest.approx(1000.0)
    assert result["co2e_t"]["scope2_location"] == pytest.approx(0.15)
    assert scalar(empty_db, "SELECT grid_weighted FROM readings_daily") == pytest.approx(150_000.0)
    # The intensity of the month's second half changes: the month is recomputed though it began before.
    later = grid.iloc[len(hours) // 2:].assign(g_co2e_per_kwh=300.0)
    _import("grid_co2", "grid2.csv", later.to_csv(index=False).encode())
    assert kpis.compute(2024)["co2e_t"]["scope2_location"] == pytest.approx(0.2)


def test_the_energy_page_names_the_meters_that_only_have_months(empty_db):
    from tests.test_pages import run_page

    for dataset, content in (("campuses", CAMPUS_CSV), ("buildings", BUILDING_CSV), ("meters", METER_CSV)):
        _import(dataset, f"{dataset}.csv", content)
    content = ("\ufeffMålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n" + "".join(
        f"{GSRN};01-{m:02d}-2024 00:00:00;01-{m + 1:02d}-2024 00:00:00;1000;KWH;Målt;Tidsserie\r\n"
        for m in range(1, 12))).encode("utf-8")
    _import("readings", "maaned.csv", content)
    at = run_page("energi", "da", {"year": "2024", "res": "hour", "from": "2024-03-01", "to": "2024-03-07"})
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "HOB-A-EL (måned)" in captions
