"""Cells -> typed values: numbers with the file's decimal mark, ISO and Danish dates and times, booleans, text
(the apostrophe of a neutralised export dropped, formulas recognised). Each parser returns the values and an
error key per cell (None where the cell is fine); the rules that use them are in ``importers.validate``."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from heg_dash.importers.problems import is_missing
from heg_dash.importers.read import RawTable

TZ = "Europe/Copenhagen"


UTC_DTYPE = "datetime64[us, UTC]"


BOOL_WORDS = {"true": True, "ja": True, "1": True, "yes": True, "sand": True,
              "false": False, "nej": False, "0": False, "no": False, "falsk": False}


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
