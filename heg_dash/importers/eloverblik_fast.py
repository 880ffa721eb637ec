"""The fast path for big, regular Eloverblik CSV exports: Arrow reads the text, numpy maps it.

It gives exactly the frame and warnings :func:`heg_dash.importers.eloverblik.parse_eloverblik` gives, or
None, and then the careful path reads the file and reports whatever is wrong with its usual messages.
The fast path never reports a problem itself: it only takes files that have none. What it accepts:

- the bytes as the careful reader would read them through Arrow (UTF-8 with or without BOM, ``;``, the
  exact header on the first line, every row the header's width, no blank lines, not too many control
  characters in the first 64 KB), at least ``MIN_BYTES``;
- every Kvalitet a known code, every kept row's MålepunktsID a known GSRN, every Måleenhed convertible to
  its meter's unit, every Mængde plain digits with at most one decimal comma (no sign, no thousands
  separator, at most 9 + 6 digits, so the float is the same correctly rounded value pandas parses), every
  Fra_dato/Til_dato a valid wall-clock time without offset, every interval 1 hour or 15 minutes, no
  March time that does not exist, every repeated October hour inferable, no duplicate (meter, start).

The same rules are applied to the same cells, once per distinct text: timestamps in another layout by the
careful path's own parser, local time by pandas' tz_localize, the repeated October hour by the rule
``tz_localize(ambiguous="infer")`` follows in :func:`validate.localise`. tests/test_import_fast.py parses
files both ways and compares frames, warnings and problems.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from heg_dash.importers.cells import TZ, parse_wall_times
from heg_dash.importers.eloverblik import HEADER, QUALITY, _gsrn_index, _unit_factor, canonical_header
from heg_dash.importers.problems import ProblemLog
from heg_dash.importers.read import _CONTROL, ARROW_MIN_CHARS, run_heads

MIN_BYTES = 100_000  # below this the careful path is quick anyway (and reads with the csv module)
_BOM = b"\xef\xbb\xbf"
_QUALITY_TEXT = re.compile(r"(?i:målt|a0[1-5])")
_GSRN_TEXT = re.compile(r"\d+")
_UNIT_TEXT = re.compile(r"[A-Za-z0-9]+")
_VALUE_TEXT = r"^\d{1,9}(,\d{1,6})?$"
_LENGTHS_US = (3_600_000_000, 900_000_000)  # 1 hour, 15 minutes
_NAMES = [f"c{i}" for i in range(len(HEADER))]
_DAY_US = 86_400_000_000
_NAT = np.iinfo(np.int64).min
# Column positions in HEADER order.
_GSRN, _FRA, _TIL, _VALUE, _UNIT, _QUALITY = range(6)
_USED = (_FRA, _TIL, _VALUE, _GSRN, _QUALITY, _UNIT)  # the costliest first, so the two threads end together
_RUNS = (_GSRN, _UNIT, _QUALITY)  # the same text over long runs of rows in an export


@dataclass
class _Coded:
    """One column of the kept rows as codes into its distinct texts: each rule runs once per distinct text."""

    codes: np.ndarray  # per kept row
    texts: pa.Array  # the distinct texts (some may occur only in skipped rows)
    used: np.ndarray  # per distinct text: occurs in a kept row (only those are checked)

    def kept(self, keep: np.ndarray | None) -> _Coded:
        """The same column for the kept rows only (None: all rows)."""
        if keep is None:
            return self
        codes = self.codes[keep]
        return _Coded(codes, self.texts, np.bincount(codes, minlength=len(self.texts)) > 0)

    def used_texts(self) -> list[str]:
        return pc.filter(self.texts, pa.array(self.used)).to_pylist()

    def all_used(self, pattern: re.Pattern) -> bool:
        return all(pattern.fullmatch(t) for t in self.used_texts())


def parse_eloverblik_fast(content: bytes, meters: pd.DataFrame | None, log: ProblemLog
                          ) -> tuple[pd.DataFrame, int] | None:
    """(the readings frame indexed by file row, data rows in the file), or None for the careful path.

    Warnings (A02 rows skipped, units converted) go to ``log`` only when the fast path succeeds.
    """
    if meters is None or len(content) < MIN_BYTES:
        return None
    table = _read(content)
    if table is None or table.num_rows == 0:
        return None
    rows_in_file = table.num_rows
    warnings: list[tuple[str, dict]] = []

    columns = _encode(content, table)
    del table  # the text: only codes and distinct texts from here on
    pa.default_memory_pool().release_unused()  # Arrow's pool would keep the text's memory for later
    if columns is None:
        return None
    quality = columns.pop(_QUALITY)
    if not quality.all_used(_QUALITY_TEXT):
        return None
    codes = [t.lower() for t in quality.texts.to_pylist()]
    skip = np.array([c == "a02" for c in codes], bool)[quality.codes]
    keep = None
    if skip.any():
        keep = ~skip
        if not keep.any():
            return None
        warnings.append(("imp.elo_a02_skipped", {"count": int(skip.sum())}))
    quality = quality.kept(keep)
    quality_u = [QUALITY.get(c) or "" for c in codes]
    columns = {pos: column.kept(keep) for pos, column in columns.items()}

    gsrn = columns[_GSRN]
    meter_of, meter_ids = _meters(gsrn, meters)
    if meter_of is None:
        return None
    value = _values(columns[_VALUE])
    if value is None:
        return None
    converted = _convert_units(columns[_UNIT], gsrn, meters, value)
    if converted is None:
        return None
    warnings += converted

    fra, til = columns[_FRA], columns[_TIL]
    fra_wall_u, til_wall_u = _wall_times(fra), _wall_times(til)
    if fra_wall_u is None or til_wall_u is None:
        return None
    fra_wall = fra_wall_u.to_numpy().view("int64")[fra.codes]
    length = til_wall_u.to_numpy().view("int64")[til.codes] - fra_wall  # wall-clock, as the careful path
    if not np.isin(length, _LENGTHS_US).all():
        return None
    start = _localise(fra_wall_u, fra.codes, fra_wall, gsrn.codes)
    if start is None or _has_duplicates(meter_of[gsrn.codes], start):
        return None

    index = pd.RangeIndex(2, rows_in_file + 2)  # header = row 1
    if not _careful_reads_with_arrow(content):  # and so numbers its rows by a RangeIndex
        index = pd.Index(np.arange(2, rows_in_file + 2), dtype="int64")
    index = index if keep is None else index[keep]
    frame = pd.DataFrame({
        "meter_id": _str_series(pc.take(pa.array(meter_ids, pa.large_string()), pa.array(gsrn.codes)), index),
        "start": pd.Series(start.view("M8[us]"), index=index).dt.tz_localize("UTC"),
        "end": pd.Series((start + length).view("M8[us]"), index=index).dt.tz_localize("UTC"),
        "value": pd.Series(pd.arrays.FloatingArray(value, np.zeros(len(value), bool)), index=index),
        "quality": _str_series(pc.take(pa.array(quality_u, pa.large_string()), pa.array(quality.codes)), index),
    }, index=index)
    frame.index.name = "row"
    pa.default_memory_pool().release_unused()
    for key, values in warnings:
        log.warn(key, None, HEADER[_VALUE] if key == "imp.elo_converted" else None, **values)
    return frame, rows_in_file


# ------------------------------------------------------------------------------------------- reading

def _read(content: bytes) -> pa.Table | None:
    """The six used columns as Arrow text, or None when the bytes are not a plain, regular export."""
    if b"\x00" in content[:65536]:
        return None
    start = len(_BOM) if content.startswith(_BOM) else 0
    line_end = content.find(b"\n", start)
    if line_end < 0:
        return None
    try:
        header = content[start:line_end].rstrip(b"\r").decode("utf-8").split(";")
    except UnicodeDecodeError:
        return None
    trailing = header[-1] == ""  # the API's CSV ends every line with ";": an eighth, empty column
    if canonical_header(header[:-1] if trailing else header) != HEADER:
        return None
    names = [*_NAMES, "c7"] if trailing else _NAMES
    # The careful reader refuses text with many control characters in its first 64 K characters.
    sample = content[start:start + 4 * 65536].decode("utf-8", errors="ignore")[:65536]
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        return None
    end = len(content)
    while end > line_end and content[end - 1] in b"\r\n":  # the careful reader strips trailing newlines
        end -= 1
    buffer = pa.py_buffer(content)
    try:
        # No UTF-8 check per cell here: _encode checks the whole file at once, beside the encoding.
        return pa_csv.read_csv(
            pa.BufferReader(buffer.slice(line_end + 1, end - line_end - 1)),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(delimiter=";", quote_char='"', newlines_in_values=False,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), check_utf8=False,
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                  include_columns=_NAMES[:6]),
        )
    except (pa.ArrowInvalid, ValueError):
        return None


def _is_utf8(content: bytes) -> bool:
    """Valid UTF-8 all through, or the careful reader would fall back to cp1252 (Arrow's check, no copy).

    Then every cell is valid UTF-8 too: cells are split at ASCII bytes, never inside a character."""
    offsets = pa.py_buffer(np.array([0, len(content)], np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(content)]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _careful_reads_with_arrow(content: bytes) -> bool:
    """Whether read.read_csv takes its Arrow reader for this (regular) file: 100,000 characters or more."""
    start = len(_BOM) if content.startswith(_BOM) else 0
    if len(content) - start >= 4 * ARROW_MIN_CHARS:  # at most four bytes per character
        return True
    continuation = np.count_nonzero((np.frombuffer(content, np.uint8, offset=start) & 0xC0) == 0x80)
    return len(content) - start - continuation >= ARROW_MIN_CHARS


def _encode(content: bytes, table: pa.Table) -> dict[int, _Coded] | None:
    """Every used column coded, or None when the file is not valid UTF-8. Two at a time: Arrow's hashing and
    UTF-8 check release the GIL, so both cores work."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="heg-encode") as pool:
        utf8 = pool.submit(_is_utf8, content)
        coded = pool.map(lambda pos: _coded(table.column(pos), runs=pos in _RUNS), _USED)
        columns = dict(zip(_USED, coded, strict=True))
        return columns if utf8.result() else None


def _coded(column: pa.ChunkedArray, runs: bool = False) -> _Coded:
    """A text column as codes into its distinct texts. ``runs``: the column is expected to repeat a text over
    long runs of rows (an export's GSRN per meter block, its unit), so the texts are encoded once per run."""
    # One array first: one dictionary, no unifying the chunks' dictionaries afterwards (cheaper).
    array = column.combine_chunks()
    if runs and len(array) > 1:
        heads = run_heads(array)
        if len(heads) * 8 <= len(array):  # else hashing every row is as quick
            encoded = pc.dictionary_encode(array.take(pa.array(heads)))
            head_codes, texts = encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary
            codes = np.repeat(head_codes, np.diff(np.r_[heads, len(array)]))
            return _Coded(codes, texts, np.bincount(head_codes, minlength=len(texts)) > 0)
    encoded = pc.dictionary_encode(array)
    codes, texts = encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary
    return _Coded(codes, texts, np.bincount(codes, minlength=len(texts)) > 0)


def _str_series(values: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """Arrow text as the ``str`` dtype the careful path's ``astype("str")`` gives, without a copy per cell."""
    array = pd.arrays.ArrowStringArray(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return pd.Series(array, index=index)


# ------------------------------------------------------------------------------------------- columns

def _meters(gsrn: _Coded, meters: pd.DataFrame) -> tuple[np.ndarray | None, list[str]]:
    """(a meter number per distinct GSRN, its meter id), or (None, []) when a GSRN is unknown."""
    by_gsrn = _gsrn_index(meters)
    texts = gsrn.texts.to_pylist()
    if not all(_GSRN_TEXT.fullmatch(t) and t in by_gsrn for t, u in zip(texts, gsrn.used, strict=True) if u):
        return None, []
    ids = [by_gsrn[t][0] if u else "" for t, u in zip(texts, gsrn.used, strict=True)]
    number = {m: i for i, m in enumerate(dict.fromkeys(ids))}
    return np.array([number[m] for m in ids], np.int64), ids


def _values(column: _Coded) -> np.ndarray | None:
    """Mængde as float64 per kept row: plain digits with an optional decimal comma; None for anything else."""
    used = pc.filter(column.texts, pa.array(column.used))
    if not pc.all(pc.match_substring_regex(used, _VALUE_TEXT)).as_py():
        return None
    per_text = np.full(len(column.texts), np.nan)
    per_text[column.used] = pc.cast(pc.replace_substring(used, ",", "."), pa.float64()).to_numpy()
    return per_text[column.codes]


def _convert_units(unit: _Coded, gsrn: _Coded, meters: pd.DataFrame, value: np.ndarray
                   ) -> list[tuple[str, dict]] | None:
    """Each (GSRN, unit) pair's factor applied in place; the warnings in the careful path's order (meters in
    order of first row, then units in order of first row), or None when a pair cannot be converted."""
    if not unit.all_used(_UNIT_TEXT):
        return None
    by_gsrn = _gsrn_index(meters)
    units, gsrns = unit.texts.to_pylist(), gsrn.texts.to_pylist()
    n_units = max(1, len(units))
    pair = gsrn.codes if n_units == 1 else gsrn.codes.astype(np.int64) * n_units + unit.codes  # one unit: no copy
    present = np.flatnonzero(np.bincount(pair, minlength=len(gsrns) * n_units))
    factors = {}
    for p in present.tolist():
        g, u = divmod(p, n_units)
        factors[p] = _unit_factor(units[u], by_gsrn[gsrns[g]][1])
        if factors[p] is None:
            return None
    converted = [p for p in present.tolist() if factors[p] != 1.0]
    if not converted:
        return []
    first = np.full(len(gsrns) * n_units, len(pair))
    np.minimum.at(first, pair, np.arange(len(pair)))
    first_of_gsrn = first.reshape(len(gsrns), n_units).min(axis=1)
    warnings = []
    for p in sorted(converted, key=lambda p: (first_of_gsrn[p // n_units], first[p])):
        g, u = divmod(p, n_units)
        meter, meter_unit = by_gsrn[gsrns[g]]
        rows = pair == p
        value[rows] = value[rows] * factors[p]
        warnings.append(("imp.elo_converted", {"unit": units[u], "meter": meter, "meter_unit": meter_unit,
                                               "factor": factors[p]}))
    return warnings


def _wall_times(column: _Coded) -> pd.Series | None:
    """Naive wall-clock per distinct timestamp text (NaT where unused), as the careful path's parser reads it;
    None on any error or an explicit offset."""
    used = pc.filter(column.texts, pa.array(column.used))
    wall = _danish_times(used)
    if wall is None:  # another layout: the careful path's own parser, once per distinct text
        raw = pd.Series(used.to_pylist(), dtype="str").str.strip().replace("", pd.NA)
        if raw.isna().any():
            return None
        parsed, offset, errors = parse_wall_times(raw)
        if errors.notna().any() or offset.notna().any() or parsed.isna().any():
            return None
        wall = parsed.to_numpy().astype("datetime64[us]")
    out = np.full(len(column.texts), np.datetime64("NaT"), dtype="datetime64[us]")
    out[column.used] = wall
    return pd.Series(out)


_DK_LAYOUT = r"^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d$"  # the export's own: 27-10-2024 02:00:00


def _danish_times(texts: pa.Array) -> np.ndarray | None:
    """``dd-mm-yyyy HH:MM:SS`` texts -> datetime64[us] from their fixed-width digits, when every one is a real
    date and time (what ``pd.to_datetime(format="%d-%m-%Y %H:%M:%S")`` gives for them); else None."""
    if len(texts) == 0 or texts.null_count or not pc.all(pc.match_substring_regex(texts, _DK_LAYOUT)).as_py():
        return None
    texts = texts.cast(pa.string())
    offsets = np.frombuffer(texts.buffers()[1], np.int32)[texts.offset:texts.offset + len(texts) + 1]
    if not (np.diff(offsets) == 19).all():  # the layout is 19 ASCII characters
        return None
    data = np.frombuffer(texts.buffers()[2], np.uint8)[offsets[0]:offsets[-1]]
    digits = data.reshape(len(texts), 19).astype(np.int64) - ord("0")

    def number(*positions: int) -> np.ndarray:
        out = np.zeros(len(texts), np.int64)
        for pos in positions:
            out = out * 10 + digits[:, pos]
        return out

    day, month, year = number(0, 1), number(3, 4), number(6, 7, 8, 9)
    hour, minute, second = number(11, 12), number(14, 15), number(17, 18)
    if not ((month >= 1) & (month <= 12) & (day >= 1) & (year >= 1900) & (year <= 2200) & (hour <= 23)
            & (minute <= 59) & (second <= 59)).all():
        return None
    months = (year - 1970) * 12 + month - 1
    date = months.astype("datetime64[M]").astype("datetime64[D]") + (day - 1)
    if not (date.astype("datetime64[M]") == months.astype("datetime64[M]")).all():
        return None  # 31-02-2024: past the month's end
    return date.astype("datetime64[us]") + ((hour * 60 + minute) * 60 + second) * 1_000_000


def _localise(wall_u: pd.Series, codes: np.ndarray, wall: np.ndarray, gsrn_codes: np.ndarray
              ) -> np.ndarray | None:
    """Fra_dato -> UTC (int64 µs), the careful path's rule (validate.localise) per GSRN in file order.

    Each distinct time is localised once, with pandas. A repeated October time is resolved as
    ``tz_localize(ambiguous="infer")`` resolves the repeated times of one GSRN and one day in file order:
    exactly one step that does not go forward, summer time up to it, winter time after it. Anything else
    (a lone repeated time, two such steps, a March time that does not exist): None.
    """
    local = wall_u.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
    start = _utc_us(local)[codes]
    open_ = np.flatnonzero(start == _NAT)  # repeated or nonexistent, in file order
    if not open_.size:
        return start
    summer = _utc_us(wall_u.dt.tz_localize(TZ, ambiguous=np.ones(len(wall_u), bool), nonexistent="NaT"))
    winter = _utc_us(wall_u.dt.tz_localize(TZ, ambiguous=np.zeros(len(wall_u), bool), nonexistent="NaT"))
    code = codes[open_]
    if (summer[code] == _NAT).any() or (winter[code] == _NAT).any():
        return None  # a time that does not exist
    day = wall[open_] // _DAY_US
    order = np.lexsort((open_, day, gsrn_codes[open_]))  # per GSRN and day, in file order
    g, d, w = gsrn_codes[open_][order], day[order], wall[open_][order]
    same = np.r_[False, (g[1:] == g[:-1]) & (d[1:] == d[:-1])]
    first = ~same
    back = same & np.r_[False, w[1:] <= w[:-1]]  # a step that does not go forward: the switch
    group = np.cumsum(first) - 1
    if not (np.bincount(group, weights=back) == 1).all():
        return None
    switches = np.cumsum(back)
    after = switches - switches[first][group] > 0  # at or after its group's switch (the switch row is winter)
    resolved = np.where(after, winter[code[order]], summer[code[order]])
    start[open_[order]] = resolved
    return start


def _utc_us(local: pd.Series) -> np.ndarray:
    """Localised times as int64 µs since the epoch in UTC (NaT as the int64 minimum)."""
    return local.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]").to_numpy().view("int64")


def _has_duplicates(meter: np.ndarray, start: np.ndarray) -> bool:
    """Two rows with the same (meter, start)? Cheap when each meter's rows come in time order, as exports do."""
    heads = np.flatnonzero(np.r_[True, meter[1:] != meter[:-1]])
    # Each meter's rows one block (an export): no sort. Many blocks (meters interleaved): the sort below.
    if len(heads) * 8 <= len(meter) and len(heads) == len(np.unique(meter[heads])):
        boundary = np.zeros(len(meter) - 1, bool)
        boundary[heads[1:] - 1] = True
        if ((start[1:] > start[:-1]) | boundary).all():
            return False
    meter = meter.astype(np.int16) if meter.max(initial=0) < 2**15 else meter  # a radix sort for small codes
    order = np.argsort(meter, kind="stable")
    m, s = meter[order], start[order]
    same = m[1:] == m[:-1]
    if (np.diff(s)[same] > 0).all():
        return False
    order = np.lexsort((start, meter))
    m, s = meter[order], start[order]
    return bool(((m[1:] == m[:-1]) & (s[1:] == s[:-1])).any())
