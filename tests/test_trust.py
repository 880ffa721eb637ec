"""Issue 17's findings, each a test that failed before its fix: crashes and silently wrong totals."""

from __future__ import annotations

import pytest

from tests.test_pages import run_page


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("goal", [1, 5, 7, 8, 12, 17])
def test_every_sdg_shows_its_goal_without_a_traceback(sample_db, goal):
    """"Vis mål" of SDG 5, 7, 8, 12 and 17 raised: an indicator path with a year without a value (NaN)."""
    at = run_page("baeredygtighed", "da", {"year": "2025"})
    at.button(key=f"sdg_pick_{goal}").click().run()
    _ok(at)
    assert at.selectbox(key="sdg_goal").value == goal


def import_bytes(dataset: str, name: str, content: bytes, *, replace: bool = False, fmt: str = "auto"):
    """A file through the real import path (parse against the store, one batch); returns the Summary."""
    from heg_dash.importers import apply as importing

    parsed = importing.read_upload(dataset, name, content, fmt)
    assert parsed.ok, [p.text() for p in parsed.problems]
    return importing.apply(parsed, replace=replace, user="test", file_name=name, sha256=parsed.digest)


def test_facilities_works_for_buildings_without_the_optional_floors_column(sample_db):
    """pd.NA reached fmt_number and babel raised decimal.ConversionSyntax."""
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    buildings = con.execute("SELECT * EXCLUDE (batch_id) FROM buildings ORDER BY building_id").df()
    con.close()
    without = buildings.drop(columns=["floors"])
    import_bytes("buildings", "bygninger.csv", without.to_csv(index=False).encode(), replace=True)
    at = run_page("faciliteter", "da", {"year": "2024"})
    _ok(at)
    assert at.dataframe, "the register is shown"


def _table(path, sql: str):
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql).df()
    finally:
        con.close()


def test_a_changed_row_counts_once_as_replaced(sample_db):
    """"1 added, 1 replaced" while the table kept its rows: added + replaced + unchanged = the file's rows."""
    partners = _table(sample_db, "SELECT * EXCLUDE (batch_id) FROM partners ORDER BY partner_id")
    before = len(partners)
    changed = partners.head(2).copy()
    changed.loc[changed.index[0], "city"] = "Ny by"
    summary = import_bytes("partners", "partnere.csv", changed.to_csv(index=False).encode())
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 1)
    assert len(_table(sample_db, "SELECT * FROM partners")) == before
    batch = _table(sample_db, f"SELECT * FROM import_batches WHERE batch_id = {summary.batch_id}").iloc[0]
    assert (batch.rows_added, batch.rows_replaced, batch.rows_unchanged) == (0, 1, 1)


def test_counts_add_up_to_the_file_rows_when_an_hour_replaces_quarter_hours(empty_db):
    """Readings: a file row that replaces stored intervals counts as one replaced row, however many it covers."""
    import pandas as pd

    from tests.data_support import BUILDING_CSV, CAMPUS_CSV, METER_CSV, hours, readings_csv

    for dataset, content in (("campuses", CAMPUS_CSV), ("buildings", BUILDING_CSV), ("meters", METER_CSV)):
        import_bytes(dataset, f"{dataset}.csv", content)
    start = pd.Timestamp("2024-01-10T00:00:00+01:00")
    quarters = [("HOB-A-EL", (start + pd.Timedelta(minutes=15 * i)).isoformat(),
                 (start + pd.Timedelta(minutes=15 * i + 15)).isoformat(), 0.5) for i in range(12)]
    first = import_bytes("readings", "kvarter.csv", readings_csv(quarters))
    assert (first.added, first.replaced, first.unchanged, first.removed) == (12, 0, 0, 0)
    summary = import_bytes("readings", "timer.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0])))
    assert (summary.added, summary.replaced, summary.unchanged, summary.removed) == (0, 2, 0, 0)
    # --replace over the first three hours: the third hour's quarters are taken by a file row, none is removed
    again = import_bytes("readings", "timer.csv", readings_csv(hours("HOB-A-EL", "2024-01-10", [1.0, 2.0, 3.0])),
                         replace=True)
    assert (again.added, again.replaced, again.unchanged, again.removed) == (0, 1, 2, 0)


def test_replace_counts_the_stored_rows_left_out_of_the_file_as_removed(sample_db):
    partners = _table(sample_db, "SELECT * EXCLUDE (batch_id) FROM partners ORDER BY partner_id")
    summary = import_bytes("partners", "partnere.csv", partners.head(3).to_csv(index=False).encode(), replace=True)
    assert (summary.added, summary.replaced, summary.unchanged, summary.removed) == (0, 0, 3, len(partners) - 3)
