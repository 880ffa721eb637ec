"""The pure import layer: bytes in -> typed frame + problems out (heg_dash.importers.parse_file)."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from heg_dash import datasets, i18n
from heg_dash.i18n.catalogue import importing
from heg_dash.importers import FORMATS, ParsedImport, parse_file
from heg_dash.importers.cells import looks_like_formula

FIXTURES = Path(__file__).parent / "fixtures" / "import"
GSRN = "571313161100187650"
METERS = pd.DataFrame({
    "meter_id": ["EL-HOB-1", "EL-MWH", "VAND-1", "VAND-2"],
    "gsrn": [GSRN, "571313161100000002", "571313161100000003", None],
    "unit": ["kWh", "MWh", "m3", "m3"],
    "utility": ["electricity", "electricity", "water", "water"],
})
KNOWN = {
    ("meters", "meter_id"): {"EL-HOB-1", "EL-MWH", "VAND-1", "VAND-2"},
    ("campuses", "campus_id"): {"hobro", "aars"},
    ("buildings", "building_id"): {"HOB-A", "AAR-B"},
    ("indicators", "indicator_id"): {"IND-1"},
}
READINGS_HEADER = "meter_id,start,end,value,quality\n"
ELO_HEADER = "MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type\r\n"


@pytest.fixture(autouse=True)
def _danish():
    with i18n.language("da"):
        yield


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def keys(result: ParsedImport) -> list[str]:
    return [p.key for p in result.problems]


def only(result: ParsedImport, key: str):
    found = [p for p in result.problems if p.key == key]
    assert found, f"no {key} in {[p.text() for p in result.problems]}"
    return found


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def elo(rows: list[str], gsrn: str = GSRN) -> bytes:
    """An Eloverblik export as the portal writes it: BOM, `;`, CRLF."""
    lines = [f"{gsrn};{r}" for r in rows]
    return ("\ufeff" + ELO_HEADER + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx(rows: list[list[object]], title: str = "Sheet", extra_sheets: dict[str, list[list]] | None = None,
         first_sheet: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:
        ws.title = first_sheet
        ws.append(["kolonne", "beskrivelse"])
        ws = wb.create_sheet(title)
    else:
        ws.title = title
    for row in rows:
        ws.append(row)
    for name, sheet_rows in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ----------------------------------------------------------------------------------------- CSV flavours

def test_csv_comma_with_decimal_point_and_offsets():
    r = parse_file("readings", "heg.csv", fixture("readings_comma.csv"), known_keys=KNOWN)
    assert r.problems == [] and r.format == "csv" and r.rows_in_file == 3
    assert list(r.frame.columns) == datasets.get("readings").column_names
    assert list(r.frame.index) == [2, 3, 4]  # the header is row 1
    assert r.frame["start"].tolist() == [utc("2023-12-31 23:00"), utc("2024-01-01 00:00"), utc("2024-01-01 01:00")]
    assert r.frame["value"].tolist() == [12.5, 1234.25, 0.0]
    assert str(r.frame["start"].dtype) == "datetime64[us, UTC]"
    assert str(r.frame["value"].dtype) == "Float64"
    assert r.frame["quality"].tolist()[:2] == ["measured", "estimated"] and pd.isna(r.frame["quality"].iloc[2])


def test_csv_semicolon_with_decimal_comma_thousands_and_danish_dates():
    r = parse_file("readings", "heg.csv", fixture("readings_semicolon.csv"), known_keys=KNOWN)
    assert r.problems == []
    assert r.frame["value"].tolist() == [12.5, 1234.25]
    assert r.frame["start"].tolist() == [utc("2023-12-31 23:00"), utc("2024-01-01 00:00")]


def test_semicolon_file_refuses_a_decimal_point_and_says_why():
    content = b"meter_id;start;end;value\nEL-HOB-1;2024-01-01 00:00;2024-01-01 01:00;0.5\n"
    r = parse_file("readings", "heg.csv", content)
    (p,) = only(r, "imp.not_number_comma")
    assert (p.row, p.column) == (2, "value")
    assert "komma" in p.text()


def test_tab_separated_file_sniffs_its_decimal_mark():
    content = b"meter_id\tstart\tend\tvalue\nEL-HOB-1\t2024-01-01 00:00\t2024-01-01 01:00\t2,5\n"
    r = parse_file("readings", "heg.tsv", content)
    assert r.problems == [] and r.frame["value"].tolist() == [2.5]


def test_cp1252_with_danish_letters():
    r = parse_file("buildings", "bygninger.csv", fixture("buildings_cp1252.csv"), known_keys=KNOWN)
    assert r.problems == []
    assert r.frame["name"].tolist() == ["Værkstedshal Øst", "Kantine på Ågade"]
    assert r.frame["heated_area_m2"].tolist() == [1250.5, 480.0]
    assert r.frame["in_use_from"].tolist() == [pd.Timestamp("1975-08-01"), pd.Timestamp("2001-08-01")]
    assert r.frame["floors"].tolist()[0] == 2 and pd.isna(r.frame["floors"].iloc[1])
    assert r.frame["in_use_to"].isna().all()  # an optional column left out comes back null


def test_utf8_bom_and_header_compared_trimmed_case_insensitive():
    content = "\ufeff Date ;KIND;Name\n2024-12-24;Holiday;Juleaften\n".encode()
    r = parse_file("calendar", "kalender.csv", content)
    assert r.problems == []
    assert r.frame["kind"].tolist() == ["holiday"]  # closed lists match any case, stored as declared


def test_blank_lines_count_in_row_numbers():
    content = b"date,kind\n\n2024-12-24,holiday\n2024-12-25,nope\n"
    r = parse_file("calendar", "k.csv", content)
    (p,) = only(r, "imp.not_allowed")
    assert p.row == 4 and list(r.frame.index) == [3, 4]


# ----------------------------------------------------------------------------------------------- Excel

def test_xlsx_first_sheet_with_native_types_and_description_sheet_ignored():
    content = xlsx(
        [["campus_id", "year", "education_area", "aarselever"], ["hobro", 2023, "eud", 512.5],
         ["aars", 2023, "hhx", "300,5"]],
        extra_sheets={"Beskrivelse": [["kolonne", "beskrivelse"], ["year", "kalenderår"]]},
    )
    r = parse_file("activity", "aktivitet.xlsx", content, known_keys=KNOWN)
    assert r.problems == [] and r.format == "xlsx"
    assert r.frame["aarselever"].tolist() == [512.5, 300.5]
    assert r.frame["year"].tolist() == [2023, 2023] and str(r.frame["year"].dtype) == "Int64"


def test_xlsx_sheet_named_as_dataset_wins_and_rows_are_the_sheets():
    content = xlsx([["date", "kind"], ["2024-12-24", "holiday"], ["2023-02-30", "closed"]],
                   title="calendar", first_sheet="Beskrivelse")
    r = parse_file("calendar", "k.xlsx", content)
    (p,) = only(r, "imp.impossible_date")
    assert p.row == 3 and p.column == "date"


def test_xlsx_dates_and_datetimes_are_local_wall_clock():
    import datetime as dt
    content = xlsx([["meter_id", "start", "end", "value"],
                    ["EL-HOB-1", dt.datetime(2024, 7, 1, 0, 0), dt.datetime(2024, 7, 1, 1, 0), 3]])
    r = parse_file("readings", "r.xlsx", content)
    assert r.problems == []
    assert r.frame["start"].iloc[0] == utc("2024-06-30 22:00")  # summer time: UTC+2


def test_xlsx_native_dates_and_sheet_row_numbers_below_a_blank_top():
    import datetime as dt
    wb = openpyxl.Workbook()
    ws = wb.active
    for col, value in enumerate(["date", "kind"], start=1):
        ws.cell(row=3, column=col, value=value)  # rows 1-2 left blank: the header is the first row with data
    rows = [(dt.date(2024, 12, 24), "holiday"), (dt.datetime(2024, 12, 25), "holiday"),
            (dt.datetime(2024, 12, 26, 10, 0), "closed"), (45000, "exam")]
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row, start=1):
            ws.cell(row=r, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    result = parse_file("calendar", "k.xlsx", buf.getvalue())
    assert list(result.frame.index) == [4, 5, 6, 7]
    assert result.frame["date"].tolist()[:2] == [pd.Timestamp("2024-12-24"), pd.Timestamp("2024-12-25")]
    assert [(p.row, p.key) for p in result.problems] == [(6, "imp.not_date"), (7, "imp.not_date")]


def test_non_finite_numbers_are_not_numbers():
    content = (READINGS_HEADER + "EL-HOB-1,2024-01-01 00:00,2024-01-01 01:00,1e999,\n").encode()
    assert keys(parse_file("readings", "r.csv", content)) == ["imp.not_number"]


def test_xlsx_long_number_in_text_column_is_refused():
    content = xlsx([["meter_id", "building_id", "utility", "unit", "gsrn"],
                    ["M1", "HOB-A", "electricity", "kWh", 571313161100187650.0]])
    r = parse_file("meters", "m.xlsx", content)
    assert "imp.number_as_text" in keys(r)


def test_excel_detected_by_content_not_name():
    content = xlsx([["date", "kind"], ["2024-12-24", "holiday"]])
    r = parse_file("calendar", "upload.csv", content)
    assert r.problems == [] and r.format == "xlsx"


# ------------------------------------------------------------------------------------------ whole file

def test_empty_file():
    for content in (b"", b"\xef\xbb\xbf", b"  \r\n"):
        r = parse_file("readings", "tom.csv", content)
        assert keys(r) == ["imp.empty_file"]
        assert r.problems[0].text() == "tom.csv: filen er tom"
        assert list(r.frame.columns) == datasets.get("readings").column_names


def test_header_only_has_no_rows():
    r = parse_file("readings", "r.csv", READINGS_HEADER.encode())
    assert keys(r) == ["imp.no_rows"]


def test_png_is_refused_clearly():
    r = parse_file("readings", "billede.png", fixture("image.png"))
    assert keys(r) == ["imp.unreadable"]


def test_random_bytes_are_refused_clearly():
    noise = random.Random(7).randbytes(4000)
    r = parse_file("readings", "x.csv", noise)
    assert keys(r) == ["imp.unreadable"]


def test_broken_zip_is_a_bad_workbook():
    r = parse_file("readings", "x.xlsx", b"PK\x03\x04" + random.Random(1).randbytes(500))
    assert keys(r) == ["imp.bad_xlsx"]


def test_old_xls_gets_advice():
    r = parse_file("readings", "x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert keys(r) == ["imp.old_xls"]


def test_too_large():
    content = ("date,kind\n" + "".join(f"2024-01-{d:02d},closed\n" for d in range(1, 32)) * 3).encode()
    r = parse_file("calendar", "stor.csv", content[:370], max_bytes=1000)
    assert r.problems == []
    r = parse_file("calendar", "stor.csv", content, max_bytes=1000)
    assert keys(r) == ["imp.too_large"]
    assert "MB" in r.problems[0].text()
    assert keys(parse_file("calendar", "stor.csv", content, max_bytes=len(content))) == ["imp.duplicate_key"] * 20 + [
        "imp.more"]


@pytest.mark.parametrize("content", [
    b"{", b"[1, 2]", b"{}", b'{"type": "FeatureCollection", "features": 3}', b"\xff\xfe\x00a", b";;;\n;;;",
    b"a;b\n1;2", b"date,kind\n\"unterminated", "æøå".encode("utf-16"), b"PK\x03\x04", b"\x89PNG",
    b'{"type": "FeatureCollection", "features": [null, 1, {"geometry": {"type": "Polygon"}}]}',
])
@pytest.mark.parametrize("dataset", ["readings", "building_footprints", "meters", "calendar"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_never_raises(content, dataset, fmt):
    r = parse_file(dataset, "x.csv", content, fmt, meters=METERS, known_keys=KNOWN)
    assert r.problems  # each of these is wrong somehow
    assert "imp.internal" not in keys(r), [p.text() for p in r.problems]
    assert list(r.frame.columns) == datasets.get(dataset).column_names
    for p in r.problems:
        assert p.text()


def test_unknown_dataset_and_format():
    assert keys(parse_file("nope", "x.csv", b"a\n1")) == ["imp.unknown_dataset"]
    assert keys(parse_file("readings", "x.csv", b"a\n1", "pdf")) == ["imp.unknown_format"]


def test_eloverblik_file_into_the_wrong_dataset():
    r = parse_file("meters", "elo.csv", fixture("eloverblik_2024-10-27.csv"), meters=METERS)
    (p,) = only(r, "imp.format_dataset")
    assert p.values["expected"] == "readings"


# ---------------------------------------------------------------------------------------------- header

def test_missing_required_columns_one_problem_naming_them():
    r = parse_file("readings", "r.csv", b"meter_id,value\nEL-HOB-1,1\n")
    assert keys(r) == ["imp.missing_columns"]
    assert r.problems[0].values["columns"] == ["start", "end"]
    assert "start, end" in r.problems[0].text()


def test_unknown_extra_column_is_named():
    content = (READINGS_HEADER.strip() + ",comment\nEL-HOB-1,2024-01-01 00:00,2024-01-01 01:00,1,,hej\n").encode()
    r = parse_file("readings", "r.csv", content)
    (p,) = only(r, "imp.unknown_columns")
    assert p.values["columns"] == ["comment"]


def test_optional_columns_may_be_left_out():
    r = parse_file("meters", "m.csv", b"meter_id,building_id,utility,unit\nM1,HOB-A,water,m3\n", known_keys=KNOWN)
    assert r.problems == []
    assert list(r.frame.columns) == datasets.get("meters").column_names
    assert r.frame[["gsrn", "parent_meter_id"]].isna().all().all()


def test_duplicate_header_and_cells_beyond_header():
    r = parse_file("calendar", "k.csv", b"date,kind,Date\n2024-12-24,holiday,x\n")
    assert "imp.duplicate_column" in keys(r)
    r = parse_file("calendar", "k.csv", b"date,kind\n2024-12-24,holiday,x\n")
    assert keys(r) == ["imp.extra_cells"]


# ----------------------------------------------------------------------------------------------- types

def test_not_a_number_message_names_file_row_and_column():
    content = (READINGS_HEADER + "EL-HOB-1,2024-01-01 00:00,2024-01-01 01:00,abc,\n").encode()
    (p,) = only(parse_file("readings", "heg.csv", content), "imp.not_number")
    assert p.text() == "heg.csv, række 2, kolonne value: 'abc' er ikke et tal"
    with i18n.language("en"):
        assert p.text() == "heg.csv, row 2, column value: 'abc' is not a number"


def test_int_column_refuses_fractions():
    r = parse_file("indicator_values", "v.csv", b"indicator_id,year,value\nIND-1,2023.5,1\n")
    assert keys(r) == ["imp.not_integer"]


def test_impossible_dates():
    r = parse_file("calendar", "k.csv", b"date,kind\n2023-02-30,holiday\n30-02-2023,closed\n2024-13-01,exam\n")
    assert [p.row for p in only(r, "imp.impossible_date")] == [2, 3, 4]
    r = parse_file("readings", "r.csv", (READINGS_HEADER + "EL-HOB-1,2023-02-30 00:00,2023-03-01 00:00,1,\n").encode())
    assert only(r, "imp.impossible_date")[0].column == "start"


def test_not_a_date_or_time():
    r = parse_file("calendar", "k.csv", b"date,kind\nyesterday,holiday\n")
    assert keys(r) == ["imp.not_date"]
    r = parse_file("readings", "r.csv", (READINGS_HEADER + "EL-HOB-1,soon,2024-01-01 01:00,1,\n").encode())
    assert keys(r) == ["imp.not_timestamp"]


def test_booleans_in_danish_and_english():
    header = ("exchange_id;direction;participant;programme;education_area;campus_id;partner;country;city;lat;lon;"
              "start_date;end_date;participants;travel_mode;green_travel\n")
    rows = ["X1;out;student;Erasmus+;eud;hobro;Skole;DE;Kiel;54,3;10,1;2024-03-01;2024-03-14;4;train;ja",
            "X2;out;staff;Erasmus+;eud;hobro;Skole;DE;Kiel;54,3;10,1;2024-03-01;2024-03-05;1;air;FALSE",
            "X3;out;staff;Erasmus+;eud;hobro;Skole;DE;Kiel;54,3;10,1;2024-03-01;2024-03-05;1;air;måske"]
    r = parse_file("exchanges", "ud.csv", (header + "\n".join(rows)).encode(), known_keys=KNOWN)
    assert r.frame["green_travel"].tolist()[:2] == [True, False]
    (p,) = only(r, "imp.not_bool")
    assert p.row == 4 and keys(r) == ["imp.not_bool"]


def test_empty_required_cell():
    r = parse_file("calendar", "k.csv", b"date,kind,name\n2024-12-24,,Juleaften\n")
    (p,) = only(r, "imp.required")
    assert (p.row, p.column) == (2, "kind")


def test_closed_list_quotes_value_and_lists_allowed():
    r = parse_file("meters", "m.csv", b"meter_id,building_id,utility,unit\nM1,HOB-A,steam,kWh\n")
    (p,) = only(r, "imp.not_allowed")
    assert "'steam'" in p.text() and "district_heating" in p.text()


def test_min_max_and_negative_numbers_are_numbers():
    content = (READINGS_HEADER + "EL-HOB-1,2024-01-01 00:00,2024-01-01 01:00,-5,\n").encode()
    r = parse_file("readings", "r.csv", content)
    (p,) = only(r, "imp.below_min")
    assert keys(r) == ["imp.below_min"] and p.text().endswith("-5 er mindre end det mindste tilladte (0)")
    r = parse_file("campuses", "c.csv", b"campus_id,name,address,lat,lon\nhobro,Hobro,Kirketoften 7,96.5,9.8\n")
    assert keys(r) == ["imp.above_max"]
    r = parse_file("finance", "f.csv", b"year,item,amount_dkk\n2023,result,-1250000.5\n")
    assert r.problems == [] and r.frame["amount_dkk"].tolist() == [-1250000.5]


def test_patterns_gsrn_and_country():
    r = parse_file("meters", "m.csv", b"meter_id,building_id,utility,unit,gsrn\nM1,HOB-A,electricity,kWh,5713131611\n")
    (p,) = only(r, "imp.pattern_gsrn")
    assert "18 cifre" in p.text()
    r = parse_file("partners", "p.csv", b"partner_id,name,kind,country,city,lat,lon,since\n"
                                        b"P1,Firma,company,Denmark,Aars,56.8,9.5,2019\n")
    assert keys(r) == ["imp.not_country"]


# -------------------------------------------------------------------------------------------- formulas

@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "+cmd|' /C calc'!A0", "@SUM(1,2)", "-2+3", "=1", "+A1",
                                  "-HYPERLINK(\"http://x\")"])
def test_formula_like_text_is_refused(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["-", "- note", "+45 12 34 56", "@hans", "Hobro", "-5", "=", "+"])
def test_ordinary_text_is_not_a_formula(text):
    assert not looks_like_formula(text)


def test_formula_in_a_text_cell_is_a_problem():
    content = b'initiative_id,title,owner,status,start_date,focus_area\nI1,"=HYPERLINK(""http://x"")",Eva,active,2024-01-01,laering\n'
    r = parse_file("initiatives", "i.csv", content)
    (p,) = only(r, "imp.formula")
    assert (p.row, p.column) == (2, "title") and keys(r) == ["imp.formula"]


# --------------------------------------------------------------------------------------- row-level rules

def test_end_before_start():
    content = (READINGS_HEADER + "EL-HOB-1,2024-01-01 02:00,2024-01-01 01:00,1,\n"
                                 "EL-HOB-1,2024-01-01 03:00,2024-01-01 03:00,1,\n").encode()
    r = parse_file("readings", "r.csv", content)
    assert [(p.row, p.column) for p in only(r, "imp.end_not_after_start")] == [(2, "end"), (3, "end")]
    r = parse_file("buildings", "b.csv", b"building_id,campus_id,name,use,year_built,heated_area_m2,energy_label,"
                                         b"status,in_use_from,in_use_to\n"
                                         b"B1,hobro,Hal,other,1990,100,C,sold,2000-01-01,1999-12-31\n")
    assert keys(r) == ["imp.end_before_start"]


def test_duplicate_keys_name_both_rows():
    content = (READINGS_HEADER + "EL-HOB-1,2024-01-01 00:00,2024-01-01 01:00,1,\n"
                                 "VAND-1,2024-01-01 00:00,2024-01-01 01:00,1,\n"
                                 "EL-HOB-1,2024-01-01T00:00+01:00,2024-01-01 01:00,2,\n").encode()
    r = parse_file("readings", "r.csv", content)
    (p,) = only(r, "imp.duplicate_key")
    assert p.row == 4 and p.values["first"] == 2  # same instant, written two ways
    assert "række 4" in p.text() and "række 2" in p.text()


def test_unknown_references():
    content = (READINGS_HEADER + "EL-HOB-1,2024-01-01 00:00,2024-01-01 01:00,1,\n"
                                 "M-NY,2024-01-01 00:00,2024-01-01 01:00,1,\n"
                                 "M-NY,2024-01-01 01:00,2024-01-01 02:00,1,\n").encode()
    r = parse_file("readings", "r.csv", content, known_keys=KNOWN)
    (p,) = only(r, "imp.unknown_reference")
    assert (p.row, p.values["value"], p.values["count"], p.values["dataset"]) == (3, "M-NY", 2, "meters")
    assert parse_file("readings", "r.csv", content).problems == []  # nothing known: not checked
    r = parse_file("readings", "r.csv", content, meters=METERS)  # meters vouch for meter ids
    assert keys(r) == ["imp.unknown_reference"]


def test_parent_meter_may_be_in_the_same_file_and_campus_must_exist():
    content = b"meter_id,building_id,utility,unit,parent_meter_id\nM1,HOB-A,water,m3,\nM2,HOB-A,water,m3,M1\n"
    assert parse_file("meters", "m.csv", content, known_keys=KNOWN).problems == []
    r = parse_file("weather", "w.csv", b"campus_id,date,mean_temp_c\nskive,2024-01-01,3.5\n", known_keys=KNOWN)
    assert keys(r) == ["imp.unknown_reference"]


def test_meter_unit_must_fit_utility():
    r = parse_file("meters", "m.csv", fixture("meters_semicolon.csv"), known_keys=KNOWN)
    (p,) = only(r, "imp.unit_for_utility")
    assert (p.row, p.column) == (4, "unit") and "m3" in p.text()
    assert r.frame["gsrn"].iloc[0] == GSRN


def test_problems_are_capped_with_a_count_of_the_rest():
    rows = "".join(f"M{i},2024-01-01 00:00,2024-01-01 01:00,x{i},\n" for i in range(1254))
    r = parse_file("readings", "r.csv", (READINGS_HEADER + rows).encode())
    examples = only(r, "imp.not_number")
    assert len(examples) == 20
    (more,) = only(r, "imp.more")
    assert more.values["count"] == 1234
    assert more.text() == "r.csv, kolonne value: … og 1.234 rækker mere med samme fejl"


# -------------------------------------------------------------------------------------- Danish local time

def test_naive_october_hours_inferred_per_meter_in_file_order():
    hours = ["00", "01", "02", "02", "03"]
    lines = []
    for h, nxt in zip(hours, ["01", "02", "02", "03", "04"], strict=True):
        for meter in ("EL-HOB-1", "VAND-1"):  # interleaved meters: each is inferred on its own
            lines.append(f"{meter},2024-10-27 {h}:00,2024-10-27 {nxt}:00,1,")
    r = parse_file("readings", "r.csv", (READINGS_HEADER + "\n".join(lines)).encode())
    assert r.problems == []
    el = r.frame[r.frame["meter_id"] == "EL-HOB-1"]
    assert el["start"].tolist() == [utc(f"2024-10-{d} {h}:00") for d, h in
                                    [(26, 22), (26, 23), (27, "00"), (27, "01"), (27, "02")]]
    assert (el["end"] - el["start"]).eq(pd.Timedelta(hours=1)).all()


def test_nonexistent_march_time_names_the_row():
    content = (READINGS_HEADER + "EL-HOB-1,2024-03-31 01:00,2024-03-31 03:00,1,\n"
                                 "EL-HOB-1,2024-03-31 02:30,2024-03-31 03:00,1,\n").encode()
    r = parse_file("readings", "r.csv", content)
    (p,) = only(r, "imp.nonexistent_time")
    assert (p.row, p.column) == (3, "start") and "2024-03-31 02:30" in p.text()
    assert r.frame["end"].iloc[0] - r.frame["start"].iloc[0] == pd.Timedelta(hours=1)


def test_a_lone_repeated_hour_cannot_be_inferred():
    r = parse_file("readings", "r.csv", (READINGS_HEADER + "EL-HOB-1,2024-10-27 02:30,2024-10-27 04:00,1,\n").encode())
    (p,) = only(r, "imp.ambiguous_time")
    assert p.row == 2
    ok = READINGS_HEADER + "EL-HOB-1,2024-10-27T02:30+01:00,2024-10-27 04:00,1,\n"
    assert parse_file("readings", "r.csv", ok.encode()).problems == []


def test_several_octobers_in_one_file():
    lines = [f"EL-HOB-1,{d} 02:00,{d} 02:59,1," for d in ("2023-10-29", "2023-10-29", "2024-10-27", "2024-10-27")]
    r = parse_file("readings", "r.csv", (READINGS_HEADER + "\n".join(lines)).encode())
    assert r.problems == []
    assert r.frame["start"].tolist() == [utc("2023-10-29 00:00"), utc("2023-10-29 01:00"),
                                         utc("2024-10-27 00:00"), utc("2024-10-27 01:00")]


# ------------------------------------------------------------------------------------------- Eloverblik

def test_eloverblik_october_day_has_25_distinct_hours():
    r = parse_file("readings", "eloverblik.csv", fixture("eloverblik_2024-10-27.csv"), meters=METERS)
    assert r.problems == [] and r.format == "eloverblik" and r.rows_in_file == 25
    f = r.frame
    assert len(f) == 25 and f["start"].is_unique and f["start"].is_monotonic_increasing
    assert f["start"].iloc[0] == utc("2024-10-26 22:00") and f["end"].iloc[-1] == utc("2024-10-27 23:00")
    assert (f["end"] - f["start"]).eq(pd.Timedelta(hours=1)).all()
    # the repeated 02:00 in file order: first summer time (00:00 UTC), then winter time (01:00 UTC)
    assert f.loc[[4, 5], "start"].tolist() == [utc("2024-10-27 00:00"), utc("2024-10-27 01:00")]
    assert set(f["meter_id"]) == {"EL-HOB-1"} and set(f["quality"]) == {"measured"}
    assert f["value"].iloc[1] == 1.01


def test_eloverblik_march_day_has_23_hours_and_no_invented_0200():
    r = parse_file("readings", "eloverblik.csv", fixture("eloverblik_2024-03-31.csv"), meters=METERS)
    assert r.problems == [] and len(r.frame) == 23
    local = r.frame["start"].dt.tz_convert("Europe/Copenhagen")
    assert 2 not in set(local.dt.hour)
    assert (r.frame["start"].diff().dropna() == pd.Timedelta(hours=1)).all()
    # 01:00-02:00 names an end that does not exist: Til_dato is not converted, the hour is kept
    assert r.frame.loc[3, "end"] == utc("2024-03-31 01:00")


def test_eloverblik_quarter_hours_on_the_october_night():
    times = ["02:00", "02:15", "02:30", "02:45"] * 2
    rows = []
    for t in times:
        h, m = map(int, t.split(":"))
        end = f"{h + (m == 45):02d}:{(m + 15) % 60:02d}"
        rows.append(f"27-10-2024 {t}:00;27-10-2024 {end}:00;0,5;KWH;A04;Tidsserie")
    r = parse_file("readings", "kvarter.csv", elo(rows), meters=METERS)
    assert r.problems == []
    assert r.frame["start"].is_unique and len(r.frame) == 8
    assert r.frame["start"].iloc[4] == utc("2024-10-27 01:00")
    assert (r.frame["end"] - r.frame["start"]).eq(pd.Timedelta(minutes=15)).all()


def test_eloverblik_quality_codes_and_a02_skipped_with_warning():
    rows = ["01-01-2024 00:00:00;01-01-2024 01:00:00;1,5;KWH;Målt;Tidsserie",
            "01-01-2024 01:00:00;01-01-2024 02:00:00;1,5;KWH;A01;Tidsserie",
            "01-01-2024 02:00:00;01-01-2024 03:00:00;;KWH;A02;Tidsserie",
            "01-01-2024 03:00:00;01-01-2024 04:00:00;1,5;kwh;A05;Tidsserie",
            "01-01-2024 04:00:00;01-01-2024 05:00:00;1,5;KWH;a04;Tidsserie"]
    r = parse_file("readings", "e.csv", elo(rows), meters=METERS)
    assert r.problems == [] and r.rows_in_file == 5
    assert r.frame["quality"].tolist() == ["measured", "estimated", "estimated", "measured"]
    assert list(r.frame.index) == [2, 3, 5, 6]
    (w,) = r.warnings
    assert w.key == "imp.elo_a02_skipped" and w.values["count"] == 1
    bad = parse_file("readings", "e.csv", elo(["01-01-2024 00:00:00;01-01-2024 01:00:00;1;KWH;X9;T"]), meters=METERS)
    assert keys(bad) == ["imp.elo_quality"]


def test_eloverblik_unknown_gsrn_and_missing_meters():
    rows = ["01-01-2024 00:00:00;01-01-2024 01:00:00;1,5;KWH;Målt;Tidsserie"] * 2
    r = parse_file("readings", "e.csv", elo(rows, gsrn="571313000000000000"), meters=METERS)
    (p,) = only(r, "imp.elo_unknown_gsrn")
    assert (p.row, p.column, p.values["count"]) == (2, "MålepunktsID", 2)
    assert keys(parse_file("readings", "e.csv", elo(rows))) == ["imp.elo_needs_meters"]


def test_eloverblik_interval_must_be_an_hour_or_a_quarter():
    rows = ["01-01-2024 00:00:00;01-01-2024 00:30:00;1,5;KWH;Målt;Tidsserie"]
    (p,) = only(parse_file("readings", "e.csv", elo(rows), meters=METERS), "imp.elo_interval")
    assert p.column == "Til_dato" and p.values["minutes"] == 30.0


def test_eloverblik_unit_into_mwh_meter_is_converted_and_water_meter_refused():
    row = ["01-01-2024 00:00:00;01-01-2024 01:00:00;1.500,0;KWH;Målt;Tidsserie"]
    r = parse_file("readings", "e.csv", elo(row, gsrn="571313161100000002"), meters=METERS)
    assert r.problems == [] and r.frame["value"].tolist() == [1.5] and r.frame["meter_id"].tolist() == ["EL-MWH"]
    assert [w.key for w in r.warnings] == ["imp.elo_converted"]
    r = parse_file("readings", "e.csv", elo(row, gsrn="571313161100000003"), meters=METERS)
    (p,) = only(r, "imp.elo_unit")
    assert p.column == "Måleenhed" and "m3" in p.text()


def test_eloverblik_messages_use_the_files_column_names():
    rows = ["01-01-2024 00:00:00;01-01-2024 01:00:00;abc;KWH;Målt;Tidsserie",
            "01-01-2024 01:00:00;01-01-2024 02:00:00;-1,0;KWH;Målt;Tidsserie",
            "01-01-2024 01:00:00;01-01-2024 02:00:00;1,0;KWH;Målt;Tidsserie"]
    r = parse_file("readings", "heg.csv", elo(rows), meters=METERS)
    assert only(r, "imp.not_number")[0].text() == "heg.csv, række 2, kolonne Mængde: 'abc' er ikke et tal"
    assert only(r, "imp.below_min")[0].column == "Mængde"
    assert only(r, "imp.duplicate_key")[0].values["first"] == 3


def test_eloverblik_nonexistent_start_in_march():
    rows = ["31-03-2024 02:00:00;31-03-2024 03:00:00;1,0;KWH;Målt;Tidsserie"]
    (p,) = only(parse_file("readings", "e.csv", elo(rows), meters=METERS), "imp.nonexistent_time")
    assert (p.row, p.column) == (2, "Fra_dato")


def test_eloverblik_in_excel():
    content = xlsx([ELO_HEADER.strip().split(";"),
                    [GSRN, "01-01-2024 00:00:00", "01-01-2024 01:00:00", 2.25, "KWH", "Målt", "Tidsserie"]])
    r = parse_file("readings", "e.xlsx", content, meters=METERS)
    assert r.problems == [] and r.format == "eloverblik" and r.frame["value"].tolist() == [2.25]


# --------------------------------------------------------------------------------------------- register

def test_register_reads_become_intervals_sorted_per_meter():
    r = parse_file("readings", "tal.csv", fixture("register.csv"), known_keys=KNOWN)
    assert r.format == "register" and r.rows_in_file == 5
    el = r.frame[r.frame["meter_id"] == "VAND-1"]
    assert el["value"].tolist() == [10.5, 12.0]
    assert el["start"].tolist() == [utc("2024-02-01 07:00"), utc("2024-03-01 07:00")]
    assert el["end"].tolist() == [utc("2024-03-01 07:00"), utc("2024-04-02 05:30")]  # summer time from 31 March
    assert list(r.frame.columns) == datasets.get("readings").column_names
    # VAND-2 goes from 50 down to 45: a problem naming the row and the previous one
    (p,) = only(r, "imp.reg_decreasing")
    assert (p.row, p.values["previous_row"]) == (6, 3) and keys(r) == ["imp.reg_decreasing"]


def test_register_single_read_warns_and_unknown_meter_is_a_problem():
    r = parse_file("readings", "tal.csv", b"meter_id,read_at,register_value\nVAND-1,2024-01-01 08:00,5\n"
                                          b"NY-1,2024-01-01 08:00,5\nNY-1,2024-02-01 08:00,6\n", known_keys=KNOWN)
    assert [w.key for w in r.warnings] == ["imp.reg_single"]
    assert keys(r) == ["imp.unknown_reference"]


def test_register_semicolon_with_decimal_comma_and_duplicate_read():
    content = "meter_id;read_at;register_value\nVAND-1;01-01-2024 08:00;1.000,5\nVAND-1;01-01-2024 08:00;1.001\n"
    r = parse_file("readings", "tal.csv", content.encode("cp1252"))
    assert keys(r) == ["imp.duplicate_key"]


# ---------------------------------------------------------------------------------------------- GeoJSON

def test_geojson_footprints():
    r = parse_file("building_footprints", "omrids.geojson", fixture("footprints.geojson"), known_keys=KNOWN)
    assert r.problems == [] and r.format == "geojson" and r.rows_in_file == 2
    assert list(r.frame.columns) == ["building_id", "geometry_wkt"]
    assert r.frame["building_id"].tolist() == ["HOB-A", "AAR-B"]
    assert r.frame["geometry_wkt"].iloc[0].startswith("POLYGON ((9.79 56.64")
    assert r.frame["geometry_wkt"].iloc[1].startswith("MULTIPOLYGON")


def test_geojson_bad_features_name_their_number():
    r = parse_file("building_footprints", "omrids.geojson", fixture("footprints_bad.geojson"), known_keys=KNOWN)
    found = {p.key: p for p in r.problems}
    assert found["imp.geo_invalid"].values["feature"] == 2
    assert found["imp.geo_invalid"].text().startswith("omrids.geojson, objekt nr. 2: geometrien er ugyldig")
    assert found["imp.geo_no_building_id"].values["feature"] == 3
    assert found["imp.geo_type"].values["feature"] == 4
    assert r.frame["building_id"].tolist() == ["HOB-A"]


def test_geojson_other_crs_and_metres_refused():
    r = parse_file("building_footprints", "utm.geojson", fixture("footprints_utm.geojson"))
    assert keys(r) == ["imp.geo_crs", "imp.geo_not_degrees"]
    assert "25832" in r.problems[0].text()


def test_geojson_duplicates_unknown_buildings_and_not_a_collection():
    doc = json.loads(fixture("footprints.geojson"))
    doc["features"].append(doc["features"][0])
    doc["features"][1]["properties"]["building_id"] = "NY"
    r = parse_file("building_footprints", "o.json", json.dumps(doc).encode(), known_keys=KNOWN)
    assert sorted(keys(r)) == ["imp.geo_duplicate", "imp.geo_unknown_building"]
    assert keys(parse_file("building_footprints", "o.geojson", b'{"type": "Feature"}')) == ["imp.geo_not_collection"]
    assert keys(parse_file("building_footprints", "o.geojson", b'{"type": ')) == ["imp.geo_not_json"]
    assert keys(parse_file("readings", "o.geojson", fixture("footprints.geojson"))) == ["imp.format_dataset"]


def test_footprints_as_a_table_of_wkt():
    content = (b'building_id,geometry_wkt\nHOB-A,"POLYGON ((9.79 56.64, 9.8 56.64, 9.8 56.65, 9.79 56.64))"\n'
               b'AAR-B,"POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"\nX,not wkt\n')
    r = parse_file("building_footprints", "o.csv", content)
    assert sorted(keys(r)) == ["imp.geo_bad_wkt", "imp.geo_invalid"]
    assert r.frame["geometry_wkt"].iloc[0].startswith("POLYGON")


# ------------------------------------------------------------------------------------------- catalogue

def test_catalogue_danish_and_english_have_the_same_keys_and_placeholders():
    import string
    assert importing.DA.keys() == importing.EN.keys()
    assert all(k.startswith("imp.") for k in importing.DA)
    for key in importing.DA:
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in
                  (importing.DA[key], importing.EN[key])]
        assert fields[0] == fields[1], key


def test_big_files_read_by_arrow_match_the_careful_reader(monkeypatch):
    """Files over 100 kB take Arrow's CSV reader; the result (rows, numbers, problems) must be the same."""
    from heg_dash.importers import read as read_module

    meters = pd.DataFrame({"meter_id": ["M1"], "gsrn": ["571313161100187650"], "unit": ["kWh"],
                           "utility": ["electricity"]})
    lines = ["MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type"]
    start = pd.Timestamp("2024-10-20 00:00")
    for i in range(3000):  # three weeks of hours, over the 25-hour day of 27 October
        a = start + pd.Timedelta(hours=i)
        lines.append(f'571313161100187650;{a:%d-%m-%Y %H:%M:%S};{a + pd.Timedelta(hours=1):%d-%m-%Y %H:%M:%S};'
                     f'"{i % 7},{i % 10}5";KWH;{"A02" if i == 5 else "Målt"};Tidsserie')
    lines[40] = lines[40].replace(";KWH;", ";MWH;")  # one row with a problem, for the row numbers
    content = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    assert len(content) > 100_000
    fast = parse_file("readings", "big.csv", content, meters=meters)
    monkeypatch.setattr(read_module, "_read_csv_arrow", lambda *a: None)
    careful = parse_file("readings", "big.csv", content, meters=meters)
    assert [p.text() for p in fast.problems] == [p.text() for p in careful.problems] != []
    pd.testing.assert_frame_equal(fast.frame, careful.frame)
    assert fast.rows_in_file == careful.rows_in_file
