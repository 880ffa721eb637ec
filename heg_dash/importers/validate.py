"""Raw cells -> a typed frame that follows a dataset's declaration, with every problem pointing at its place.

The rules come from ``heg_dash.datasets``: columns, types, required, closed lists, min/max, patterns and
REFERENCES. On top of those: formula-like text is refused (it would run when an export is opened in a
spreadsheet), naive timestamps are Danish local time, natural keys are unique within a file, and a few
cross-column rules (an interval ends after it starts; a meter's unit fits its utility).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from babel import numbers as babel_numbers

from heg_dash import datasets, i18n
from heg_dash.datasets import BOOL, DATE, FLOAT, INT, STR, TIMESTAMP, Column, Dataset
from heg_dash.importers import integrity
from heg_dash.importers.read import RawTable

TZ = "Europe/Copenhagen"
MAX_EXAMPLES = 20  # problems shown per column and rule; the rest are counted
UTC_DTYPE = "datetime64[us, UTC]"
DTYPES = {STR: "str", INT: "Int64", FLOAT: "Float64", DATE: "datetime64[us]", TIMESTAMP: UTC_DTYPE,
          BOOL: "boolean"}

# (start column, end column, end must be strictly later) per dataset, from the declarations.
ORDERED: dict[str, tuple[tuple[str, str, bool], ...]] = {
    d.name: d.ordered for d in datasets.DATASETS.values() if d.ordered
}
# Message keys that explain a declared pattern in words; other patterns are shown as they are.
PATTERN_KEYS = {r"\d{18}": "imp.pattern_gsrn", r"\d{1,2}(;\d{1,2})*": "imp.pattern_sdg_goals"}
CODE_KEYS = {"country": "imp.not_country"}  # the message for a value missing from a Column.codes list
_CONTROL_CHARS = r"[\x00-\x1f\x7f]"  # a newline or a tab inside an id makes a second id that looks the same
BOOL_WORDS = {"true": True, "ja": True, "1": True, "yes": True, "sand": True,
              "false": False, "nej": False, "0": False, "no": False, "falsk": False}


# ---------------------------------------------------------------------------------------------- problems

@dataclass
class Problem:
    """One thing wrong, pointing at the place: file, user-visible row (or None), the file's column name."""

    file: str
    row: int | None
    column: str | None
    key: str
    values: dict = field(default_factory=dict)

    def text(self) -> str:
        """The message in the current language, prefixed with file, row and column.

        DA: "heg.csv, række 14, kolonne Mængde: 'abc' er ikke et tal"; GeoJSON: "omrids.geojson, objekt nr. 3: …".
        """
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(i18n.t("imp.at_row", row=self.row))
        if self.column:
            where.append(i18n.t("imp.at_column", column=self.column))
        if "feature" in self.values:  # GeoJSON: the feature's number in the file, counting from 1
            where.append(i18n.t("imp.at_feature", feature=self.values["feature"]))
        message = i18n.t(self.key, **{k: _fmt_value(k, v) for k, v in self.values.items()})
        return f"{', '.join(where)}: {message}" if where else message


def _fmt_value(name: str, value: object) -> str:
    """Counts get thousands separators (1.234); other numbers the local decimal mark only (0,5; 1600)."""
    locale = i18n.LOCALES[i18n.get_language()]
    if name == "count" and isinstance(value, int):
        return babel_numbers.format_decimal(value, format="#,##0", locale=locale)
    if isinstance(value, float):
        return babel_numbers.format_decimal(value, format="0.######", locale=locale)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):  # a control character shown, not obeyed: "HOB-\nZ" stays on one line
        return re.sub(_CONTROL_CHARS, lambda m: repr(m.group())[1:-1], value)
    return str(value)


