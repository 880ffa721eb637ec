"""The Eloverblik fast path (importers.eloverblik_fast) gives exactly what the careful path gives.

Every test parses the same bytes twice: as parse_file does (big regular exports take the fast path) and
with the fast path switched off, and compares frame, dtypes, row numbers, warnings and problems. Files
with anything wrong must reach the careful path, so their problems name the same file, row and column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import heg_dash.importers as importers
from heg_dash import i18n, store
from heg_dash.importers import ParsedImport, parse_file
from heg_dash.importers.eloverblik_fast import (
    MIN_BYTES,
    _careful_reads_with_arrow,
    _coded,
    _localise,
    _values,
    parse_eloverblik_fast,
)
from heg_dash.importers.problems import ProblemLog
from heg_dash.importers.validate import localise
from heg_dash.store import staging

GSRN_KWH = "571313161100187650"
GSRN_MWH = "571313161100000002"
GSRN_WATER = "571313161100000003"
GSRN_OTHER = "571313161100000004"
METERS = pd.DataFrame({
    "meter_id": ["EL-HOB-1", "EL-MWH", "VAND-1", "EL-AAR-2"],
    "gsrn": [GSRN_KWH, GSRN_MWH, GSRN_WATER, GSRN_OTHER],
    "unit": ["kWh", "MWh", "m3", "kWh"],
    "utility": ["electricity", "electricity", "water", "electricity"],
})
HEADER = "MålepunktsID;Fra_dato;Til_dato;Mængde;Måleenhed;Kvalitet;Type"
FMT = "%d-%m-%Y %H:%M:%S"


@pytest.fixture(autouse=True)
def _danish():
    with i18n.language("da"):
        yield


def local_hours(first: str, last: str, step: str = "h") -> list[pd.Timestamp]:
    """Wall-clock starts as an export writes them: every local hour (or quarter) that exists, the repeated
    October hour twice (summer time first), none in the March gap."""
    utc = pd.date_range(pd.Timestamp(first, tz="Europe/Copenhagen").tz_convert("UTC"),
                        pd.Timestamp(last, tz="Europe/Copenhagen").tz_convert("UTC"), freq=step, inclusive="left")
    return list(utc.tz_convert("Europe/Copenhagen").tz_localize(None))


def rows_for(gsrn: str, starts: list[pd.Timestamp], length: pd.Timedelta, *, seed: int, unit: str = "KWH",
             quality: str = "Målt") -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for i, s in enumerate(starts):
        value = f"{rng.integers(0, 10**rng.integers(1, 9))},{rng.integers(0, 10**6):0{rng.integers(1, 7)}d}"[:16]
        if i % 97 == 5:
            value = f"{rng.integers(0, 1000)}"  # a whole number, no decimals
        if i % 89 == 7:
            value = f'"{value}"'  # a quoted cell
        q = quality if i % 53 else ("A01", "A03", "A04", "A05", "a04", "MÅLT")[i % 6]
        out.append(f"{gsrn};{s:{FMT}};{s + length:{FMT}};{value};{unit};{q};Tidsserie")
    return out


def csv_bytes(rows: list[str], *, newline: str = "\r\n", bom: bool = True, tail: str | None = None) -> bytes:
    text = newline.join([HEADER, *rows]) + (newline if tail is None else tail)
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def both(content: bytes, monkeypatch, meters: pd.DataFrame = METERS) -> tuple[ParsedImport, ParsedImport]:
    """(parse_file as it runs, parse_file with the fast path switched off)."""
    fast = parse_file("readings", "elo.csv", content, meters=meters)
    with monkeypatch.context() as m:
        m.setattr(importers, "_eloverblik_fast", lambda *a: None)
        careful = parse_file("readings", "elo.csv", content, meters=meters)
    return fast, careful


def assert_same(fast: ParsedImport, careful: ParsedImport) -> None:
    pd.testing.assert_frame_equal(fast.frame, careful.frame, check_index_type=True, check_exact=True)
    assert [(p.file, p.row, p.column, p.key, p.values) for p in fast.warnings] == \
           [(p.file, p.row, p.column, p.key, p.values) for p in careful.warnings]
    assert [p.text() for p in fast.problems] == [p.text() for p in careful.problems]
    assert (fast.format, fast.rows_in_file) == (careful.format, careful.rows_in_file)


def takes_fast_path(content: bytes, meters: pd.DataFrame = METERS) -> bool:
    return parse_eloverblik_fast(content, meters, ProblemLog("elo.csv")) is not None


def regular_file() -> list[str]:
    """Three meters over both DST nights of 2024 and October 2023: hourly kWh, hourly kWh into an MWh meter
    (converted), and quarter hours; A02 rows in between."""
    hourly = local_hours("2023-10-20", "2023-11-05") + local_hours("2024-03-25", "2024-04-05") \
        + local_hours("2024-10-20", "2024-11-01")
    quarters = local_hours("2024-03-30", "2024-04-01", "15min") + local_hours("2024-10-26", "2024-10-28", "15min")
    rows = rows_for(GSRN_KWH, hourly, pd.Timedelta(hours=1), seed=1)
    rows += rows_for(GSRN_MWH, hourly, pd.Timedelta(hours=1), seed=2, unit="kWh")
    rows += rows_for(GSRN_OTHER, quarters, pd.Timedelta(minutes=15), seed=3)
    for i in range(3, len(rows), 211):  # no reading: skipped, whatever the other cells say
        gsrn, fra, til, *_ = rows[i].split(";")
        rows[i] = f"{gsrn};{fra};{til};;KWH;A02;Tidsserie"
    return rows


# ------------------------------------------------------------------------------------ the same frame

def test_regular_export_takes_the_fast_path_and_gives_the_careful_frame(monkeypatch):
    content = csv_bytes(regular_file())
    assert len(content) > MIN_BYTES and takes_fast_path(content)
    fast, careful = both(content, monkeypatch)
    assert fast.problems == [] and fast.format == "eloverblik"
    assert_same(fast, careful)
    assert [w.key for w in fast.warnings] == ["imp.elo_a02_skipped", "imp.elo_converted"]
    f = fast.frame
    assert set(f["meter_id"]) == {"EL-HOB-1", "EL-MWH", "EL-AAR-2"}
    assert set(f["quality"]) == {"measured", "estimated"} and not f.index.is_monotonic_decreasing
    # the repeated October hour in file order: summer time, then winter time
    hob = f[f["meter_id"] == "EL-HOB-1"].set_index("start")
    assert pd.Timestamp("2024-10-27 00:00", tz="UTC") in hob.index
    assert pd.Timestamp("2024-10-27 01:00", tz="UTC") in hob.index
    quarters = f[f["meter_id"] == "EL-AAR-2"]
    assert (quarters["end"] - quarters["start"]).eq(pd.Timedelta(minutes=15)).all() and quarters["start"].is_unique


def test_a_mapped_file_parses_and_hashes_as_its_bytes_do(tmp_path, monkeypatch):
    """read_file maps a big file: the fast path, the careful path (a bad cell) and the hash see the same bytes."""
    from heg_dash.importers import read
    from heg_dash.store.imports import sha256

    monkeypatch.setattr(read, "MAP_MIN_BYTES", 0)
    good = csv_bytes(regular_file())
    rows = regular_file()
    rows[40] = rows[40].replace(";Målt;", ";Ukendt;")
    for content in (good, csv_bytes(rows)):
        path = tmp_path / "elo.csv"
        path.write_bytes(content)
        mapped = read.read_file(path)
        assert isinstance(mapped, read.MappedFile) and sha256(mapped) == sha256(content)
        assert_same(parse_file("readings", "elo.csv", mapped, meters=METERS),
                    parse_file("readings", "elo.csv", content, meters=METERS))
    assert takes_fast_path(read.read_file(tmp_path / "elo.csv")) is False
    path.write_bytes(good)
    assert takes_fast_path(read.read_file(path))


def test_meters_interleaved_in_time_order_and_lf_without_bom(monkeypatch):
    a = rows_for(GSRN_KWH, local_hours("2024-10-10", "2024-11-05"), pd.Timedelta(hours=1), seed=4)
    b = rows_for(GSRN_OTHER, local_hours("2024-10-10", "2024-11-05"), pd.Timedelta(hours=1), seed=5)
    rows = [r for pair in zip(a, b, strict=True) for r in pair]
    content = csv_bytes(rows, newline="\n", bom=False, tail="\n\n\n")  # trailing blank lines are no rows
    assert len(content) > MIN_BYTES and takes_fast_path(content)
    assert_same(*both(content, monkeypatch))


def test_only_a02_rows_and_small_files_go_the_careful_way(monkeypatch):
    starts = local_hours("2024-01-01", "2024-02-15")
    skipped = [f"{GSRN_KWH};{s:{FMT}};{s + pd.Timedelta(hours=1):{FMT}};;KWH;A02;Tidsserie" for s in starts]
    content = csv_bytes(skipped)
    assert not takes_fast_path(content)
    assert_same(*both(content, monkeypatch))
    small = csv_bytes(rows_for(GSRN_KWH, starts[:10], pd.Timedelta(hours=1), seed=6))
    assert not takes_fast_path(small)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rows_in_any_order_give_the_careful_answer(seed, monkeypatch):
    """Shuffled rows: October repeats resolved (or refused) by file order alike; the same start twice
    for a meter found wherever the rows are."""
    rows = regular_file()
    rng = np.random.default_rng(seed)
    if seed == 1:  # only the meters' blocks swapped: every repeat still inferable
        rows = [r for block in (rows[2000:], rows[:2000]) for r in block]
    else:
        rows = [rows[i] for i in rng.permutation(len(rows))]
    content = csv_bytes(rows)
    assert takes_fast_path(content) == (seed == 1)
    fast, careful = both(content, monkeypatch)
    assert_same(fast, careful)
    assert (fast.problems == []) == (seed == 1)


def test_whitespace_around_times_is_trimmed_as_the_careful_path_does(monkeypatch):
    rows = rows_for(GSRN_KWH, local_hours("2024-05-01", "2024-06-15"), pd.Timedelta(hours=1), seed=7)
    assert not _careful_reads_with_arrow(csv_bytes(rows))  # short in characters: the csv module's row index
    rows = [r.replace(";", "; ", 2).replace("; ", ";", 1) for r in rows]  # " 01-05-2024 01:00:00" as Til_dato
    content = csv_bytes(rows)
    assert takes_fast_path(content)
    assert_same(*both(content, monkeypatch))


def test_numbers_are_the_floats_pandas_parses():
    """The fast path casts "123,456" with Arrow; for plain digits (≤ 15) both are correctly rounded."""
    rng = np.random.default_rng(8)
    texts = [f"{rng.integers(0, 10**rng.integers(1, 10))},{rng.integers(0, 10**6):0{rng.integers(1, 7)}d}"
             for _ in range(200_000)]
    rows = [f"{GSRN_KWH};01-01-2024 00:00:00;01-01-2024 01:00:00;{t};KWH;Målt;T" for t in texts]
    ours = _values(_coded(pa.chunked_array([pa.array(t.split(";")[3] for t in rows)])))
    theirs = pd.to_numeric(pd.Series(texts).str.replace(",", ".", regex=False)).to_numpy()
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("seed", range(20))
def test_repeated_october_times_resolved_as_validate_localise_does(seed):
    """The October night's repeated times of several meters in random orders: the fast rule gives
    validate.localise's UTC times, or says it cannot (where localise reports a problem)."""
    rng = np.random.default_rng(seed)
    night = pd.date_range("2024-10-27 01:45", "2024-10-27 03:15", freq="15min").tolist()
    rows = []
    for meter in range(3):
        times = sorted(rng.choice(night, size=rng.integers(2, 12)).tolist()) if seed % 2 else \
            rng.choice(night, size=rng.integers(2, 12)).tolist()
        rows += [(meter, t) for t in times]
    if seed % 4 == 1:  # the usual case: each meter's night in order, the repeated hour twice
        rows = [(m, t) for m in range(3) for t in night[:1] + night[1:5] * 2 + night[5:]]
    meters = np.array([m for m, _ in rows])
    wall = pd.Series([t for _, t in rows], dtype="datetime64[us]")
    codes, uniques = pd.factorize(wall)
    ours = _localise(pd.Series(uniques, dtype="datetime64[us]"), codes, wall.to_numpy().view("int64"), meters)
    utc, status = localise(wall, pd.Series(np.nan, index=wall.index), pd.Series(meters))
    if status.notna().any():
        assert ours is None
    else:
        assert ours is not None
        assert (ours == utc.dt.tz_localize(None).astype("datetime64[us]").to_numpy().view("int64")).all()
    if seed % 4 == 1:
        assert ours is not None


