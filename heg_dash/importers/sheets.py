"""The one writer of spreadsheet cells: every CSV and Excel file the app produces (exports, templates, reports,
downloads) writes its cells through here, so no text a spreadsheet would run as a formula leaves the app.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised (OWASP's
CSV-injection advice): in CSV with a leading apostrophe (the importer drops it again, so an export reads back
as it was), in Excel by storing the cell as text with Excel's quote prefix. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Verbatim(str):
    """Text the app formatted itself (a number "-12,5", a date): written as it is, never neutralised."""


def neutralise(text: str) -> str:
    """Text a spreadsheet could run as a formula gets a leading apostrophe."""
    if isinstance(text, Verbatim):
        return str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]],
              number: Callable[[object], str] = _plain) -> bytes:
    """A CSV file the Danish way (UTF-8 with BOM, ``;``, CRLF): text cells neutralised (but :class:`Verbatim`),
    anything else through ``number`` (its text; an empty cell is None)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) if isinstance(v, str) else number(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def number_text(value: float, decimal: str = ",") -> str:
    """The shortest exact text of a float, never in exponent form: 0.1 -> "0,1", 1e-05 -> "0,00001"."""
    text = np.format_float_positional(float(value), unique=True, trim="-")
    return text.replace(".", decimal) if decimal != "." else text


def exact_number(value: object) -> str:
    """Any number exactly, with a decimal comma (:func:`number_text`); an empty cell for a missing value."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return str(value)
    return number_text(float(value))


def csv_number(value: object) -> str:
    """A CSV number the Danish way: decimal comma, no thousands separator, at most 3 decimals (1 Wh, 1 litre),
    trailing zeros dropped — so the float noise of summing millions of readings does not show."""
    if value is None or pd.isna(value):
        return ""
    if not isinstance(value, int | float):
        return str(value)
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text != "-0" else "0"


def frame_csv(frame: pd.DataFrame, number: Callable[[object], str] = exact_number) -> bytes:
    """A table as :func:`csv_bytes`: its columns as the header, its cells as they are (text neutralised)."""
    return csv_bytes([str(c) for c in frame.columns], frame.itertuples(index=False, name=None), number)


def set_cell(cell, value: object) -> None:
    """An openpyxl cell given ``value``; text is stored as text, never as a formula, whatever it begins with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