class ProblemLog:
    """Collects problems and warnings; at most ``cap`` examples per (column, rule), the rest counted."""

    def __init__(self, file: str, cap: int = MAX_EXAMPLES) -> None:
        self.file = file
        self.cap = cap
        self._buckets: dict[tuple[str | None, str], list[Problem]] = {}
        self._more: dict[tuple[str | None, str], int] = {}
        self.warnings: list[Problem] = []

    def add(self, key: str, row: int | None = None, column: str | None = None, /, **values: object) -> None:
        bucket = self._buckets.setdefault((column, key), [])
        if len(bucket) < self.cap:
            bucket.append(Problem(self.file, row, column, key, values))
        else:
            self._more[(column, key)] = self._more.get((column, key), 0) + 1

    def add_rows(self, key: str, column: str | None, rows: Iterable[int], raw: pd.Series | None = None, /,
                 **values: object) -> None:
        """The same problem on many rows; ``raw`` (the cells, indexed by row) gives each row's ``value``."""
        rows = list(rows)
        room = max(0, self.cap - len(self._buckets.get((column, key), [])))
        for row in rows[:room]:
            extra = {"value": show(raw[row])} if raw is not None else {}
            self.add(key, int(row), column, **extra, **values)
        if len(rows) > room:
            self._buckets.setdefault((column, key), [])
            self._more[(column, key)] = self._more.get((column, key), 0) + len(rows) - room

    def warn(self, key: str, row: int | None = None, column: str | None = None, /, **values: object) -> None:
        self.warnings.append(Problem(self.file, row, column, key, values))

    @property
    def problems(self) -> list[Problem]:
        """All problems, each capped rule followed by "… and N more rows"."""
        out: list[Problem] = []
        for bucket, examples in self._buckets.items():
            out.extend(examples)
            if self._more.get(bucket):
                out.append(Problem(self.file, None, bucket[0], "imp.more", {"count": self._more[bucket]}))
        return out


# ------------------------------------------------------------------------------------------------ header

def match_header(table: RawTable, names: list[str], required: list[str], log: ProblemLog) -> dict[str, int] | None:
    """Map contract column -> cell position, comparing names trimmed and case-insensitively.

    Missing required columns: one problem naming them, and None (nothing else is read). Unknown columns,
    a name given twice, a nameless column with data, or cells beyond the header: problems, reading goes on.
    """
    wanted = {n.lower(): n for n in names}
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for pos, name in enumerate(table.header):
        key = name.strip().lower()
        if not key:
            if pos in table.cells.columns and present(raw_column(table, pos)).any():
                log.add("imp.unnamed_column", position=pos + 1)
        elif key not in wanted:
            unknown.append(name)
        elif wanted[key] in mapping:
            log.add("imp.duplicate_column", None, name)
        else:
            mapping[wanted[key]] = pos
    missing = [n for n in required if n not in mapping]
    if missing:
        log.add("imp.missing_columns", columns=missing, expected=names)
        return None
    if unknown:
        log.add("imp.unknown_columns", columns=unknown, expected=names)
    beyond = [c for c in table.cells.columns if c >= len(table.header)]
    if beyond:
        has_more = pd.concat([present(raw_column(table, c)) for c in beyond], axis=1).any(axis=1)
        log.add_rows("imp.extra_cells", None, table.cells.index[has_more], columns=len(table.header))
    return mapping


def is_missing(v: object) -> bool:
    """None, NaN (pandas' filler for short rows), NaT or blank text."""
    if v is None or v is pd.NaT:
        return True
    return (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def present(raw: pd.Series) -> pd.Series:
    """Mask of cells that hold something."""
    if _is_text(raw):
        return raw.notna()
    return raw.map(lambda v: not is_missing(v)).astype(bool)


def _is_text(raw: pd.Series) -> bool:
    """CSV columns arrive as ``str`` (stripped, NA for blank): the vectorised fast path."""
    return raw.dtype == "str"


def raw_column(table: RawTable, pos: int | None) -> pd.Series:
    """The raw cells of one column: CSV text as ``str`` (stripped, NA when blank); Excel cells as objects
    keeping their types (None when blank). Absent columns are all missing."""
    if pos is None or pos not in table.cells.columns:
        return pd.Series([None] * len(table.cells), index=table.cells.index, dtype=object)
    cells = table.cells[pos]
    if table.source == "csv":
        return cells.astype("str").str.strip().replace("", pd.NA)
    # A list, not Series.map: map would infer a datetime dtype for a column of dates and blanks and turn
    # the blanks into NaT, which then poses as a date.
    values = [None if is_missing(v) else v for v in cells]
    if all(type(v) is str for v in values if v is not None):  # Excel text only: the vectorised text path
        return pd.Series(values, index=cells.index, dtype="str").str.strip()
    return pd.Series(values, index=cells.index, dtype=object)


# -------------------------------------------------------------------------------------------- cell types

def show(v: object) -> str:
    """A cell as the user would read it in a message."""
    if is_missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v).strip()


def _text(raw: pd.Series) -> pd.Series:
    """Text cells stripped (``str`` dtype), NA where the cell is empty or not text."""
    if _is_text(raw):
        return raw
    text = raw.map(lambda v: v.strip() if isinstance(v, str) else None)
    return text.astype("str").replace("", pd.NA)


def _native(raw: pd.Series, types: tuple[type, ...]) -> pd.Series:
    """Mask of Excel cells holding a value of ``types`` (bool excluded unless asked for)."""
    if _is_text(raw):
        return pd.Series(False, index=raw.index)
    return raw.map(lambda v: isinstance(v, types) and (bool in types or not isinstance(v, bool))).astype(bool)