# --------------------------------------------------------------------------- anything wrong: careful path

def _bad(rows: list[str], i: int, column: int, text: str) -> list[str]:
    cells = rows[i].split(";")
    cells[column] = text
    return [*rows[:i], ";".join(cells), *rows[i + 1:]]


BAD_CELLS = {
    "not a number": (3, "abc", "imp.not_number", "Mængde"),
    "negative": (3, "-1,5", "imp.below_min", "Mængde"),
    "unknown GSRN": (0, "571313000000000000", "imp.elo_unknown_gsrn", "MålepunktsID"),
    "impossible date": (1, "31-02-2024 00:00:00", "imp.impossible_date", "Fra_dato"),
    "half an hour": (2, "XX", "imp.elo_interval", "Til_dato"),
    "unknown quality": (5, "X9", "imp.elo_quality", "Kvalitet"),
    "water unit": (4, "M3", "imp.elo_unit", "Måleenhed"),
    "formula": (0, "=1+2", "imp.formula", "MålepunktsID"),
}


@pytest.mark.parametrize("case", list(BAD_CELLS))
def test_one_bad_cell_gets_the_careful_paths_problem(case, monkeypatch):
    column, text, key, label = BAD_CELLS[case]
    rows = rows_for(GSRN_KWH, local_hours("2024-01-01", "2024-03-01"), pd.Timedelta(hours=1), seed=9)
    assert takes_fast_path(csv_bytes(rows))  # without the bad cell
    if text == "XX":  # Til_dato half an hour after Fra_dato
        text = (pd.to_datetime(rows[500].split(";")[1], format=FMT) + pd.Timedelta(minutes=30)).strftime(FMT)
    content = csv_bytes(_bad(rows, 500, column, text))
    assert not takes_fast_path(content)
    fast, careful = both(content, monkeypatch)
    assert_same(fast, careful)
    problem = next(p for p in fast.problems if p.key == key)
    assert (problem.file, problem.row, problem.column) == ("elo.csv", 502, label)  # header = row 1


