"""Property-based imports (issue 17): hypothesis draws a coherent small school from the datasets' declarations
(tests/school_strategies.py ``schools``), writes it as files, imports them through the real import path into an
``init --empty`` database, computes the KPI contract and opens every page (AppTest, Danish). Nothing may raise,
and these hold:

- every file (CSV or Excel, any separator, time style and boolean words) imports without a problem, and its
  counts add up: added + replaced + unchanged = its rows (all added, into the empty database or beside the
  readings of the same meters and days a first file stored); the same file again changes nothing (all
  unchanged, no batch);
- undo: undoing the second readings file leaves the first one's use; importing it again adds all its rows and
  brings back every stored table (the datasets and the per-day sums) and KPI as they were, and undoing that
  import leaves them exactly as before it;
- every reading belongs to exactly one meter;
- a sub-meter's use is never added to its parent's: ``electricity_kwh`` is the sum of the readings of
  electricity meters without a parent starting in the year (local time), in kWh (MWh × 1000);
- per-campus figures add up to the school's (``--campus C`` against no campus) for energy (weather-normalised
  heat too, when the school's can be normalised), årselever and mobilities;
- the KPI object is valid JSON (no NaN, no infinity), as ``kpis --json`` prints it.

The quick run (``max_examples`` 15, about 3 minutes of CPU here) is part of the default suite; a longer one is marked
``slow`` and left out by default (pyproject's ``addopts``). Run it with
``.venv/bin/python -m pytest tests/test_properties.py -m slow``.
A failing example is printed with its reproduction blob; hypothesis keeps it in .hypothesis/ and tries it first
next time.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, note, settings

from heg_dash import kpis
from heg_dash.datasets import DATASETS, KWH_PER_UNIT
from heg_dash.store import db, rollup
from heg_dash.store import imports as importing
from heg_dash.views.navigation import registered_pages
from tests.school_strategies import TZ, SchoolFile, school_files, schools
from tests.sweep_support import Deferred, Step, apply_step, find, known_bug, open_page, page_problems

QUICK = settings(max_examples=15, deadline=None, print_blob=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(QUICK, max_examples=150)
ADDITIVE = {"energy": ("electricity_kwh", "district_heating_kwh", "water_m3", "pv_kwh"),
            "mobilities": ("outbound_students", "outbound_staff", "inbound")}


@contextmanager
def database(path: Path) -> Iterator[None]:
    """``HEG_DASH_DB`` set to ``path`` for the pages and the KPIs (hypothesis runs many examples in one test, so
    pytest's function-scoped monkeypatch cannot do it)."""
    before = os.environ.get("HEG_DASH_DB")
    os.environ["HEG_DASH_DB"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("HEG_DASH_DB", None)
        else:
            os.environ["HEG_DASH_DB"] = before


def import_and_count(path: Path, school: dict) -> list[tuple[SchoolFile, importing.Summary]]:
    """Every file imports without problems, all added; the same file again leaves everything unchanged."""
    done = []
    with db.session(path):
        for file in school_files(school):
            parsed = importing.read_upload(file.dataset, file.name, file.content, path=path)
            assert not parsed.problems, (file.name, [p.text() for p in parsed.problems][:5], file.content[:400])
            summary = importing.apply(parsed, user="test", file_name=file.name, sha256=parsed.digest, path=path)
            counts = (summary.added, summary.replaced, summary.unchanged)
            assert sum(counts) == parsed.rows_in_file, (file.name, summary)
            assert counts == (parsed.rows_in_file, 0, 0), (file.name, summary)
            again = importing.read_upload(file.dataset, file.name, file.content, path=path)
            same = importing.apply(again, user="test", file_name=file.name, sha256=again.digest, path=path)
            assert (same.added, same.replaced, same.unchanged) == (0, 0, parsed.rows_in_file), (file.name, same)
            assert same.batch_id is None
            done.append((file, summary))
    return done


def expected_electricity_kwh(school: dict, year: int, campus: str | None = None,
                             readings: tuple[dict, ...] | list[dict] | None = None) -> float | None:
    """The oracle: ``readings`` (default: all) of electricity meters without a parent that start in ``year``
    (Danish local time), in kWh; None when there are none."""
    total, found = 0.0, False
    for reading in school["files"]["readings"][1] if readings is None else readings:
        meter = school["meters"][reading["meter_id"]]
        if meter["utility"].lower() != "electricity" or meter.get("parent_meter_id") is not None:
            continue
        if campus is not None and school["buildings"][meter["building_id"]]["campus_id"] != campus:
            continue
        if pd.Timestamp(reading["start"]).tz_convert(TZ).year == year:
            total += reading["value"] * KWH_PER_UNIT[meter["unit"]]
            found = True
    return total if found else None


def reading_years(school: dict) -> list[int]:
    return sorted({pd.Timestamp(r["start"]).tz_convert(TZ).year for r in school["files"]["readings"][1]}
                  | {school["year"]})


def snapshot(path: Path, school: dict) -> dict:
    """What a user can see change: every dataset's current rows (without their batch) and the per-day sums,
    sorted, and the school's KPIs of each year."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {ds.table: con.execute(f'SELECT * EXCLUDE (batch_id) FROM "{ds.table}" ORDER BY ALL').df()
                  for ds in DATASETS.values()}
        tables[rollup.TABLE] = con.execute(f"SELECT * FROM {rollup.TABLE} ORDER BY ALL").df()
    finally:
        con.close()
    return {"tables": tables, "kpis": {year: kpis.compute(year) for year in reading_years(school)}}


def assert_same(before: dict, after: dict, when: str) -> None:
    """Equal tables (sums of the same readings to 1e-9) and KPIs (numbers to ``close``)."""
    for table, frame in before["tables"].items():
        pd.testing.assert_frame_equal(after["tables"][table], frame, check_exact=False, rtol=1e-9, atol=1e-6,
                                      obj=f"{table} {when}")

    def same(a: object, b: object) -> bool:
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list | tuple) and isinstance(b, list | tuple):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
            return close(float(a), float(b))
        return a == b

    for year, figures in before["kpis"].items():
        assert same(after["kpis"][year], figures), (when, year, figures, after["kpis"][year])


def check_undo_and_redo(path: Path, school: dict, imported: list[tuple[SchoolFile, importing.Summary]]) -> None:
    """Undoing the second readings file leaves the first one's use; importing it again adds all its rows and
    brings back every table and KPI as they were; undoing that import leaves them as before it."""
    readings = [(file, summary) for file, summary in imported if file.dataset == "readings"]
    if len(readings) < 2:
        return
    (first, _), (second, summary) = readings
    imported_all = snapshot(path, school)
    importing.undo(summary.batch_id, "test", path=path)
    for year in reading_years(school):
        use = kpis.compute(year)["energy"]["electricity_kwh"]
        assert close(use, expected_electricity_kwh(school, year, readings=first.rows)), (year, "after the undo")
    undone = snapshot(path, school)
    parsed = importing.read_upload("readings", second.name, second.content, path=path)
    again = importing.apply(parsed, user="test", file_name=second.name, sha256=parsed.digest, path=path)
    assert (again.added, again.replaced, again.unchanged) == (parsed.rows_in_file, 0, 0), again
    assert_same(imported_all, snapshot(path, school), "after importing the undone file again")
    importing.undo(again.batch_id, "test", path=path)
    assert_same(undone, snapshot(path, school), "after undoing an import")


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def check_kpis(path: Path, school: dict) -> None:
    for year in reading_years(school):
        whole = kpis.compute(year)
        json.dumps(whole, allow_nan=False)  # what `kpis --json` prints: valid JSON, nulls and finite numbers
        expected = expected_electricity_kwh(school, year)
        assert close(whole["energy"]["electricity_kwh"], expected), (year, whole["energy"], expected)
        parts = {c: kpis.compute(year, c) for c in school["campuses"]}
        for part in parts.values():
            json.dumps(part, allow_nan=False)
        for campus, part in parts.items():
            assert close(part["energy"]["electricity_kwh"], expected_electricity_kwh(school, year, campus)), campus
        for section, figures in ADDITIVE.items():
            for figure in figures:
                values = [p[section][figure] for p in parts.values() if p[section][figure] is not None]
                total = whole[section][figure]
                assert close(total, sum(values) if values else None), (year, section, figure, total, values)
        normalised = whole["energy"]["heat_normalised_kwh"]  # None when a campus's heat cannot be normalised
        if normalised is not None:
            values = [p["energy"]["heat_normalised_kwh"] for p in parts.values()]
            assert close(normalised, sum(v for v in values if v is not None)), (year, "heat_normalised_kwh", values)
        values = [p["aarselever"]["value"] for p in parts.values() if p["aarselever"]["value"] is not None]
        assert close(whole["aarselever"]["value"], sum(values) if values else None), (year, "aarselever")


def check_readings_have_one_meter(path: Path, school: dict) -> None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        stored, joined, orphans = con.execute(
            "SELECT (SELECT count(*) FROM readings), (SELECT count(*) FROM readings JOIN meters USING (meter_id)), "
            "(SELECT count(*) FROM readings r ANTI JOIN meters m USING (meter_id))").fetchone()
    finally:
        con.close()
    assert stored == len(school["files"]["readings"][1])
    assert joined == stored and orphans == 0, "a reading joins no meter, or more than one"


# Choices that lead past a page's first screen: each utility on Energi (its figures, EUI, profiles and anomalies
# are drawn only for the chosen one), and on Bæredygtighed the goals the school's indicators serve.
DEEPER = {"energi": "en_utility", "baeredygtighed": "sdg_goal"}


def check_pages(school: dict, known: set[str]) -> None:
    """Every page opens in Danish without an exception, and the choices in DEEPER are made one after another;
    a known bug being fixed elsewhere is noted instead."""
    goals = {str(r["sdg_goal"]) for r in school["files"]["indicators"][1] if r.get("sdg_goal") is not None}
    deferred = Deferred()
    for page in registered_pages():
        view = {"year": str(school["year"])}
        if school["view_campus"] is not None:
            view["campus"] = school["view_campus"]
        at = open_page(page, "da", view)
        problems = page_problems(at, page)
        widget = find(at, Step("selectbox", DEEPER[page], 0, "choose")) if page in DEEPER and not problems else None
        for label in widget.options if widget is not None else []:
            if page == "baeredygtighed" and label.split(" ")[0] not in goals:
                continue
            problems += apply_step(at, Step("selectbox", DEEPER[page], 0, "choose", label), "da", deferred)
            if problems:
                break
        for problem in problems:
            bug = known_bug(problem)
            assert bug is not None, f"{page}: {problem.step}: {problem.message}\n{problem.trace}"
            known.add(bug.reason)


def check_school(school: dict, folder: Path, template: Path, known: set[str]) -> None:
    path = folder / f"school-{len(list(folder.iterdir()))}.duckdb"
    shutil.copy(template, path)
    try:
        imported = import_and_count(path, school)
        check_readings_have_one_meter(path, school)
        with database(path):
            check_kpis(path, school)
            check_pages(school, known)
            check_undo_and_redo(path, school, imported)
    finally:
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _run(how: settings, empty_db_template: Path, folder: Path) -> None:
    known: set[str] = set()

    @how
    @given(school=schools())
    def generated_school(school: dict) -> None:
        note(f"style {school['style']}, year {school['year']}")
        check_school(school, folder, empty_db_template, known)

    generated_school()
    if known:
        pytest.xfail("; ".join(sorted(known)))


def test_generated_schools_import_and_keep_the_kpi_invariants(empty_db_template, tmp_path):
    _run(QUICK, empty_db_template, tmp_path)


@pytest.mark.slow
def test_generated_schools_longer_run(empty_db_template, tmp_path):
    _run(LONG, empty_db_template, tmp_path)


def test_a_school_in_local_time_keeps_both_of_the_repeated_october_hours_in_each_file():
    """The generator itself: a lone 02:00 of the October change in a local-time file cannot be resolved (the
    importer refuses it, as it should), so the generated files never hold one (found by CI: a grid_co2 file
    with one of the two hours)."""
    from tests.school_strategies import fold_safe_cut, keep_repeated_hours_whole

    summer, winter = pd.Timestamp("2025-10-26 00:00Z"), pd.Timestamp("2025-10-26 01:00Z")  # both 02:00 in Denmark
    rows = [{"price_area": "DK1", "start": summer}, {"price_area": "dk1", "start": winter},
            {"price_area": "DK2", "start": winter}, {"price_area": "DK2", "start": pd.Timestamp("2025-10-26 02:00Z")}]
    assert keep_repeated_hours_whole(rows, "price_area") == [rows[0], rows[1], rows[3]]
    hours = [{"start": pd.Timestamp("2025-10-25 23:00Z") + pd.Timedelta(hours=i)} for i in range(4)]
    assert [fold_safe_cut(hours, cut) for cut in range(5)] == [0, 1, 3, 3, 4]