_SPACE_GROUPS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")
_NUMBER = {
    ",": re.compile(r"[+-]?(?:\d+|\d{1,3}(?:\.\d{3})+)(?:,\d+)?"),
    ".": re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?(?:[eE][+-]?\d+)?"),
    "plain": re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"),
}


def parse_numbers(raw: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series]:
    """Numbers with the file's decimal mark: (float values, error key per row or None).

    ``,`` (semicolon files): "1.234,5" and "1234,5"; a point is only a thousands separator.
    ``.`` (comma files): "1234.5", "1,234.5". ``auto`` (Excel text cells): either, point first.
    A leading minus is a sign, not a formula.
    """
    text = _text(raw)
    # The lookbehind runs in Python, cell by cell: only pay for it when a cell has a space at all.
    if text.str.contains("[ \u00a0\u202f]", regex=True).fillna(False).any():
        text = text.str.replace(_SPACE_GROUPS, "", regex=True)
    values = pd.Series(np.nan, index=raw.index, dtype="float64")
    if decimal in (",", "auto"):
        ok = text.str.fullmatch(_NUMBER[","]).fillna(False).astype(bool)
        if decimal == "auto":
            plain = text.str.fullmatch(_NUMBER["plain"]).fillna(False).astype(bool)
            values[plain] = pd.to_numeric(text[plain], errors="coerce")
            ok = ok & ~plain
        converted = text[ok].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        values[ok] = pd.to_numeric(converted, errors="coerce")
    else:
        ok = text.str.fullmatch(_NUMBER["."]).fillna(False).astype(bool)
        values[ok] = pd.to_numeric(text[ok].str.replace(",", "", regex=False), errors="coerce")
    native = _native(raw, (int, float))
    values[native] = raw[native].astype("float64")
    values = values.where(np.isfinite(values))  # "1e999" is no measurement
    errors = pd.Series(None, index=raw.index, dtype=object)
    bad = values.isna() & present(raw)
    errors[bad] = "imp.not_number"
    if decimal == ",":  # a point-decimal number in a semicolon file: say why it is refused
        errors[bad & text.str.fullmatch(_NUMBER["plain"]).fillna(False).astype(bool)] = "imp.not_number_comma"
    elif decimal == ".":
        errors[bad & text.str.fullmatch(r"[+-]?\d+,\d+").fillna(False).astype(bool)] = "imp.not_number_point"
    return values, errors


_ISO_TS = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_DK_TS = re.compile(
    r"(?P<d>\d{1,2})[-./](?P<mo>\d{1,2})[-./](?P<y>\d{4})"
    r"(?:[T ]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?)?"
)
_PARTS = ["y", "mo", "d", "h", "mi", "s", "f", "tz"]


def _extract(text: pd.Series) -> pd.DataFrame:
    """Date/time parts from ISO 8601 or Danish dd-mm-yyyy [HH:MM[:SS]] text (NA where neither matches)."""
    iso = text.str.extract("^" + _ISO_TS.pattern + "$").reindex(columns=_PARTS).astype(object)
    dk = text.str.extract("^" + _DK_TS.pattern + "$").reindex(columns=_PARTS).astype(object)
    use_dk = iso["y"].isna() & dk["y"].notna()
    iso.loc[use_dk] = dk.loc[use_dk]
    return iso.astype(object).where(iso.notna(), None)


def _offset_minutes(tz: pd.Series) -> pd.Series:
    """"Z" -> 0, "+02:00" / "+0200" / "+02" -> 120; NA where no offset was written."""
    def one(v: object) -> float:
        if not isinstance(v, str):
            return np.nan
        if v in ("Z", "z"):
            return 0.0
        digits = v[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
        return float(-minutes if v[0] == "-" else minutes)
    return tz.map(one).astype("float64")


# Common offset-free layouts parsed in one vectorised call before the general regex path.
_FAST_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M:%S",
                 "%Y-%m-%d %H.%M", "%d-%m-%Y %H:%M")


def _formats_first_matching(text: pd.Series) -> list[str]:
    """The fast layouts with the one the first cell is written in first (each try is a pass over all)."""
    if text.empty:
        return list(_FAST_FORMATS)
    first = str(text.iloc[0])
    for fmt in _FAST_FORMATS:
        try:
            dt.datetime.strptime(first, fmt)
        except ValueError:
            continue
        return [fmt, *(f for f in _FAST_FORMATS if f != fmt)]
    return list(_FAST_FORMATS)