def test_dst_problems_and_duplicates_get_the_careful_paths_problems(monkeypatch):
    starts = local_hours("2024-03-01", "2024-04-30")
    rows = rows_for(GSRN_KWH, starts, pd.Timedelta(hours=1), seed=10)
    assert takes_fast_path(csv_bytes(rows))
    march_gap = f"{GSRN_KWH};31-03-2024 02:00:00;31-03-2024 03:00:00;1,0;KWH;Målt;T"
    for changed, key in (([*rows[:130], march_gap, *rows[130:]], "imp.nonexistent_time"),
                         ([*rows, rows[40]], "imp.duplicate_key")):
        content = csv_bytes(changed)
        assert not takes_fast_path(content)
        fast, careful = both(content, monkeypatch)
        assert_same(fast, careful)
        assert key in [p.key for p in fast.problems]
    october = rows_for(GSRN_KWH, local_hours("2024-10-01", "2024-11-30"), pd.Timedelta(hours=1), seed=11)
    assert takes_fast_path(csv_bytes(october))
    repeat = [i for i, r in enumerate(october) if r.startswith(f"{GSRN_KWH};27-10-2024 02:00:00;")]
    assert len(repeat) == 2
    lone = october[:repeat[1]] + october[repeat[1] + 1:]  # the repeated hour once: cannot be inferred
    content = csv_bytes(lone)
    assert not takes_fast_path(content)
    fast, careful = both(content, monkeypatch)
    assert_same(fast, careful)
    assert "imp.ambiguous_time" in [p.key for p in fast.problems]


