"""The initiatives' savings columns (issue 23): declared once, so templates, validation, the Data page's editor,
the store's checks, restore and the migration of an older database follow; and the sample's planted initiatives
import back as they are."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from heg_dash import datasets, i18n, store
from heg_dash.importers import export, parse_file
from heg_dash.store import StoreRefused, db, schema, transfer
from heg_dash.store import imports as importing
from heg_dash.store import sample as sample_data

HEADER = ("initiative_id,title,owner,status,start_date,focus_area,utility,meter_ids,installed_from,installed_to,"
          "expected_saving_pct,baseline_months\n")
SAVINGS = ("utility", "meter_ids", "installed_from", "installed_to", "expected_saving_pct", "baseline_months")


@pytest.fixture(autouse=True)
def _danish():
    with i18n.language("da"):
        yield


def row(**cells: str) -> bytes:
    values = {"initiative_id": "I90", "title": "LED", "owner": "Eva", "status": "active", "start_date": "2025-01-01",
              "focus_area": "faciliteter", "utility": "electricity", "meter_ids": "AAR-B-EL",
              "installed_from": "2025-01-06", "installed_to": "2025-01-17", "expected_saving_pct": "10",
              "baseline_months": "12"} | cells
    return (HEADER + ",".join(f'"{values[c]}"' if ";" in values[c] else values[c]
                              for c in HEADER.strip().split(",")) + "\n").encode()


def problems(parsed) -> list[tuple[str, str | None, str]]:
    return [(p.key, p.column, p.text()) for p in parsed.problems]


def test_the_savings_columns_are_optional_and_described():
    ds = datasets.get("initiatives")
    assert [c.name for c in ds.columns][-6:] == list(SAVINGS)
    assert not any(ds.column(c).required for c in SAVINGS)
    assert ds.column("utility").allowed == datasets.SAVINGS_UTILITIES
    assert export.template_csv(ds).decode("utf-8-sig").splitlines()[0].endswith(";".join(SAVINGS))
    described = export.describe_columns(ds)
    texts = dict(zip(described.iloc[:, 0], described.iloc[:, 1], strict=True))
    assert all(not texts[c].startswith("col.") for c in SAVINGS), texts
    assert "semikolon" in texts["meter_ids"]


def test_an_initiative_without_them_still_imports(sample_db):
    parsed = importing.read_upload("initiatives", "i.csv", b"initiative_id,title,owner,status,start_date,focus_area\n"
                                                             b"I90,LED,Eva,active,2025-01-01,faciliteter\n")
    assert parsed.problems == []


@pytest.mark.engines
def test_meter_ids_name_existing_meters_separated_by_semicolons(sample_db):
    assert problems(importing.read_upload("initiatives", "i.csv", row(meter_ids="AAR-B-EL; HOB-A-EL"))) == []
    parsed = importing.read_upload("initiatives", "i.csv", row(meter_ids="AAR-B-EL;NOPE"))
    [(key, column, text)] = problems(parsed)
    assert (key, column) == ("imp.unknown_reference", "meter_ids")
    assert "'NOPE' findes ikke i meters" in text and "række 2" in text
    [(key, column, text)] = problems(importing.read_upload("initiatives", "i.csv", row(meter_ids="AAR-B-EL;;X")))
    assert key == "imp.pattern_meter_ids" and "adskilt af semikolon" in text


def test_utility_meters_and_installation_date_are_filled_together(sample_db):
    parsed = importing.read_upload("initiatives", "i.csv", row(meter_ids="", installed_from="", installed_to=""))
    assert [(k, c) for k, c, _ in problems(parsed)] == [("imp.fill_together", "meter_ids"),
                                                         ("imp.fill_together", "installed_from")]
    assert "utility" in problems(parsed)[0][2]
    parsed = importing.read_upload("initiatives", "i.csv", row(utility="", meter_ids="", installed_from="",
                                                               installed_to=""))
    assert [c for _, c, _ in problems(parsed)] == ["utility", "meter_ids", "installed_from"], "a promise alone"


@pytest.mark.parametrize(("cells", "key", "column"), [
    ({"installed_to": "2025-01-05"}, "imp.end_before_start", "installed_to"),
    ({"baseline_months": "6"}, "imp.below_min", "baseline_months"),
    ({"expected_saving_pct": "120"}, "imp.above_max", "expected_saving_pct"),
    ({"utility": "water"}, "imp.not_allowed", "utility"),
])
def test_the_rules_of_one_row(sample_db, cells, key, column):
    assert [(k, c) for k, c, _ in problems(importing.read_upload("initiatives", "i.csv", row(**cells)))] == [
        (key, column)]


@pytest.mark.engines
def test_the_store_checks_the_meters_again_inside_the_write(sample_db):
    """A file parsed without the store's keys (or a meter removed since the preview) is still refused."""
    parsed = parse_file("initiatives", "i.csv", row(meter_ids="HOB-A-EL;GONE"))
    assert parsed.problems == []
    counts, found = store.preview("initiatives", parsed.frame, file="i.csv")
    assert [(p.key, p.column, p.values["value"]) for p in found] == [("imp.unknown_reference", "meter_ids", "GONE")]