def parse_wall_times(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Timestamps as written: (naive wall-clock, UTC offset in minutes or NaN, error key per row).

    ISO 8601 (with ``T`` or a space, optional seconds and fraction, optional ``Z``/``±HH:MM``) or Danish
    ``dd-mm-yyyy HH:MM[:SS]``; a date alone is midnight. Excel date cells are wall-clock values.
    """
    if _is_text(raw) and len(raw) > 1000:
        # Meter files repeat each timestamp once per meter: parse each distinct text once.
        codes, uniques = pd.factorize(raw)
        if len(uniques) < len(raw) // 2:
            u_wall, u_offset, u_errors = parse_wall_times(pd.Series(uniques, dtype="str"))
            def spread(values: pd.Series, empty: object) -> pd.Series:
                taken = values.to_numpy()[np.where(codes >= 0, codes, 0)]
                out = pd.Series(taken, index=raw.index, dtype=values.dtype)
                out[codes < 0] = empty
                return out
            return spread(u_wall, pd.NaT), spread(u_offset, np.nan), spread(u_errors, None)
    wall = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    offset = pd.Series(np.nan, index=raw.index, dtype="float64")
    errors = pd.Series(None, index=raw.index, dtype=object)
    rest = raw
    if not _is_text(raw):  # Excel: date cells converted at once; text cells take the text path
        kinds = raw.map(type)
        native = kinds.isin([dt.datetime, dt.date, pd.Timestamp])
        if native.any():
            wall[native] = pd.to_datetime(raw[native].to_numpy(), errors="coerce").astype("datetime64[us]")
        text = kinds.map(lambda kind: kind is str).astype(bool)
        if text.any():
            t_wall, t_offset, t_errors = parse_wall_times(raw[text].astype("str").str.strip())
            wall[text], offset[text], errors[text] = t_wall, t_offset, t_errors
        rest = raw[~native & ~text & present(raw)]
    if _is_text(raw):
        rest = raw[raw.notna()]
        for fmt in _formats_first_matching(rest):
            if rest.empty:
                break
            got = pd.to_datetime(rest, format=fmt, errors="coerce")
            done = got.notna()
            wall[got.index[done]] = got[done].astype("datetime64[us]")
            rest = rest[~done]
    if not rest.empty:
        idx = rest.index
        wall[idx], offset[idx], errors[idx] = _parse_wall_times_slow(rest)
    return wall, offset, errors


def _parse_wall_times_slow(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The general path of :func:`parse_wall_times`: regex parts for any accepted layout, Excel cells."""
    parts = _extract(_text(raw))
    frac = parts["f"].map(lambda f: int((f + "000000")[:6]) if isinstance(f, str) else 0)
    comp = pd.DataFrame({
        "year": parts["y"], "month": parts["mo"], "day": parts["d"], "hour": parts["h"].fillna("0"),
        "minute": parts["mi"].fillna("0"), "second": parts["s"].fillna("0"), "microsecond": frac,
    }).apply(pd.to_numeric, errors="coerce")
    matched = parts["y"].notna()
    wall = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    if matched.any():
        wall[matched] = pd.to_datetime(comp[matched], errors="coerce").astype("datetime64[us]")
    native = _native(raw, (dt.date,))
    if native.any():
        wall[native] = pd.to_datetime(raw[native].map(pd.Timestamp)).astype("datetime64[us]")
    offset = _offset_minutes(parts["tz"])
    errors = pd.Series(None, index=raw.index, dtype=object)
    given = present(raw)
    errors[given & ~matched & ~native] = "imp.not_timestamp"
    errors[given & matched & wall.isna()] = "imp.impossible_date"
    return wall, offset, errors


_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?:[T ]00:00(?::00)?)?")
_DK_DATE = re.compile(r"(?P<d>\d{1,2})[-./](?P<mo>\d{1,2})[-./](?P<y>\d{4})")