def test_irregular_files_go_the_careful_way(monkeypatch):
    rows = rows_for(GSRN_KWH, local_hours("2024-01-01", "2024-03-01"), pd.Timedelta(hours=1), seed=12)
    assert takes_fast_path(csv_bytes(rows))
    cases = {
        "blank line": csv_bytes([*rows[:300], "", *rows[300:]]),
        "extra cell": csv_bytes([*rows[:300], rows[300] + ";x", *rows[301:]]),
        "short row": csv_bytes([*rows[:300], rows[300].rsplit(";", 1)[0], *rows[301:]]),
        "cp1252": ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252"),
        # a byte that is no UTF-8 in the one column the fast path does not read (Type)
        "cp1252 byte in Type": csv_bytes(rows).replace(b";Tidsserie\r\n", b";Tidsseri\xe9\r\n", 1),
        "thousands separator": csv_bytes(_bad(rows, 10, 3, "1.234,5")),
    }
    for name, content in cases.items():
        assert not takes_fast_path(content), name
        assert_same(*both(content, monkeypatch))


def test_every_spelling_of_the_header_takes_the_fast_path_with_the_same_result(monkeypatch):
    """The web export's header in another case, the API's CSV header, and lines ending in ";"."""
    rows = rows_for(GSRN_KWH, local_hours("2024-01-01", "2024-03-01"), pd.Timedelta(hours=1), seed=12)
    api = "Målepunkt id;Fra dato;Til dato;Mængde;Måleenhed;Kvalitet;Type"
    cases = {
        "header in other case": csv_bytes(rows).replace("Mængde".encode(), "MÆNGDE".encode(), 1),
        "API header": csv_bytes(rows).replace(HEADER.encode(), api.encode(), 1),
        "trailing semicolons": ("\ufeff" + "\r\n".join(line + ";" for line in [api, *rows]) + "\r\n").encode(),
    }
    for name, content in cases.items():
        assert takes_fast_path(content), name
        fast, careful = both(content, monkeypatch)
        assert_same(fast, careful)
        assert fast.problems == [] and len(fast.frame) == len(rows), name


