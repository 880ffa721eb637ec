"""Templates and exports: a filled template of every dataset imports back as it is (CSV and Excel), the
description sheet comes from the declaration, and exports read back exactly."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from heg_dash import i18n
from heg_dash.datasets import DATASETS, REFERENCES
from heg_dash.importers import export, sheets
from heg_dash.store import imports as importing
from tests.data_support import snapshot

SUBSET = 1500  # rows per dataset in the round trip (the big hourly tables are cut to their first rows)


def ordered_datasets() -> list[str]:
    """Datasets with the ones they refer to first."""
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        for (ds_name, _), (target, _) in REFERENCES.items():
            if ds_name == name and target != name:
                visit(target)
        done.append(name)

    for name in DATASETS:
        visit(name)
    return done


def stored(path, name: str) -> pd.DataFrame:
    cols = ", ".join(f'"{c}"' for c in DATASETS[name].column_names)
    key = ", ".join(f'"{k}"' for k in DATASETS[name].key)
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(f'SELECT {cols} FROM "{name}" ORDER BY {key} LIMIT {SUBSET}').df()
    finally:
        con.close()


def test_every_column_has_a_description_in_both_languages():
    for lang in ("da", "en"):
        with i18n.language(lang):
            for ds in DATASETS.values():
                for col in ds.columns:
                    text = export.column_description(ds, col)
                    assert text and not text.startswith("col."), (lang, ds.name, col.name)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_filled_templates_of_every_dataset_import_back_exactly(sample_db_template, empty_db, fmt):
    """Fill each dataset's template with the sample rows, import them into an empty database in
    dependency order, and get exactly the same rows back."""
    for name in ordered_datasets():
        ds = DATASETS[name]
        rows = stored(sample_db_template, name)
        content = export.to_csv(ds, rows) if fmt == "csv" else export.to_xlsx(ds, rows, describe=True)
        parsed = importing.read_upload(name, f"{name}.{fmt}", content)
        assert parsed.problems == [], (name, [p.text() for p in parsed.problems[:3]])
        summary = importing.apply(parsed, user="t", file_name=f"{name}.{fmt}", sha256=None)
        assert summary.added == len(rows), name
        back = stored(empty_db, name)
        pd.testing.assert_frame_equal(back, rows, check_dtype=False, obj=name)
        again = importing.apply(importing.read_upload(name, f"{name}.{fmt}", content), user="t",
                                file_name=f"{name}.{fmt}", sha256=None)
        assert again.batch_id is None, name  # the export of what is stored is exactly what is stored


def test_a_template_filled_in_excel_by_hand_imports(empty_db):
    for name, row in (
        ("campuses", ["HOB", "Campus Hobro", "Kirketoften 7, 9500 Hobro", 56.64, 9.79]),
        ("buildings", ["HOB-A", "HOB", "Hovedbygning", "teaching", 1975, 5234.5, None, "C", "in_use",
                       dt.datetime(1975, 8, 1), None]),
    ):
        wb = openpyxl.load_workbook(io.BytesIO(export.template_xlsx(DATASETS[name])))
        wb[name].append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        parsed = importing.read_upload(name, f"{name}.xlsx", buffer.getvalue())
        assert parsed.problems == [], [p.text() for p in parsed.problems]
        assert importing.apply(parsed, user="t", file_name="x", sha256=None).added == 1
    frame = snapshot(empty_db, history=False)["buildings"]
    assert frame["in_use_from"].iloc[0] == pd.Timestamp("1975-08-01") and frame["heated_area_m2"].iloc[0] == 5234.5


def test_empty_template_has_exactly_the_contract_columns_and_a_description_sheet():
    with i18n.language("en"):
        wb = openpyxl.load_workbook(io.BytesIO(export.template_xlsx(DATASETS["readings"])))
    assert wb.sheetnames == ["readings", "Description"]
    assert [c.value for c in wb["readings"][1]] == ["meter_id", "start", "end", "value", "quality"]
    rows = list(wb["Description"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Column", "Description", "Type")
    quality = next(r for r in rows if r[0] == "quality")
    assert quality[4] == "no" and quality[5] == "measured, estimated"
    value = next(r for r in rows if r[0] == "value")
    assert value[5] == "from 0 to –"
    # An empty template imports as "no rows", not as an error about columns.
    parsed = importing.parse_file("readings", "t.csv", export.template_csv(DATASETS["readings"]))
    assert [p.key for p in parsed.problems] == ["imp.no_rows"]


def test_numbers_are_written_exactly_and_never_in_exponent_form():
    assert sheets.number_text(0.1) == "0,1"
    assert sheets.number_text(1e-05) == "0,00001"
    assert sheets.number_text(1234567.25, ".") == "1234567.25"
    assert sheets.number_text(2.0) == "2"
    assert float(sheets.number_text(1 / 3, ".")) == 1 / 3


def test_timestamps_are_exported_in_danish_time_with_the_offset():
    col = DATASETS["readings"].column("start")
    assert export.cell_text(pd.Timestamp("2024-10-27 00:00", tz="UTC"), col) == "2024-10-27T02:00:00+02:00"
    assert export.cell_text(pd.Timestamp("2024-10-27 01:00", tz="UTC"), col) == "2024-10-27T02:00:00+01:00"


def test_neutralise():
    assert sheets.neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert sheets.neutralise("@x") == "'@x" and sheets.neutralise("-") == "'-" and sheets.neutralise("+45") == "'+45"
    assert sheets.neutralise("Hobro") == "Hobro"