def parse_dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates: ISO YYYY-MM-DD or Danish dd-mm-yyyy (also dd.mm.yyyy), or an Excel date cell.

    A date that is not in the calendar (2023-02-30) is its own error.
    """
    text = _text(raw)
    iso = text.str.extract("^" + _ISO_DATE.pattern + "$").astype(object)
    dk = text.str.extract("^" + _DK_DATE.pattern + "$")[["y", "mo", "d"]].astype(object)
    use_dk = iso["y"].isna() & dk["y"].notna()
    iso.loc[use_dk] = dk.loc[use_dk]
    matched = iso["y"].notna()
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    if matched.any():
        comp = iso[matched].rename(columns={"y": "year", "mo": "month", "d": "day"}).apply(pd.to_numeric)
        values[matched] = pd.to_datetime(comp, errors="coerce").astype("datetime64[us]")
    # Excel date cells; a datetime with a time of day is not a date.
    native = raw.map(lambda v: isinstance(v, dt.date) and (not isinstance(v, dt.datetime) or v.time() == dt.time()))
    native = native.astype(bool)
    if native.any():
        values[native] = pd.to_datetime(raw[native].map(pd.Timestamp)).dt.normalize().astype("datetime64[us]")
    errors = pd.Series(None, index=raw.index, dtype=object)
    given = present(raw)
    errors[given & ~matched & ~native] = "imp.not_date"
    errors[given & matched & values.isna()] = "imp.impossible_date"
    return values, errors


def parse_bools(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """true/false, ja/nej, 1/0, yes/no (any case), or an Excel TRUE/FALSE or 1/0 cell."""
    def one(v: object) -> object:
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)) and v in (0, 1):
            return bool(v)
        if isinstance(v, str):
            return BOOL_WORDS.get(v.strip().lower())
        return None
    values = (raw.str.lower().map(BOOL_WORDS) if _is_text(raw) else raw.map(one)).astype("boolean")
    errors = pd.Series(None, index=raw.index, dtype=object)
    errors[values.isna() & present(raw)] = "imp.not_bool"
    return values, errors


def parse_texts(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text cells as text; an Excel number in a text column becomes its digits (12345, not 12345.0).

    Whole numbers beyond 2^53 cannot be exact in a spreadsheet (an 18-digit GSRN typed as a number
    loses its last digits), so they are refused with advice to format the cell as text.
    """
    def one(v: object) -> object:
        if is_missing(v):
            return None
        if isinstance(v, bool):
            return str(v)
        if isinstance(v, float):
            return str(int(v)) if v.is_integer() else repr(v)
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return str(v).strip() or None
    errors = pd.Series(None, index=raw.index, dtype=object)
    if _is_text(raw):
        return _unquote(raw), errors
    values = _unquote(raw.map(one).astype("str"))
    errors[raw.map(lambda v: isinstance(v, float) and abs(v) >= 2**53).astype(bool)] = "imp.number_as_text"
    return values, errors


def _unquote(text: pd.Series) -> pd.Series:
    """Drop the apostrophe an export puts before text beginning with = + - @ (CSV-injection guard), so an
    exported file imports back as it was; the formula rule then sees the text itself."""
    return text.str.replace(_QUOTED, "", regex=True)