@pytest.mark.engines
def test_replacing_meters_warns_about_initiatives_that_name_a_removed_one(sample_db):
    columns = ", ".join(db.q(c) for c in datasets.get("meters").column_names)
    meters = db.read_df(f"SELECT {columns} FROM meters WHERE meter_id <> 'AAR-B-EL-LYS'")
    preview = importing.preview(importing.read_upload("meters", "m.csv", export.to_csv(datasets.get("meters"), meters)),
                                replace=True)
    dangling = [w for w in preview.warnings if w.key == "data.dangling" and w.values["dataset"] == "initiatives"]
    assert [(w.values["column"], w.values["count"]) for w in dangling] == [("meter_ids", 1)]


def test_a_backup_whose_initiative_names_a_missing_meter_is_not_restored(sample_db, tmp_path):
    copy = tmp_path / "bad.duckdb"
    shutil.copy(sample_db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE initiatives SET meter_ids = 'AAR-B-EL-LYS;NOPE' WHERE initiative_id = 'I13'")
    with pytest.raises(StoreRefused) as refused:
        transfer.validate_backup(copy)
    assert any(p.key == "imp.unknown_reference" and p.values["value"] == "NOPE" for p in refused.value.problems)


def test_an_older_database_gets_the_columns_in_the_declared_order_and_keeps_its_rows(sample_db):
    old = ["initiative_id", "title", "owner", "status", "start_date", "end_date", "focus_area", "sdg_goals"]
    with duckdb.connect(str(sample_db)) as con:  # the table as schema version 3 had it
        for table, extra in (("initiatives", "batch_id"), ("initiatives__replaced", "batch_id, replaced_by")):
            con.execute(f"CREATE TABLE t AS SELECT {', '.join(old)}, {extra} FROM {table}")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE t RENAME TO {table}")
        db.set_meta(con, "schema_version", "3")
        titles = con.execute("SELECT initiative_id, title FROM initiatives ORDER BY 1").fetchall()
    with duckdb.connect(str(sample_db)) as con:
        schema.create_schema(con)
        columns = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                             "table_name = 'initiatives' ORDER BY ordinal_position").fetchall()]
        assert columns == datasets.get("initiatives").column_names + ["batch_id"]
        assert con.execute("SELECT initiative_id, title FROM initiatives ORDER BY 1").fetchall() == titles
        assert con.execute("SELECT count(*) FROM initiatives WHERE meter_ids IS NOT NULL").fetchone()[0] == 0
        assert db.get_meta(con, "schema_version") == str(schema.SCHEMA_VERSION)
    assert transfer.validate_backup(sample_db)["initiatives"] == len(titles)  # a restore accepts it


def test_the_sample_initiatives_import_back_as_they_are(sample_db):
    frame = sample_data.generate()["initiatives"]
    parsed = importing.read_upload("initiatives", "i.csv", export.to_csv(datasets.get("initiatives"), frame))
    assert parsed.problems == []
    assert importing.preview(parsed).changes is False
    measured = frame.dropna(subset=["meter_ids"])
    assert measured["initiative_id"].tolist() == ["I13", "I14", "I15"]


def test_the_data_page_editor_offers_the_utilities():
    from heg_dash.views import data_view

    config = data_view.column_config("initiatives")
    assert config["utility"]["type_config"]["options"] == list(datasets.SAVINGS_UTILITIES)
    assert config["baseline_months"]["type_config"]["step"] == 1
