"""Reports: the files open, say what they must, and their numbers equal kpis.compute() for the same year.

The checks iterate over what compute() returns, so they hold with today's sections and with every section
the KPI contract adds later; one test plants the full contract to see that every section is reported.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from heg_dash import kpis, reports
from heg_dash.i18n import fmt_number, fmt_percent, t
from heg_dash.kpis import common as kpi_common
from heg_dash.kpis import strategy as kpi_strategy
from heg_dash.metrics.facilities import area_in_use_m2
from heg_dash.queries import usage
from heg_dash.reports import common
from heg_dash.reports import energy as energy_report

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025


@pytest.fixture(scope="module")
def sample_copy(sample_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """One sample database for the module (reports only read), set as HEG_DASH_DB."""
    path = tmp_path_factory.mktemp("reports") / "heg.duckdb"
    shutil.copy(sample_db_template, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HEG_DASH_DB", str(path))
        yield path


@pytest.fixture(scope="module")
def files(sample_copy) -> dict[str, bytes]:
    """Every report in every format it offers, Danish, for YEAR — generated once."""
    return {f"{kind}.{fmt}": reports.generate(kind, YEAR, fmt) for kind, fmts in reports.FORMATS.items()
            for fmt in fmts}


def pdf_pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def squash(text: str) -> str:
    """Text without any whitespace (table cells wrap, units follow a non-breaking space)."""
    return re.sub(r"\s+", "", text)


def flatten(result: dict) -> dict[str, object]:
    """The KPI object as path -> value, written independently of the report code."""
    out: dict[str, object] = {}
    for key, data in result.items():
        if key in ("year", "campus", "partial_year"):
            continue
        if isinstance(data, list):
            for goal in data:
                out.update({f"sdg.{goal['goal']}.{f}": v for f, v in goal.items() if f != "goal"})
        elif isinstance(data, dict):
            out.update({f"{key}.{f}": v for f, v in data.items()})
        else:
            out[key] = data
    return out


def printed_number(section: str, field: str, value: float) -> str:
    """How the report must print a number: Danish format with the field's decimals (unit aside)."""
    _, decimals, kind = common.field_spec(section, field)
    if kind == "share":
        return fmt_percent(value, decimals)
    return fmt_number(value, 0 if kind == "count" else decimals)


# ----------------------------------------------------------------------------------------- PDF files

@pytest.mark.parametrize("name", ["sustainability.pdf", "strategy.pdf"])
def test_pdf_has_numbered_pages_co2_and_the_sample_mark(files, name):
    pages = pdf_pages(files[name])
    assert len(pages) >= 4, "a few pages"
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in text
        assert "Eksempeldata" in text, "every page says sample data is in use"
        assert "Dannet " in text, "every page is dated"
    whole = "\n".join(pages)
    assert "CO₂" in whole, "the embedded font prints the subscript two"
    assert "Strategi 2028" in whole


def test_sustainability_pdf_prints_every_kpi_value_of_the_year(sample_copy, files):
    whole = squash("\n".join(pdf_pages(files["sustainability.pdf"])))
    result = kpis.compute(YEAR)
    checked = 0
    for path, value in flatten(result).items():
        section, field = path.split(".")[0], path.split(".")[-1]
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert squash(printed_number(section, field, value)) in whole, path
            checked += 1
        elif isinstance(value, str) and field == "status":
            assert squash(t(f"status.{value}")) in whole, path
    assert checked >= 4  # at least årselever and m² (value and target)
    assert squash(fmt_number(result["aarselever"]["value"])) in whole  # 1.468