def test_problems_inside_the_fast_path_never_reach_the_user(monkeypatch):
    """A failure in the fast path itself sends the file down the careful path."""
    content = csv_bytes(regular_file())

    def broken(*a):
        raise RuntimeError("boom")

    monkeypatch.setattr(importers, "parse_eloverblik_fast", broken)
    fast = parse_file("readings", "elo.csv", content, meters=METERS)
    assert fast.problems == [] and len(fast.frame) > 0


# ------------------------------------------------------------------------------------------ the store

def test_store_overlap_shortcut_only_says_yes_when_the_query_would_find_nothing():
    def frame(meters: list[str], starts: list[str], minutes: list[int]) -> pd.DataFrame:
        start = pd.to_datetime(pd.Series(starts)).dt.tz_localize("UTC").astype("datetime64[us, UTC]")
        return pd.DataFrame({"meter_id": pd.Series(meters, dtype="str"), "start": start,
                             "end": start + pd.to_timedelta(minutes, unit="min"), "value": 1.0,
                             "quality": "measured"})

    hours = ["2024-01-01 00:00", "2024-01-01 01:00", "2024-01-01 02:00"]
    assert staging.key_order(frame(["A", "B", "A"], ["2024-01-01 00:00"] * 2 + ["2024-01-01 01:00"],
                                  [60, 60, 60])) is not None
    assert staging.key_order(frame(["A"] * 3, hours, [60, 60, 60])) is not None
    assert staging.key_order(frame(["A"] * 3, hours, [60, 90, 60])) is None  # overlaps the next
    assert staging.key_order(frame(["A"] * 3, hours[::-1], [60, 60, 60])) is None  # not in time order
    assert staging.key_order(frame(["A"] * 2, hours[:1] * 2, [60, 60])) is None  # the same start twice


def _readings(meters: list[str], first: str, hours: int, *, shuffle: bool = False) -> pd.DataFrame:
    start = pd.date_range(first, periods=hours, freq="h", tz="UTC").astype("datetime64[us, UTC]")
    frame = pd.concat([pd.DataFrame({"meter_id": pd.Series([m] * hours, dtype="str"), "start": start,
                                     "end": start + pd.Timedelta(hours=1),
                                     "value": pd.Series(np.arange(hours) / 4, dtype="Float64"),
                                     "quality": pd.Series(["measured"] * hours, dtype="str")}) for m in meters])
    if shuffle:
        frame = frame.sample(frac=1, random_state=1)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame


