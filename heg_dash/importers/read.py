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
from dataclasses import dataclass, field
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
    # Excel cells holding a formula without a computed value: (sheet row, column position) -> the formula
    uncomputed: dict[tuple[int, int], str] = field(default_factory=dict)


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


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Two non-ASCII bytes in a row, the first one of cp1252's typographic characters (0x80-0x9F: € ‚ „ … ‘ ’ “ ” –):
# Danish text written in cp1252 does not have that, a file in another 8-bit or a multi-byte encoding read as
# cp1252 (Shift-JIS, say) has it all over.
_NOT_CP1252 = re.compile(rb"[\x80-\x9f][\x80-\xff]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _line_at(content: bytes, offset: int) -> int:
    """The line number (from 1) of the byte at ``offset``."""
    return content.count(b"\n", 0, offset) + 1


def decode_text(content: bytes) -> str:
    """The text of a file in one encoding as a whole: UTF-8 (with or without BOM), UTF-16 with its BOM, or
    cp1252 (Windows' Western European). A file that mixes encodings (UTF-8 rows and cp1252 rows, after an
    edit in another program) or is in none of them raises ReadError naming its first line that does not
    decode; binary content raises ReadError("imp.unreadable")."""
    if content.startswith(_UTF16_BOMS):
        try:
            return bytes(content).decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("imp.bad_utf16", line=_line_at(content, exc.start)) from None
    head = content[:65536]
    if b"\x00" in head:
        # Every other byte NUL in text of Latin letters: UTF-16 without its BOM.
        if head.count(b"\x00") * 3 > len(head) and head.strip(b"\x00").isascii():
            raise ReadError("imp.utf16_no_bom")
        raise ReadError("imp.unreadable")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_at(content, exc.start)
        if _UTF8_SEQUENCE.search(content):  # valid UTF-8 letters elsewhere in the file: two encodings mixed
            raise ReadError("imp.mixed_encoding", line=line) from None
        try:
            text = content.decode("cp1252")
            odd = _NOT_CP1252.search(content)
            where = odd.start() if odd else None
        except UnicodeDecodeError as not_cp1252:  # one of the five bytes cp1252 leaves undefined
            text, where = content.decode("cp1252", errors="replace"), not_cp1252.start
        if where is not None:
            _refuse_binary(text)  # random bytes hit the undefined ones quickly: say it is no text at all
            raise ReadError("imp.unknown_encoding", line=_line_at(content, where)) from None
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    """Real text has next to no control characters; random bytes decoded as cp1252 have many."""
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise ReadError("imp.unreadable")


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

    Read by calamine (Rust): 200,000 rows in about a second, where openpyxl took 45 s. Formulas are read as
    their last computed value; a formula without one (a file written by a program, never saved by Excel) is an
    empty cell with its formula in ``RawTable.uncomputed``, so a message can say what the cell holds.
    """
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise ReadError("imp.empty_file")
        name = _pick_sheet(workbook.sheet_names, dataset)
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except ReadError:
        raise
    except Exception as exc:  # calamine's ZipError, XmlError, CalamineError, PasswordError...
        raise ReadError("imp.bad_xlsx", reason=type(exc).__name__) from None
    records = [(n, [None if v == "" else v for v in row]) for n, row in enumerate(rows, start=1)]
    table = _table(records, "auto", "xlsx")
    table.uncomputed = {(row, column): "=" + formula
                        for (row, column), formula in _uncomputed_formulas(content, name).items()
                        if row in table.cells.index and (column not in table.cells.columns
                                                         or table.cells.at[row, column] is None)}
    return table


_ELEMENT = {"sheet": re.compile(rb"<sheet\b[^>]*>"), "relation": re.compile(rb"<Relationship\b[^>]*>")}


def _attributes(element: bytes) -> dict[bytes, bytes]:
    """The attributes of one XML start tag, in any order."""
    return dict(re.findall(rb'([\w:]+)="([^"]*)"', element))
_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?>((?:(?!</c>).)*?<f\b(?:(?!</c>).)*?)</c>', re.S)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>[^<]", re.S)


def _uncomputed_formulas(content: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """{(sheet row, 0-based column): formula} of the formula cells in ``sheet`` that hold no computed value.

    calamine reads only values, so the sheet's XML is searched for ``<f>`` elements, and only when it has any
    (a data file rarely does). A shared formula's other cells carry no text: they read as "=…".
    """
    import html

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = [_attributes(e) for e in _ELEMENT["sheet"].findall(archive.read("xl/workbook.xml"))]
            ids = {html.unescape(a[b"name"].decode("utf-8")): a[b"r:id"] for a in sheets}
            relations = [_attributes(e) for e in _ELEMENT["relation"].findall(
                archive.read("xl/_rels/workbook.xml.rels"))]
            targets = {a[b"Id"]: a[b"Target"] for a in relations}
            target = targets[ids[sheet]].decode("utf-8").lstrip("/")
            xml = archive.read(target if target.startswith("xl/") else "xl/" + target)
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if b"<f" not in xml:
        return {}
    found = {}
    for letters, number, inner in _FORMULA_CELL.findall(xml):
        if _VALUE.search(inner):
            continue
        column = 0
        for letter in letters.decode("ascii"):
            column = column * 26 + ord(letter) - 64
        formula = _FORMULA.search(inner)
        text = html.unescape((formula.group(1) or b"").decode("utf-8")) if formula else ""
        found[(int(number), column - 1)] = text or "…"
    return found


def run_heads(values: pa.Array) -> np.ndarray:
    """Where each run of equal values begins (row 0 always): a meter's block of rows, an export's unit."""
    if len(values) < 2:
        return np.zeros(min(len(values), 1), np.int64)
    changes = pc.not_equal(values[1:], values[:-1]).to_numpy(zero_copy_only=False)
    return np.flatnonzero(np.r_[True, changes])