_QUOTED = re.compile(r"^'(?=[=+\-@])")
_CALL = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\s*\(")
_REF = re.compile(r"\$?[A-Za-z]{1,3}\$?\d+\s*(?:[-+*/^&:]|$)")
_ARITHMETIC = re.compile(r"[\d\s.,()%]*\d[\d\s.,()%]*(?:[-+*/^][\d\s.,()%]+)+")


_EXPONENT = re.compile(r"[+-]?\d[.,]\d*[eE]\+?\d{1,3}")


def excel_rounded(text: object) -> bool:
    """A long number as Excel shows it after a re-save in its General format: "5,71313E+17" for a GSRN."""
    return isinstance(text, str) and bool(_EXPONENT.fullmatch(text.strip()))


def looks_like_formula(text: str) -> bool:
    """Text a spreadsheet would run as a formula: ``=...`` always; ``+``/``-``/``@`` followed by a function
    call, a cell reference, arithmetic, or DDE-style ``|``/``!``. "-", "- note" and "+45 12 34 56" are text.
    """
    if len(text) < 2 or text[0] not in "=+-@":
        return False
    if text[0] == "=":
        return True
    rest = text[1:].lstrip()
    return bool(_CALL.match(rest) or _REF.match(rest) or _ARITHMETIC.fullmatch(rest) or "|" in rest
                or "!" in rest)


# ------------------------------------------------------------------------------------------ column rules

def typed_column(raw: pd.Series, col: Column, label: str, decimal: str, log: ProblemLog,
                 formulas: pd.Series | None = None) -> tuple[pd.Series, pd.Series | None]:
    """One column typed and checked: (values, UTC offsets for timestamps else None). ``formulas``: the
    column's Excel formulas without a computed value, by row (named as such, not as empty cells).

    Timestamps come back as naive wall-clock; :func:`localise` turns them into UTC once the whole frame
    (and so each meter's rows) is known.
    """
    offsets = None
    uncomputed = raw.index.isin(formulas.index) if formulas is not None else np.zeros(len(raw), bool)
    if formulas is not None:
        log.add_rows("imp.formula_no_value", label, formulas.index, formulas)
    if col.type in (INT, FLOAT):
        values, errors = parse_numbers(raw, decimal)
        if col.type == INT:
            fractional = values.notna() & (values % 1 != 0)
            errors[fractional] = "imp.not_integer"
            values[fractional] = np.nan
    elif col.type == DATE:
        values, errors = parse_dates(raw)
    elif col.type == TIMESTAMP:
        values, offsets, errors = parse_wall_times(raw)
    elif col.type == BOOL:
        values, errors = parse_bools(raw)
    else:
        values, errors = parse_texts(raw)
    for key in errors.dropna().unique():
        log.add_rows(key, label, errors.index[errors == key], raw)
    values = values.where(errors.isna())
    if col.required:
        log.add_rows("imp.required", label, raw.index[~present(raw) & ~uncomputed])
    values = _check_values(values, col, label, raw, log)
    if col.type in (INT, FLOAT):
        values = values.round().astype("Int64") if col.type == INT else values.astype("Float64")
    elif col.type == STR:
        values = values.astype("str")
    return values, offsets


def _check_values(values: pd.Series, col: Column, label: str, raw: pd.Series, log: ProblemLog) -> pd.Series:
    """Closed lists (case-insensitive, stored in the declared spelling), min/max, pattern, formulas."""
    has = values.notna()
    if col.type == STR and has.any():
        formula = has & values.str.match(r"[=+\-@]").fillna(False).astype(bool)
        formula[formula] = values[formula].map(looks_like_formula).astype(bool)
        log.add_rows("imp.formula", label, values.index[formula], raw)
        values = values.where(~formula)
        has = values.notna()
    if col.allowed is not None and has.any():
        canonical = {a.lower(): a for a in col.allowed}
        fixed = values[has].str.lower().map(canonical)
        bad = fixed.isna()
        log.add_rows("imp.not_allowed", label, fixed.index[bad], raw, allowed=list(col.allowed))
        values = values.copy()
        values[has] = fixed
    if col.min is not None:
        low = has & (values < col.min).fillna(False).astype(bool)
        log.add_rows("imp.below_min", label, values.index[low], raw, min=float(col.min))
        values = values.where(~low)
    if col.max is not None:
        high = has & (values > col.max).fillna(False).astype(bool)
        log.add_rows("imp.above_max", label, values.index[high], raw, max=float(col.max))
        values = values.where(~high)
    if col.pattern is not None and has.any():
        good = values[has].str.fullmatch(col.pattern).fillna(False).astype(bool)
        key = PATTERN_KEYS.get(col.pattern, "imp.pattern")
        rounded = values[has].map(excel_rounded).astype(bool) & ~good
        log.add_rows("imp.excel_rounded", label, rounded.index[rounded], raw)
        log.add_rows(key, label, good.index[~good & ~rounded], raw, pattern=col.pattern)
        values = values.where(~values.index.isin(good.index[~good]))
        has = values.notna()
    if col.codes is not None and has.any():  # a code list: case-insensitive, stored in capitals
        codes = datasets.CODE_LISTS[col.codes]()
        upper = values[has].str.upper()
        bad = ~upper.isin(codes)
        log.add_rows(CODE_KEYS[col.codes], label, upper.index[bad], raw)
        values = values.copy()
        values[has] = upper.where(~bad)
    return values


# ---------------------------------------------------------------------------------------- local time

def localise(wall: pd.Series, offset: pd.Series, groups: pd.Series | None = None
             ) -> tuple[pd.Series, pd.Series]:
    """Wall-clock timestamps -> UTC: (utc, status) with status "nonexistent"/"ambiguous" where that failed.

    With an offset the time is exact. Without one it is Danish local time, localised per group (meter)
    in file order: the repeated October hour is inferred from the order it appears in (the first is
    summer time), and a March time that does not exist is reported, never shifted.
    """
    utc = pd.Series(pd.NaT, index=wall.index, dtype=UTC_DTYPE)
    status = pd.Series(None, index=wall.index, dtype=object)
    exact = wall.notna() & offset.notna()
    if exact.any():
        utc[exact] = (wall[exact] - pd.to_timedelta(offset[exact], unit="min")).dt.tz_localize("UTC")
    naive = wall.notna() & offset.isna()
    if not naive.any():
        return utc, status
    ids = groups if groups is not None else pd.Series(0, index=wall.index)
    for _, part in wall[naive].groupby(ids[naive], sort=False):
        local = part.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
        unresolved = part[local.isna()]
        if not unresolved.empty:
            forced = unresolved.dt.tz_localize(TZ, ambiguous=np.ones(len(unresolved), bool), nonexistent="NaT")
            status[forced.index[forced.isna()]] = "nonexistent"
            repeated = unresolved[forced.notna()]
            # Infer each day's repeated hour on its own: several Octobers in one file are several switches.
            for _, chunk in repeated.groupby(repeated.dt.date, sort=False):
                try:
                    local[chunk.index] = chunk.dt.tz_localize(TZ, ambiguous="infer")
                except ValueError:
                    status[chunk.index] = "ambiguous"
        utc[part.index] = local.dt.tz_convert("UTC")
    return utc, status


def report_local_time(status: pd.Series, label: str, raw: pd.Series, log: ProblemLog) -> None:
    log.add_rows("imp.nonexistent_time", label, status.index[status == "nonexistent"], raw)
    log.add_rows("imp.ambiguous_time", label, status.index[status == "ambiguous"], raw)


# -------------------------------------------------------------------------------------- cross-row rules

def check_order(frame: pd.DataFrame, dataset: str, labels: Mapping[str, str], raws: Mapping[str, pd.Series],
                log: ProblemLog) -> None:
    """An interval's end comes after its start (readings, prices); an end date is not before its start."""
    for start, end, strict in ORDERED.get(dataset, ()):
        both = frame[start].notna() & frame[end].notna()
        wrong = both & ((frame[end] <= frame[start]) if strict else (frame[end] < frame[start]))
        key = "imp.end_not_after_start" if strict else "imp.end_before_start"
        for row in frame.index[wrong.fillna(False).astype(bool)]:
            log.add(key, int(row), labels[end], start=show(raws[start][row]), end=show(raws[end][row]),
                    start_column=labels[start])


def check_meter_units(frame: pd.DataFrame, labels: Mapping[str, str], log: ProblemLog) -> None:
    """A meter's unit must be one its utility is read in (datasets.METER_UNITS)."""
    both = frame["unit"].notna() & frame["utility"].notna()
    for row in frame.index[both]:
        utility, unit = frame.at[row, "utility"], frame.at[row, "unit"]
        allowed = datasets.METER_UNITS.get(utility, ())
        if unit not in allowed:
            log.add("imp.unit_for_utility", int(row), labels["unit"], unit=unit, utility=utility,
                    allowed=list(allowed))


def check_key_text(frame: pd.DataFrame, ds: Dataset, labels: Mapping[str, str], raws: Mapping[str, pd.Series],
                   log: ProblemLog) -> None:
    """Ids (keys and the columns that refer to them) hold no control characters: "HOB-\nZ" would be a second
    building that reads like "HOB- Z" in one place and on two lines in another."""
    for name in ds.text_key_columns:
        values = frame[name]
        distinct = pd.Series(values.dropna().unique(), dtype="str")  # a meter's id repeats on every reading
        wrong = distinct[distinct.str.contains(_CONTROL_CHARS, regex=True)]
        if not wrong.empty:
            log.add_rows("imp.control_character", labels[name], frame.index[values.isin(wrong)], raws[name])


def check_integrity(frame: pd.DataFrame, ds: Dataset, labels: Mapping[str, str], log: ProblemLog) -> None:
    """Unique columns and the parent tree among the file's own rows (importers.integrity); the store checks
    them again against the rows it keeps."""
    for breach in integrity.breaches(frame, ds):
        log.add(breach.key, int(frame.index[breach.rows[0]]), labels[breach.column], **breach.values)


def check_duplicates(frame: pd.DataFrame, key: tuple[str, ...], raws: Mapping[str, pd.Series],
                     log: ProblemLog) -> None:
    """Natural keys are unique within a file: each repeat names its own row and the first one."""
    complete = frame[list(key)].notna().all(axis=1)
    sub = frame.loc[complete, list(key)]
    if sub.empty:
        return
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return
    sub = sub[dup]
    codes = sub.groupby(list(key), sort=False).ngroup()
    first = pd.Series(sub.index, index=sub.index).groupby(codes).transform("first")
    for row in sub.index[sub.index != first.values]:
        text = ", ".join(f"{k}={show(raws[k][row])}" for k in key)
        log.add("imp.duplicate_key", int(row), None, fields=text, first=int(first[row]))


def check_references(frame: pd.DataFrame, dataset: str, labels: Mapping[str, str],
                     known_keys: Mapping[tuple[str, str], set[str]] | None, log: ProblemLog,
                     meters: pd.DataFrame | None = None) -> None:
    """Values of REFERENCES columns must exist in the target: ``known_keys`` (stored ∪ the same file).

    A target missing from ``known_keys`` is not checked (the caller did not say what exists), except
    meters, which ``meters`` can vouch for. One problem per unknown value, with its first row and count.
    """
    for (ds_name, column), target in datasets.REFERENCES.items():
        if ds_name != dataset or column not in frame.columns:
            continue
        known = None if known_keys is None else known_keys.get(target)
        if known is None and target == ("meters", "meter_id") and meters is not None:
            known = set(meters["meter_id"].dropna().astype(str))
        if known is None:
            continue
        known = {str(k) for k in known}
        if target[0] == dataset:  # a self-reference (parent meter) may point at a row of this file
            known |= set(frame[target[1]].dropna().astype(str))
        values = frame[column].dropna()
        unknown = values[~values.astype(str).isin(known)]
        for value, rows in unknown.groupby(unknown.astype(str), sort=False):
            log.add("imp.unknown_reference", int(rows.index[0]), labels[column], value=value,
                    dataset=target[0], target=target[1], count=len(rows))


# ------------------------------------------------------------------------------------------ stored rows

def check_stored(frame: pd.DataFrame, ds: Dataset, log: ProblemLog) -> None:
    """Rows as a database holds them (a backup to restore), checked by every rule an import applies to a
    row's own values: closed lists, ranges, patterns, code lists, formulas, control characters in ids, an
    interval's order, a meter's unit. ``frame`` is indexed by the row's number in its table. The rules across
    rows (keys, references, trees, overlaps) are the caller's, who sees the whole table."""
    labels = {c.name: c.name for c in ds.columns}
    raws: dict[str, pd.Series] = {}
    for col in ds.columns:
        values = frame[col.name]
        if col.type == STR:
            values = values.astype("str")
        raws[col.name] = values.astype(object)
        frame[col.name] = _check_values(values, col, col.name, raws[col.name], log)
    check_order(frame, ds.name, labels, raws, log)
    if ds.name == "meters":
        check_meter_units(frame, labels, log)
    check_key_text(frame, ds, labels, raws, log)


# ------------------------------------------------------------------------------------------ the builder

def empty_frame(ds: Dataset) -> pd.DataFrame:
    """No rows, exactly the dataset's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=DTYPES[c.type]) for c in ds.columns},
                        index=pd.Index([], dtype="int64", name="row"))


def typed_frame(table: RawTable, ds: Dataset, log: ProblemLog) -> tuple[pd.DataFrame, dict[str, str],
                                                                        dict[str, pd.Series]] | None:
    """Header check and per-column typing, timestamps localised per group in file order.

    Returns (frame indexed by file row, contract column -> file header label, column -> raw cells), or
    None when required columns are missing. Optional columns left out of the file come back all null.
    """
    mapping = match_header(table, ds.column_names, ds.required_columns, log)
    if mapping is None:
        return None
    labels = {c.name: table.header[mapping[c.name]] if c.name in mapping else c.name for c in ds.columns}
    columns: dict[str, pd.Series] = {}
    offsets: dict[str, pd.Series] = {}
    raws: dict[str, pd.Series] = {}
    for col in ds.columns:
        raw = raw_column(table, mapping.get(col.name))
        raws[col.name] = raw
        if col.name not in mapping:
            columns[col.name] = pd.Series(index=raw.index, dtype=DTYPES[col.type])
            continue
        pos = mapping[col.name]
        formulas = {row: text for (row, at), text in table.uncomputed.items() if at == pos}
        columns[col.name], off = typed_column(raw, col, labels[col.name], table.decimal, log,
                                              pd.Series(formulas, dtype=object) if formulas else None)
        if off is not None:
            offsets[col.name] = off
    frame = pd.DataFrame(columns, index=table.cells.index)
    frame.index.name = "row"
    group_cols = [k for k in ds.key if ds.column(k).type != TIMESTAMP]
    groups = frame.groupby(group_cols, sort=False, dropna=False).ngroup() if group_cols else None
    for name, off in offsets.items():
        frame[name], status = localise(columns[name], off, groups)
        report_local_time(status, labels[name], raws[name], log)
    return frame, labels, raws


def build_frame(table: RawTable, ds: Dataset, log: ProblemLog, *,
                known_keys: Mapping[tuple[str, str], set[str]] | None = None,
                meters: pd.DataFrame | None = None) -> pd.DataFrame:
    """A table file of any dataset -> its typed frame, with every contract and cross-row rule checked."""
    if table.cells.empty:
        log.add("imp.no_rows")
    typed = typed_frame(table, ds, log)
    if typed is None:
        return empty_frame(ds)
    frame, labels, raws = typed
    check_order(frame, ds.name, labels, raws, log)
    if ds.name == "meters":
        check_meter_units(frame, labels, log)
    check_key_text(frame, ds, labels, raws, log)
    check_duplicates(frame, ds.key, raws, log)
    check_integrity(frame, ds, labels, log)
    check_references(frame, ds.name, labels, known_keys, log, meters)
    return frame