def test_sustainability_pdf_has_every_section_factor_sources_and_sdgs(files):
    text = "\n".join(pdf_pages(files["sustainability.pdf"]))
    for heading in ("Strategi 2028 – status", "Energi", "CO₂e efter scope", "Verdensmålene", "International mobilitet",
                    "Nøgletal", "Datagrundlag", "Emissionsfaktorer 2025"):
        assert heading in text, heading
    assert "Energinet miljødeklaration" in squash(text) or "Energinetmiljødeklaration" in squash(text)
    assert "Klimaindsats" in text and "Partnerskaber for handling" in text
    assert "Solceller på alle tage" in text, "initiatives are listed under their goals"
    # Sections this build does not compute say so rather than showing 0
    missing = [key for key in common.CONTRACT_SECTIONS if key not in kpis.SECTIONS]
    if missing:
        assert "ingen data" in text.lower()


def test_strategy_pdf_quotes_every_focus_area_and_shows_the_headline_charts(sample_copy, files):
    pages = pdf_pages(files["strategy.pdf"])
    text = squash("\n".join(pages))
    for name in ("Læring", "Rekruttering", "Organisation", "Faciliteter", "Omverden", "Økonomi", "Internationalt",
                 "Bæredygtighed"):
        assert name in text
    assert squash("«HEG vil opfylde behovet for kvalificeret arbejdskraft") in text
    assert text.count(squash("— Strategi 2028")) >= 8
    assert squash("Årselever mod 1.800 i 2028") in text and squash("m² pr. årselev mod højst 25") in text
    section = kpi_strategy.aarselever_section(YEAR, None)
    assert squash(f"{fmt_number(section['value'])} ({YEAR})") in text
    assert squash(t("status." + section["status"])) in text
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(files["strategy.pdf"])).pages)
    assert images >= 2, "the årselever path and m² per årselev charts are embedded"


# --------------------------------------------------------------------------------------- Excel files

