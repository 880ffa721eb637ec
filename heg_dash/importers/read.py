"""Bytes -> a raw table of cells: decoding, separator sniffing, CSV and Excel reading. No typing here.

Whole-file failures (empty, binary, broken Excel) raise :class:`ReadError`; the caller turns it into one
problem. Row numbers are the ones the user sees: the CSV record number counting the header as row 1, or
the Excel sheet's own row number.
"""

from __future__ import annotations

import csv
import io
import mmap
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
IGNORED_SHEETS = {"beskrivelse", "description"}  # the template's column descriptions
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COMMA_DECIMAL = re.compile(r"-?\d+,\d+")
_POINT_DECIMAL = re.compile(r"-?\d+\.\d+")


class ReadError(Exception):
    """A whole-file problem: ``key`` is an i18n message key, ``values`` fill its placeholders."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass
class RawTable:
    """The cells of a file as read, before any typing.

    ``cells`` has positional integer columns (0..n-1, possibly more than ``header`` when rows are longer)
    and is indexed by the user-visible row number; completely empty rows are left out. ``decimal`` is
    the decimal mark for text cells: "," or "." from the CSV separator, "auto" for Excel text cells.
    """

    header: list[str]
    header_row: int
    cells: pd.DataFrame
    decimal: str
    source: str  # "csv" or "xlsx"


MAP_MIN_BYTES = 1 << 20  # below this a copy costs nothing worth saving


class MappedFile(mmap.mmap):
    """A file's bytes mapped from the page cache instead of copied, read-only: what ``read_file`` gives for
    a big file. The importers treat it as ``bytes``: they use ``len``, slices (which are ``bytes``), ``find``,
    the buffer protocol (Arrow, numpy, hashlib), and the two methods below.
    """

    def startswith(self, prefix: bytes) -> bool:
        return self[:len(prefix)] == prefix

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return self[:].decode(encoding, errors)


def read_file(path: Path) -> bytes | MappedFile:
    """The bytes of the file at ``path`` to import: a big file mapped (``MappedFile``), a small one read.

    Copying an 85 MB export into fresh memory took 50 ms on one core before anything else could start;
    mapped, the pages come straight from the page cache as the parser first touches them. The file must not
    be truncated while it is imported (reading past a mapped file's end kills the process).
    """
    if path.stat().st_size < MAP_MIN_BYTES:
        return path.read_bytes()
    with path.open("rb") as file:
        return MappedFile(file.fileno(), 0, access=mmap.ACCESS_READ)


def container(content: bytes) -> str:
    """What the bytes are: "xlsx", "xls", "json" or "text" (by content, not by the file name)."""
    if content.startswith(XLSX_MAGIC):
        return "xlsx"
    if content.startswith(OLE_MAGIC):
        return "xls"
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "json"
    return "text"


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252; binary content raises ReadError("imp.unreadable")."""
    if b"\x00" in content[:65536]:
        raise ReadError("imp.unreadable")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined: random bytes hit them quickly
            raise ReadError("imp.unreadable") from None
    sample = text[:65536]
    # Real text has next to no control characters; random bytes decoded as cp1252 have many.
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise ReadError("imp.unreadable")
    return text


def sniff_separator(header_line: str) -> str:
    """The separator of a CSV file from its header line: the most frequent of ``;``, tab and ``,``.

    The header holds names, not numbers, so a decimal comma cannot confuse the count; on a tie ``;``
    wins (the Danish Excel default).
    """
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _tab_decimal(rows: list[list[str]]) -> str:
    """Tab files carry no hint in the separator: the decimal mark most numeric cells use wins."""
    comma = point = 0
    for row in rows[:2000]:
        for cell in row:
            cell = cell.strip()
            comma += bool(_COMMA_DECIMAL.fullmatch(cell))
            point += bool(_POINT_DECIMAL.fullmatch(cell))
    return "," if comma > point else "."


def _is_blank(row: list[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _table(records: list[tuple[int, list[object]]], decimal: str, source: str) -> RawTable:
    """Split numbered records into the header (first non-blank) and the non-blank data rows."""
    records = [(n, r) for n, r in records if not _is_blank(r)]
    if not records:
        raise ReadError("imp.empty_file")
    header_row, header_cells = records[0]
    header = ["" if v is None else str(v).strip() for v in header_cells]
    while header and not header[-1]:
        header.pop()
    data = records[1:]
    width = max([len(header)] + [len(r) for _, r in data])
    padded = [list(r) + [None] * (width - len(r)) for _, r in data]  # short rows: the missing cells are empty
    columns = list(zip(*padded, strict=True)) if padded else [()] * width
    index = pd.Index([n for n, _ in data], dtype="int64")
    cells = pd.DataFrame({i: np.array(col, dtype=object) for i, col in enumerate(columns)}, index=index)
    return RawTable(header, header_row, cells, decimal, source)


def read_csv(content: bytes) -> RawTable:
    """A CSV/text file: decode, sniff the separator on the first non-blank line, read every cell as text.

    ``;`` implies decimal comma, ``,`` decimal point; tab files are sniffed from their numbers.
    """
    text = decode_text(content)
    if not text.strip():
        raise ReadError("imp.empty_file")
    first = next(line for line in text.splitlines() if line.strip())
    sep = sniff_separator(first)
    fast = _read_csv_arrow(text, sep, first)
    if fast is not None:
        return fast
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"'))
    except csv.Error as exc:
        raise ReadError("imp.bad_csv", reason=str(exc)) from None
    decimal = {";": ",", ",": "."}.get(sep) or _tab_decimal(rows)
    return _table(list(enumerate(rows, start=1)), decimal, "csv")


ARROW_MIN_CHARS = 100_000  # smaller texts are quick with the csv module
_BLANK_LINE = re.compile(r"(?m)^[ \t;,]*\r?$")


def _read_csv_arrow(text: str, sep: str, first: str) -> RawTable | None:
    """The fast path for big, regular files: Arrow's CSV reader, every cell as text.

    Only when row numbers cannot shift (no blank lines, the first line is the header) and every row has
    the header's width; anything irregular returns None and the careful reader below takes it.
    """
    if sep not in (";", ",") or len(text) < ARROW_MIN_CHARS or not text.startswith(first):
        return None
    body = text.rstrip("\r\n")
    if _BLANK_LINE.search(body):
        return None
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    width = len(next(csv.reader([first], delimiter=sep, quotechar='"')))
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(delimiter=sep, quote_char='"', newlines_in_values=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows == 0:
        return None
    header = [v.strip() for v in next(csv.reader([first], delimiter=sep, quotechar='"'))]
    while header and not header[-1]:
        header.pop()
    index = pd.RangeIndex(2, table.num_rows + 2)
    cells = pd.DataFrame({i: pd.Series(table.column(i), dtype="str").set_axis(index) for i in range(width)})
    decimal = {";": ",", ",": "."}[sep]
    return RawTable(header, 1, cells, decimal, "csv")


def _pick_sheet(names: list[str], dataset: str) -> str:
    """The sheet named as the dataset, else the first sheet that is not a description sheet."""
    for name in names:
        if name.strip().lower() == dataset.lower():
            return name
    usable = [n for n in names if n.strip().lower() not in IGNORED_SHEETS]
    return (usable or names)[0]


def read_xlsx(content: bytes, dataset: str) -> RawTable:
    """The first sheet (or the one named as the dataset) of an .xlsx workbook; cells keep their Excel types.

    Formulas are read as their last computed value (``data_only``).
    """
    import openpyxl  # imported here: only Excel imports pay for it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ReadError("imp.bad_xlsx", reason=type(exc).__name__) from None
    except Exception as exc:  # openpyxl raises its own InvalidFileException and friends
        raise ReadError("imp.bad_xlsx", reason=type(exc).__name__) from None
    try:
        if not wb.sheetnames:
            raise ReadError("imp.empty_file")
        ws = wb[_pick_sheet(wb.sheetnames, dataset)]
        records = [(n, list(row)) for n, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)]
    finally:
        wb.close()
    return _table(records, "auto", "xlsx")


def run_heads(values: pa.Array) -> np.ndarray:
    """Where each run of equal values begins (row 0 always): a meter's block of rows, an export's unit."""
    if len(values) < 2:
        return np.zeros(min(len(values), 1), np.int64)
    changes = pc.not_equal(values[1:], values[:-1]).to_numpy(zero_copy_only=False)
    return np.flatnonzero(np.r_[True, changes])
