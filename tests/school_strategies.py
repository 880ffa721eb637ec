"""Generated schools for the property tests (tests/test_properties.py), with hypothesis.

Strategies drawn from the declarations: a column's type, closed list, min/max and pattern give its values;
required columns are always there, optional ones are in a file or not at random (and blank in some rows).
The rows form a coherent small school: campuses → buildings → meters (parents of the same utility, a tree)
→ readings over a few days, and the datasets that refer to them. Left out on purpose, as the import refuses
them (tests/test_trust.py): parent cycles, duplicate GSRNs, keys with control characters, unknown country
codes (countries are drawn from the declaration's list) and files mixing encodings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from hypothesis import strategies as st

from heg_dash.datasets import (
    BOOL,
    CODE_LISTS,
    DATASETS,
    DATE,
    EDUCATION_AREAS,
    FINANCE_ITEMS,
    FLOAT,
    FOCUS_AREA_KEYS,
    INT,
    METER_UNITS,
    STR,
    TIMESTAMP,
    UTILITIES,
    Column,
)
from heg_dash.importers.cells import looks_like_formula
from tests.school_support import IMPORT_ORDER, cell_text, geojson_bytes

TZ = "Europe/Copenhagen"
# Unbounded numbers are drawn within ±BIG: beyond that a figure is no school's (and sums would overflow).
BIG = 1e9
TARGET_KEYS = ("aarselever", "m2_per_aarselev", "co2e_t", "eui_weighted_kwh_m2", "green_travel_share", "overskudsgrad")


def _clean(text: str) -> bool:
    """Text that reads back as itself: not blank, no formula (refused on import), no export quote prefix."""
    return bool(text) and not looks_like_formula(text) and not (text[0] == "'" and text[1:2] in "=+-@")


# Names: letters of any script (Danish ones often), digits, spaces and the punctuation names carry.
names = st.text(
    alphabet=st.one_of(st.sampled_from("ÆØÅæøåéü -'.&/,;\"()"), st.characters(categories=("L", "N"))),
    min_size=1, max_size=24,
).map(str.strip).filter(_clean)
# Keys: letters (Danish ones among them), digits, "-" and "_"; never a line break.
keys = st.text(alphabet=st.one_of(st.sampled_from("ÆØÅæøå-_"), st.characters(categories=("L", "Nd"))),
               min_size=1, max_size=10).filter(_clean)


def any_case(word: str) -> st.SearchStrategy[str]:
    """A closed-list word as a person might type it: the list matches it case-insensitively."""
    return st.sampled_from([word, word.upper(), word.capitalize()])


def value_of(col: Column) -> st.SearchStrategy:
    """A valid value of ``col`` from its declaration (extremes included: hypothesis tries the bounds)."""
    if col.allowed:
        return st.sampled_from(col.allowed).flatmap(any_case)
    if col.type == INT:
        return st.integers(int(col.min) if col.min is not None else -10**6,
                           int(col.max) if col.max is not None else 10**6)
    if col.type == FLOAT:
        return st.floats(col.min if col.min is not None else -BIG, col.max if col.max is not None else BIG,
                         allow_nan=False, allow_infinity=False, allow_subnormal=False)
    if col.type == DATE:
        return st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
    if col.type == BOOL:
        return st.booleans()
    if col.codes is not None:  # a closed list by name (country codes)
        return st.sampled_from(sorted(CODE_LISTS[col.codes]()))
    if col.type == STR and col.pattern is None:
        return names
    raise NotImplementedError(f"no strategy for {col}: give the row builder an override")


@st.composite
def table(draw, dataset: str, count: int, fixed: dict | None = None, *, unique: tuple[str, ...] | None = None
          ) -> tuple[list[str], list[dict]]:
    """``count`` rows of ``dataset`` (the file's columns, the rows). Columns come from the declaration: each
    optional one is in the file or not, at random, and blank in some rows when it is; ``fixed`` gives
    strategies (or callables of the row index returning one) for the columns that must cohere with other
    datasets. ``unique``: columns whose combination must differ between rows (default: the natural key)."""
    ds = DATASETS[dataset]
    fixed = fixed or {}
    # Columns filled together (an initiative's savings columns) are left out: drawn apart, they would break the
    # rule in most rows; their own tests (test_savings_data) cover them.
    grouped = {name for group in ds.together for name in (*group.columns, *group.followers)}
    columns = [c.name for c in ds.columns if c.name not in grouped and (c.required or draw(st.booleans()))]
    rows, seen = [], set()
    unique = unique if unique is not None else ds.key
    for i in range(count):
        for _ in range(20):  # a few tries for a combination not drawn yet
            row = {}
            for name in columns:
                col = ds.column(name)
                source = fixed.get(name, None)
                strategy = source(i, row) if callable(source) else source if source is not None else value_of(col)
                value = draw(strategy)
                if not col.required and draw(st.integers(0, 4)) == 0:
                    value = None  # an optional cell left blank
                row[name] = value
            identity = tuple(str(row.get(k)).lower() if ds.column(k).allowed else row.get(k) for k in unique)
            if identity not in seen:
                seen.add(identity)
                rows.append(row)
                break
    return columns, rows


def _local_hours(start_local: pd.Timestamp, hours: int, step_min: int = 60) -> pd.DatetimeIndex:
    """Interval starts (UTC) every ``step_min`` minutes over ``hours`` from a Danish local time."""
    start = start_local.tz_localize(TZ).tz_convert("UTC")
    return pd.date_range(start, periods=max(1, hours * 60 // step_min), freq=f"{step_min}min")


def is_repeated_hour(stamp: pd.Timestamp) -> bool:
    """True for a UTC time whose Danish wall time comes twice (the October hour): written as local time alone it
    is only resolved by its twin in the same file."""
    wall = pd.Timestamp(stamp).tz_convert(TZ).tz_localize(None)
    return pd.isna(pd.Series([wall]).dt.tz_localize(TZ, ambiguous="NaT")[0])


def keep_repeated_hours_whole(rows: list[dict], key: str) -> list[dict]:
    """``rows`` without a repeated hour whose twin (same ``key`` value, same wall time) is missing: a file in
    local time cannot say which of the two hours a lone one is, and the importer rightly refuses it."""
    def wall(row: dict) -> tuple[str, pd.Timestamp]:
        return str(row[key]).lower(), pd.Timestamp(row["start"]).tz_convert(TZ).tz_localize(None)

    counts: dict[tuple[str, pd.Timestamp], int] = {}
    for row in rows:
        counts[wall(row)] = counts.get(wall(row), 0) + 1
    return [r for r in rows if not is_repeated_hour(r["start"]) or counts[wall(r)] > 1]


def fold_safe_cut(rows: Sequence[dict], cut: int) -> int:
    """``cut`` moved past a repeated hour it would split, so each file in local time holds both of its hours."""
    while 0 < cut < len(rows) and is_repeated_hour(rows[cut]["start"]) and is_repeated_hour(rows[cut - 1]["start"]):
        cut += 1
    return cut


# Where a few days of readings start: a year's first hours, the DST changes, midsummer, New Year's Eve.
READING_STARTS = ("{y}-01-01 00:00", "{y}-03-29 12:00", "{y}-10-24 20:00", "{y}-06-30 00:00", "{y}-12-30 22:00")


@st.composite
def schools(draw, max_campuses: int = 3, max_buildings: int = 4, max_meters: int = 5, max_days: int = 3) -> dict:
    """A coherent small school: {"year": Y, "files": {dataset: (columns, rows)}, "style": how the CSV files are
    written, "view_campus": the campus (or None) the pages are looked at for, "meters"/"campuses"/"buildings":
    rows by id}. Readings are quarter-hourly, hourly or daily over a few days starting in year Y."""
    year = draw(st.integers(2019, 2026))
    files: dict[str, tuple[list[str], list[dict]]] = {}

    files["campuses"] = draw(table("campuses", draw(st.integers(1, max_campuses)), {"campus_id": keys}))
    campus_ids = [r["campus_id"] for r in files["campuses"][1]]
    campus_of = st.sampled_from(campus_ids)

    def in_use_to(i, row):  # an end date on or after the start date
        return st.dates(row["in_use_from"], dt.date(2100, 12, 31))

    files["buildings"] = draw(table("buildings", draw(st.integers(1, max_buildings)), {
        "building_id": keys, "campus_id": campus_of, "in_use_to": in_use_to,
        "in_use_from": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    }))
    building_ids = [r["building_id"] for r in files["buildings"][1]]
    files["building_footprints"] = ([], [{"building_id": b} for b in building_ids if draw(st.booleans())])

    # Meters: a utility and a unit it is read in; a parent among the earlier meters of the same utility (a tree).
    n_meters = draw(st.integers(1, max_meters))
    utilities = [draw(st.sampled_from(UTILITIES)) for _ in range(n_meters)]
    gsrns = draw(st.lists(st.from_regex(r"[0-9]{18}", fullmatch=True), min_size=n_meters, max_size=n_meters,
                          unique=True))
    meter_ids = draw(st.lists(keys, min_size=n_meters, max_size=n_meters, unique=True))

    def parent(i, row):
        earlier = [meter_ids[j] for j in range(i) if utilities[j] == utilities[i]]
        return st.sampled_from(earlier) if earlier else st.none()

    files["meters"] = draw(table("meters", n_meters, {
        "meter_id": lambda i, row: st.just(meter_ids[i]), "building_id": st.sampled_from(building_ids),
        "utility": lambda i, row: any_case(utilities[i]),
        "unit": lambda i, row: st.sampled_from(METER_UNITS[utilities[i]]), "gsrn": lambda i, row: st.just(gsrns[i]),
        "parent_meter_id": parent,
    }))

    # Readings: consecutive intervals per meter from one of the interesting starts, over a few days.
    start_local = pd.Timestamp(draw(st.sampled_from(READING_STARTS)).format(y=year))
    hours = draw(st.integers(1, 24 * max_days))
    reading_cols = ["meter_id", "start", "end", "value"] + (["quality"] if draw(st.booleans()) else [])
    readings = []
    for meter_id in meter_ids:
        if not draw(st.booleans()) and readings:
            continue  # not every meter has readings
        step = draw(st.sampled_from((15, 60, 60, 24 * 60)))  # quarter-hourly, hourly or daily, in minutes
        for stamp in _local_hours(start_local, hours, step):
            readings.append({"meter_id": meter_id, "start": stamp, "end": stamp + pd.Timedelta(minutes=step),
                             "value": draw(value_of(DATASETS["readings"].column("value"))),
                             "quality": draw(st.sampled_from(("measured", "estimated", None)))})
    files["readings"] = (reading_cols, readings)
    first_day = start_local.date() - dt.timedelta(days=1)
    days = [first_day + dt.timedelta(days=i) for i in range(max_days + 3)]

    files["weather"] = draw(table("weather", draw(st.integers(0, len(days))), {
        "campus_id": campus_of, "date": st.sampled_from(days)}))
    files["calendar"] = draw(table("calendar", draw(st.integers(0, 4)), {"date": st.sampled_from(days)}))
    years = st.integers(year - 2, year)
    files["emission_factors"] = draw(table("emission_factors", draw(st.integers(0, 6)), {"year": years}))
    hours_utc = list(_local_hours(start_local - pd.Timedelta(hours=2), hours + 4))
    files["grid_co2"] = draw(table("grid_co2", draw(st.integers(0, len(hours_utc))), {
        "start": st.sampled_from(hours_utc)}, unique=("price_area", "start")))

    # Prices: per (utility, kind) one interval covering the readings, or a few following one another.
    def price_start(i, row):
        return st.just(pd.Timestamp(f"{year - 1}-12-01", tz=TZ).tz_convert("UTC") + pd.Timedelta(days=40 * i))

    def price_end(i, row):
        return st.just(row["start"] + pd.Timedelta(days=40))

    files["energy_prices"] = draw(table("energy_prices", draw(st.integers(0, 4)), {
        "start": price_start, "end": price_end}, unique=("utility", "kind", "start")))
    files["benchmarks"] = draw(table("benchmarks", draw(st.integers(0, 4)), {}))
    files["activity"] = draw(table("activity", draw(st.integers(0, 5)), {"campus_id": campus_of, "year": years}))
    files["finance"] = draw(table("finance", draw(st.integers(0, 8)), {
        "year": years, "item": st.sampled_from(FINANCE_ITEMS)}))

    def end_date(i, row):
        return st.dates(row["start_date"], row["start_date"] + dt.timedelta(days=400))

    files["exchanges"] = draw(table("exchanges", draw(st.integers(0, 5)), {
        "exchange_id": keys, "campus_id": campus_of, "education_area": st.sampled_from(EDUCATION_AREAS),
        "start_date": st.dates(dt.date(year - 1, 1, 1), dt.date(year, 12, 31)), "end_date": end_date}))
    files["partners"] = draw(table("partners", draw(st.integers(0, 3)), {"partner_id": keys}))
    files["focus_areas"] = draw(table("focus_areas", draw(st.integers(0, len(FOCUS_AREA_KEYS))), {
        "key": st.sampled_from(FOCUS_AREA_KEYS)}))
    goals = st.lists(st.integers(1, 17), min_size=1, max_size=3, unique=True).map(lambda g: ";".join(map(str, g)))

    def optional_end(i, row):
        return st.dates(row["start_date"], dt.date(2100, 12, 31))

    files["initiatives"] = draw(table("initiatives", draw(st.integers(0, 3)), {
        "initiative_id": keys, "sdg_goals": goals, "end_date": optional_end}))
    files["indicators"] = draw(table("indicators", draw(st.integers(0, 3)), {"indicator_id": keys}))
    indicator_ids = [r["indicator_id"] for r in files["indicators"][1]]
    files["indicator_values"] = draw(table("indicator_values", draw(st.integers(0, 6)) if indicator_ids else 0, {
        "indicator_id": st.sampled_from(indicator_ids or ["-"]), "year": years}))
    files["targets"] = draw(table("targets", draw(st.integers(0, len(TARGET_KEYS))), {
        "key": st.sampled_from(TARGET_KEYS), "annual_rate": st.floats(-0.5, 1.0, allow_nan=False)}))

    style = {"sep": draw(st.sampled_from((",", ";"))), "bom": draw(st.booleans()),
             "time": draw(st.sampled_from(("utc", "offset", "local"))), "bool": draw(st.sampled_from(
                 (("true", "false"), ("ja", "nej"), ("1", "0"), ("JA", "Nej")))),
             # datasets written as Excel workbooks (native numbers, dates and booleans) instead of CSV
             "xlsx": draw(st.frozensets(st.sampled_from([d for d in IMPORT_ORDER if d != "building_footprints"]),
                                        max_size=6)),
             "cut": draw(st.sampled_from((0.0, 0.3, 0.5, 1.0)))}  # where the readings' two files part
    if style["time"] == "local":
        files["grid_co2"] = (files["grid_co2"][0], keep_repeated_hours_whole(files["grid_co2"][1], "price_area"))
    return {"year": year, "files": files, "style": style, "view_campus": draw(st.sampled_from([None, *campus_ids])),
            "meters": {r["meter_id"]: r for r in files["meters"][1]},
            "campuses": {r["campus_id"]: r for r in files["campuses"][1]},
            "buildings": {r["building_id"]: r for r in files["buildings"][1]}}


def _styled_cell(value: object, col: Column, style: dict) -> str:
    """A cell written the way ``style`` says (decimal mark, timestamps in UTC, with an offset or as Danish local
    wall time, booleans as true/false, ja/nej or 1/0)."""
    if value is None:
        return ""
    if col.type == TIMESTAMP:
        stamp = pd.Timestamp(value)
        if style["time"] == "utc":
            return stamp.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        local = stamp.tz_convert(TZ)
        return local.isoformat() if style["time"] == "offset" else local.strftime("%Y-%m-%d %H:%M:%S")
    if col.type == BOOL:
        return style["bool"][0] if value else style["bool"][1]
    return cell_text(value, col, "," if style["sep"] == ";" else ".")


@dataclass(frozen=True)
class SchoolFile:
    dataset: str
    name: str
    content: bytes
    rows: tuple = ()  # the rows written (readings: to compute what a part of them adds up to)


def _excel_cell(value: object, col: Column, style: dict) -> object:
    """A cell as Excel holds it: numbers, dates and booleans natively; a timestamp as a local wall-clock date
    and time when the style is local time, else as its ISO text."""
    if value is None:
        return None
    if col.type == TIMESTAMP:
        if style["time"] == "local":
            return pd.Timestamp(value).tz_convert(TZ).tz_localize(None).to_pydatetime()
        return _styled_cell(value, col, style)
    if col.type in (INT, FLOAT, BOOL, DATE):
        return value
    return str(value)


def xlsx_bytes(dataset: str, columns: Sequence[str], rows: Sequence[dict], style: dict) -> bytes:
    import openpyxl

    ds = DATASETS[dataset]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = dataset
    ws.append(list(columns))
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(columns, start=1):
            value = _excel_cell(row.get(name), ds.column(name), style)
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _file(dataset: str, name: str, columns: Sequence[str], rows: Sequence[dict], style: dict) -> SchoolFile:
    if dataset in style["xlsx"]:
        return SchoolFile(dataset, f"{name}.xlsx", xlsx_bytes(dataset, columns, rows, style), tuple(rows))
    ds = DATASETS[dataset]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=style["sep"], lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_styled_cell(row.get(column), ds.column(column), style) for column in columns])
    content = (b"\xef\xbb\xbf" if style["bom"] else b"") + text.getvalue().encode()
    return SchoolFile(dataset, f"{name}.csv", content, tuple(rows))


def school_files(school: dict) -> list[SchoolFile]:
    """The generated school as files in import order, written in the school's style (CSV, or Excel for the
    datasets the style names); datasets without rows have no file (an empty file is refused on import). The
    readings come in two files, each meter's rows cut at the same share, so the second import meets stored
    readings of the same meters and days; footprints are GeoJSON rectangles at their campus."""
    style, out = school["style"], []
    for dataset in IMPORT_ORDER:
        columns, rows = school["files"][dataset]
        if not rows:
            continue
        if dataset == "building_footprints":
            rings = {}
            for row in rows:
                campus = school["campuses"][school["buildings"][row["building_id"]]["campus_id"]]
                lon, lat = min(max(campus["lon"], -179.99), 179.98), min(max(campus["lat"], -89.99), 89.98)
                rings[row["building_id"]] = [(lon, lat), (lon, lat + 3e-4), (lon + 4e-4, lat + 3e-4), (lon + 4e-4, lat)]
            out.append(SchoolFile(dataset, "omrids.geojson", geojson_bytes(rings), tuple(rows)))
            continue
        if style["time"] == "local" and dataset == "grid_co2":  # the repeated October hour goes by file order
            rows = sorted(rows, key=lambda r: (str(r["price_area"]).lower(), r["start"]))
        if dataset == "readings":
            by_meter: dict[str, list[dict]] = {}
            for row in rows:
                by_meter.setdefault(row["meter_id"], []).append(row)
            parts: tuple[list[dict], list[dict]] = ([], [])
            for meter_rows in by_meter.values():
                cut = int(len(meter_rows) * style["cut"])
                if style["time"] == "local":
                    cut = fold_safe_cut(meter_rows, cut)
                parts[0].extend(meter_rows[:cut])
                parts[1].extend(meter_rows[cut:])
            out += [_file(dataset, f"readings-{i + 1}", columns, part, style) for i, part in enumerate(parts) if part]
            continue
        out.append(_file(dataset, dataset, columns, rows, style))
    return out