def test_sustainability_workbook_key_figures_equal_kpis(sample_copy, files):
    book = load_workbook(io.BytesIO(files["sustainability.xlsx"]))
    assert book.sheetnames[:3] == ["Om rapporten", "Nøgletal", "Strategi 2028"]
    assert "Eksempeldata" in str(book["Om rapporten"]["A3"].value)
    rows = list(book["Nøgletal"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Sti (kpis --json)", "Område", "Nøgletal", "Værdi")
    stored = {row[0]: row[3] for row in rows[1:]}
    result = kpis.compute(YEAR)
    for path, value in flatten(result).items():
        if value is None:
            assert stored[path] == "ingen data", path
        elif isinstance(value, int | float):
            # a number, unrounded (openpyxl writes the 15–17 significant digits Excel itself keeps)
            assert isinstance(stored[path], int | float) and stored[path] == pytest.approx(value, rel=1e-14), path
        else:
            assert t(f"status.{value}") in stored[path] or t(f"trend.{value}") in stored[path], path
    for key in common.CONTRACT_SECTIONS:
        if key not in result:
            assert stored[key] == "ingen data", f"absent section {key} says so"


def test_sustainability_workbook_sheets(files):
    book = load_workbook(io.BytesIO(files["sustainability.xlsx"]))
    sdg = list(book["Verdensmål"].iter_rows(values_only=True))
    assert [row[0] for row in sdg[1:]] == list(range(1, 18))
    factors = list(book["Emissionsfaktorer"].iter_rows(values_only=True))
    assert all(row[1] == YEAR and isinstance(row[3], float) and row[5] for row in factors[1:]) and len(factors) > 5
    strategy = list(book["Strategi 2028"].iter_rows(values_only=True))
    aarselever = next(row for row in strategy if row[3] == "Årselever")
    assert aarselever[4] == pytest.approx(kpi_common.aarselever_value(YEAR, None), rel=1e-14)
    assert aarselever[2] == "Strategi 2028"
    assert book["Grafer"]._images, "the charts are in the workbook"


def test_energy_workbook_per_building_with_totals_equal_to_the_energy_kpi(sample_copy, files):
    book = load_workbook(io.BytesIO(files["energy.xlsx"]))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("Bygnings-ID", "Bygning", "Campus", "Anvendelse", "Opvarmet areal (m²)",
                          "Areal i brug i året (m²)")
    col = {name: i for i, name in enumerate(header)}
    assert {"El (kWh)", "Fjernvarme (kWh)", "Vand (m³)"} <= set(col)
    body, total = rows[1:-1], rows[-1]
    assert total[0] == "I alt"
    ids = [row[0] for row in body]
    assert "AAR-E" not in ids and "HOB-H" not in ids, "sold in 2021 and planned buildings are not in use in 2025"
    by_meter = usage.use_by_meter(pd.Timestamp(YEAR, 1, 1).date(), pd.Timestamp(YEAR, 12, 31).date())
    totals = usage.totals_by_utility(by_meter)
    for name, utility in (("El (kWh)", "electricity"), ("Fjernvarme (kWh)", "district_heating"),
                          ("Vand (m³)", "water")):
        values = [row[col[name]] for row in body]
        assert all(isinstance(v, float) for v in values), "numbers are numbers"
        assert total[col[name]] == pytest.approx(totals[utility], rel=1e-14)
        assert math.fsum(values) == pytest.approx(total[col[name]], rel=1e-12)
    # the sub-meter under HOB-B's main meter is not counted twice
    hob_b = next(row for row in body if row[0] == "HOB-B")
    main = by_meter.set_index("meter_id")
    assert hob_b[col["El (kWh)"]] == pytest.approx(main.loc["HOB-B-EL", "kwh"], rel=1e-14)
    # HOB-A's heat meter is in MWh and AAR-A's in GJ: reported in kWh
    hob_a = next(row for row in body if row[0] == "HOB-A")
    assert hob_a[col["Fjernvarme (kWh)"]] == pytest.approx(main.loc["HOB-A-FV", "native"] * 1000)
    assert total[col["Areal i brug i året (m²)"]] == pytest.approx(kpi_common.heated_area_m2(YEAR, None), rel=1e-14)
    result = kpis.compute(YEAR)
    if "energy" in result:  # after the energy KPI is merged: the same totals
        assert total[col["El (kWh)"]] == pytest.approx(result["energy"]["electricity_kwh"], rel=1e-9)
        assert total[col["Fjernvarme (kWh)"]] == pytest.approx(result["energy"]["district_heating_kwh"], rel=1e-9)
        assert total[col["Vand (m³)"]] == pytest.approx(result["energy"]["water_m3"], rel=1e-9)
    assert "Eksempeldata" in str(book["Om rapporten"]["A3"].value)


def test_energy_csv_is_danish_and_matches_the_workbook(files):
    csv = files["energy.csv"]
    assert csv.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig")
    sheet = load_workbook(io.BytesIO(files["energy.xlsx"])).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(frame.columns) == list(rows[0])
    assert frame["El (kWh)"].dtype.kind == "f"
    assert frame["El (kWh)"].iloc[-1] == pytest.approx(rows[-1][list(rows[0]).index("El (kWh)")], abs=0.001)
    assert frame["Bygnings-ID"].iloc[-1] == "I alt"


def test_area_in_use_counts_a_sold_building_by_its_days(sample_copy):
    frame, _ = energy_report.building_table(2021)
    sold = frame.set_index("building_id").loc["AAR-E"]
    assert sold["area_in_use_m2"] == pytest.approx(1100 * 181 / 365)  # 1 January – 30 June 2021
    from heg_dash import queries

    assert sold["area_in_use_m2"] == area_in_use_m2(queries.table("buildings"), 2021)["AAR-E"]


# ------------------------------------------------------------------ the full contract, planted in-process

FULL = {
    "energy": {"electricity_kwh": 1519916.75, "district_heating_kwh": 3619349.25, "heat_normalised_kwh": 3700000.0,
               "water_m3": 11970.5, "pv_kwh": 119023.0, "eui_weighted_kwh_m2": 157.25},
    "co2e_t": {"scope1": 22.25, "scope2_location": 301.5, "scope2_market": 512.75, "scope3": 48.5,
               "total_location": 372.25},
    "sdg": [{"goal": g, "status": "on_track" if g == 7 else "no_data", "trend": "improving" if g == 7 else "no_data"}
            for g in range(1, 18)],
    "mobilities": {"outbound_students": 57, "outbound_staff": 12, "inbound": 9, "green_travel_share": 0.375},
    "economy": {"revenue_dkk": 212345678.0, "result_dkk": 3456789.0, "overskudsgrad": 1.625, "likviditetsgrad": 145.5,
                "soliditetsgrad": 31.25, "finansieringsgrad": 62.5, "cost_per_aarselev_dkk": 141234.5},
}


def test_every_contract_section_is_reported_once_registered(sample_db, monkeypatch):
    for key, value in FULL.items():
        monkeypatch.setitem(kpis.SECTIONS, key, lambda year, campus, value=value: value)
    result = kpis.compute(YEAR)
    book = load_workbook(io.BytesIO(reports.generate("sustainability", YEAR, "xlsx")))
    stored = {row[0]: row[3] for row in book["Nøgletal"].iter_rows(min_row=2, values_only=True)}
    for path, value in flatten(result).items():
        if isinstance(value, int | float):
            assert stored[path] == pytest.approx(value, rel=1e-14), path
    assert "ingen data" not in [stored[k] for k in common.CONTRACT_SECTIONS if k in stored]
    text = squash("\n".join(pdf_pages(reports.generate("sustainability", YEAR, "pdf"))))
    for path, value in flatten(result).items():
        section, field = path.split(".")[0], path.split(".")[-1]
        if isinstance(value, int | float):
            assert squash(printed_number(section, field, value)) in text, path
    assert squash("1.519.917") in text and squash("37,5 %") in text and squash("▲ På rette spor") in text
    strategy = pdf_pages(reports.generate("strategy", YEAR, "pdf"))
    for title in ("Energi pr. år (MWh)", "CO₂e efter scope pr. år (t)", "Mobiliteter pr. år (deltagere)",
                  "Resultat pr. år (mio. kr.)"):
        assert title in "\n".join(strategy), title


# ---------------------------------------------------------------------------------------- languages, empty

def test_english_report_on_request(sample_db):
    book = load_workbook(io.BytesIO(reports.generate("energy", YEAR, "xlsx", lang="en")))
    assert book.sheetnames == ["Energy use 2025", "About the report"]
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert {"Building ID", "Electricity (kWh)", "District heating (kWh)", "Water (m³)"} <= set(header)
    assert str(book["About the report"]["A3"].value).startswith("Sample data:")


def test_reports_on_an_empty_database_say_no_data(empty_db):
    text = "\n".join(pdf_pages(reports.generate("sustainability", YEAR, "pdf")))
    assert "ingen data" in text.lower() and "Eksempeldata" not in text
    frame = pd.read_csv(io.BytesIO(reports.generate("energy", YEAR, "csv")), sep=";", decimal=",",
                        encoding="utf-8-sig")
    assert list(frame["Bygnings-ID"]) == ["I alt"]
    load_workbook(io.BytesIO(reports.generate("energy", YEAR, "xlsx")))


def test_a_format_a_report_does_not_offer_is_refused():
    with pytest.raises(reports.UnsupportedFormat):
        reports.generate("strategy", YEAR, "xlsx")
    with pytest.raises(reports.UnsupportedFormat):
        reports.generate("energy", YEAR, "pdf")


def test_tz_aware_datetimes_become_local_wall_clock():
    from heg_dash.reports.excel import excel_value

    value = excel_value(pd.Timestamp("2025-03-30 01:30", tz="UTC"))
    assert value.tzinfo is None and (value.hour, value.minute) == (3, 30)  # CEST after the change
    assert excel_value(float("nan")) is None


# ------------------------------------------------------------------------------------------------ CLI

def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HEG_DASH_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "heg_dash", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_cli_writes_the_energy_report_as_excel_and_csv(sample_copy, tmp_path):
    for fmt, magic in (("xlsx", b"PK"), ("csv", "\ufeffBygnings-ID".encode())):
        out = tmp_path / f"energi.{fmt}"
        result = run_cli("report", "energy", "--year", str(YEAR), "--format", fmt, "--out", str(out), db=sample_copy)
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(magic) and str(out) in result.stdout


def test_cli_writes_the_board_report_in_english(sample_copy, tmp_path):
    out = tmp_path / "status.pdf"
    result = run_cli("report", "strategy", "--year", str(YEAR), "--format", "pdf", "--out", str(out),
                     "--lang", "en", db=sample_copy)
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(out.read_bytes())
    assert "Strategy 2028 – status 2025" in pages[0] and f"Page 1 of {len(pages)}" in pages[0]
    assert not out.with_name(out.name + ".part").exists()


@pytest.mark.parametrize("args", [
    ("report", "strategy", "--year", "2025", "--format", "xlsx"),       # strategy is PDF only
    ("report", "energy", "--year", "2025", "--format", "pdf"),          # energy is Excel/CSV
    ("report", "sustainability", "--year", "2025", "--format", "csv"),
    ("report", "annual", "--year", "2025", "--format", "pdf"),           # no such report
    ("report", "energy", "--format", "csv"),                             # no year
    ("report", "energy", "--year", "2025", "--format", "csv", "--campus", "XX"),
    ("report", "energy", "--year", "2025", "--format", "csv", "--lang", "de"),
])
def test_cli_bad_arguments_exit_2_and_write_nothing(sample_copy, tmp_path, args):
    out = tmp_path / "x.out"
    result = run_cli(*args, "--out", str(out), db=sample_copy)
    assert result.returncode == 2, result.stderr
    assert not out.exists()


def test_cli_missing_output_folder_exits_2(sample_copy, tmp_path):
    out = tmp_path / "no" / "such" / "r.csv"
    result = run_cli("report", "energy", "--year", "2025", "--format", "csv", "--out", str(out), db=sample_copy)
    assert result.returncode == 2 and "findes ikke" in result.stderr  # Danish unless HEG_DASH_LANG=en


# ---------------------------------------------------------------------------------------------- page

def test_overview_offers_the_board_report_download(sample_db):
    from tests.test_pages import run_page

    at = run_page("overblik", "da", {"year": "2024"})
    assert not at.exception
    buttons = at.get("download_button")
    assert buttons and "Statusrapport til bestyrelsen (PDF)" in buttons[0].proto.label


# ----------------------------------------------------------------------------- measured initiatives (issue 23)

@pytest.mark.parametrize("name", ["strategy.pdf", "sustainability.pdf"])
def test_the_reports_list_the_measured_initiatives(files, name):
    text = "\n".join(pdf_pages(files[name]))
    assert "Indsatser — målte besparelser" in text and "målt til og med 31. december 2025" in text
    flat = " ".join(text.split())
    assert "Dagslysstyring af belysningen i Værksted Aars" in flat
    assert "mere end lovet" in flat and "mindre end lovet" in flat and "Kan ikke måles sikkert endnu" in flat


def test_the_workbook_has_every_measured_saving_unrounded(files):
    from heg_dash.kpis import savings as ks

    rows = list(load_workbook(io.BytesIO(files["sustainability.xlsx"]))["Besparelser"].iter_rows(values_only=True))
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    items = ks.for_year(YEAR)
    assert [r["ID"] for r in body] == [m.initiative_id for m in items] == ["I13", "I14", "I15"]
    for row, item in zip(body, items, strict=True):
        assert row["Undgået, kWh"] == pytest.approx(item.contract["avoided_kwh"], rel=1e-12)
        assert row["Målt, %"] == pytest.approx(item.contract["avoided_pct"], rel=1e-12)
        assert row["Sparet, kr."] == pytest.approx(item.contract["avoided_dkk"], rel=1e-12)
        assert row["Opfylder ASHRAE Guideline 14"] == "ja"