def test_store_writes_a_batch_in_key_order_sorted_or_not(sample_db):
    """Rows go into the table in (meter, start) order whichever way _inc was staged and inserted."""
    from heg_dash.store import db

    meters = db.read_df("SELECT meter_id FROM meters ORDER BY meter_id DESC LIMIT 3")["meter_id"].tolist()
    cases = [(_readings(meters, "2031-01-01", 60_000), 0),  # meters in reverse order, each in time order
             (_readings(meters, "2040-01-01", 30_000), 20_000),  # the first 20,000 hours stored before
             (_readings(meters, "2050-01-01", 2_000, shuffle=True), 0)]  # not in time order: a sort
    for frame, stored_hours in cases:
        added = len(frame) - stored_hours * len(meters)
        if stored_hours:  # those rows are unchanged the second time: _write's join and sort
            store.write("readings", frame[frame["start"] < frame["start"].min() + pd.Timedelta(hours=stored_hours)],
                        user="t", file_name="first.csv")
        result = store.write("readings", frame, user="t", file_name="f.csv")
        assert result.counts.added == added
        rows = db.read_df("SELECT meter_id, start FROM readings WHERE batch_id = ? ORDER BY rowid",
                          [result.batch_id])
        assert len(rows) == added
        ordered = rows.sort_values(["meter_id", "start"], ignore_index=True)
        pd.testing.assert_frame_equal(rows, ordered)


def test_store_stores_the_same_rows_in_key_order_however_the_meters_come(sample_db):
    """Each meter's rows one block (in or out of meter id order), meters interleaved, a meter in two blocks:
    the same rows stored, in (meter, start) order, without a sort wherever each meter's rows are in time order."""
    from heg_dash.store import db

    meters = db.read_df("SELECT meter_id FROM meters ORDER BY meter_id DESC LIMIT 3")["meter_id"].tolist()
    reverse = _readings(meters, "2060-01-01", 500)  # blocks in reverse meter id order
    in_order = reverse.sort_values("meter_id", kind="stable")
    interleaved = reverse.sort_values("start", kind="stable")
    split = pd.concat([reverse.iloc[:200], reverse.iloc[500:], reverse.iloc[200:500]])  # meter 1 twice
    cases = {"blocks in id order": (in_order, list), "blocks in reverse order": (reverse, list),
             "interleaved": (interleaved, np.ndarray), "a meter in two blocks": (split, np.ndarray)}
    stored = {}
    for name, (frame, regrouping) in cases.items():
        frame = frame.set_axis(pd.RangeIndex(2, len(frame) + 2, name="row"))
        assert isinstance(staging.key_order(frame), regrouping), name
        result = store.write("readings", frame, user="t", file_name=f"{name}.csv")
        assert result.counts.added == len(frame), name
        stored[name] = db.read_df('SELECT meter_id, start, "end", value, quality FROM readings WHERE batch_id = ? '
                                  "ORDER BY rowid", [result.batch_id])
        store.undo(result.batch_id, "t")
    expected = stored["blocks in id order"]
    pd.testing.assert_frame_equal(expected, expected.sort_values(["meter_id", "start"], ignore_index=True))
    for name, rows in stored.items():
        pd.testing.assert_frame_equal(rows, expected, obj=name)


@pytest.mark.parametrize("arrangement", ["blocks", "interleaved", "out of time order"])
def test_store_names_the_first_row_of_a_meter_it_does_not_know_and_stores_nothing(sample_db, arrangement):
    """The store's own reference check (a meter removed since the preview), however the rows were staged."""
    from heg_dash.store import db

    known = db.read_df("SELECT meter_id FROM meters ORDER BY meter_id LIMIT 1")["meter_id"].tolist()
    frame = _readings([*known, "NO-SUCH-METER"], "2070-01-01", 50)
    if arrangement == "interleaved":
        frame = frame.sort_values("start", kind="stable")
    elif arrangement == "out of time order":
        frame = frame.sample(frac=1, random_state=2)
    frame = frame.set_axis(pd.RangeIndex(2, len(frame) + 2, name="row"))
    before = db.read_df("SELECT count(*) AS n FROM readings")["n"][0]
    with pytest.raises(store.StoreRefused) as refused:
        store.write("readings", frame, user="t", file_name="r.csv")
    first_row = int(frame.index[frame["meter_id"] == "NO-SUCH-METER"].min())
    assert [(p.row, p.column, p.key, p.values["value"], p.values["count"]) for p in refused.value.problems] == \
           [(first_row, "meter_id", "imp.unknown_reference", "NO-SUCH-METER", 50)]
    assert db.read_df("SELECT count(*) AS n FROM readings")["n"][0] == before
