"""Data out: exports and templates of a dataset, as CSV or Excel, in a form the importer reads back.

- CSV: UTF-8 with BOM, ``;`` separator and decimal comma (what Danish Excel opens and writes), CRLF.
  Numbers are written exactly (the shortest text that reads back as the same float, never in
  exponent form); dates ISO ``YYYY-MM-DD``; timestamps ISO 8601 in Danish local time *with* the offset
  (``2024-10-27T02:00:00+02:00``), so the repeated October hour is never ambiguous; booleans true/false.
- Excel: the first sheet is named after the dataset and holds the same table (numbers as numbers, dates
  as dates, timestamps as the same ISO text); a template's second sheet ("Beskrivelse"/"Description",
  which the importer skips) lists each column's description, type, unit, whether it is required and the
  allowed values, from the declaration.
- CSV injection: a text cell beginning with ``=``, ``+``, ``-``, ``@`` (or tab/CR) is neutralised — in CSV
  with a leading apostrophe (the importer drops that apostrophe again), in Excel by storing the cell as
  text with Excel's quote prefix, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd

from heg_dash import i18n
from heg_dash.config import TIMEZONE
from heg_dash.datasets import BOOL, DATE, FLOAT, INT, STR, TIMESTAMP, Column, Dataset
from heg_dash.i18n import t
from heg_dash.importers.sheets import Verbatim, csv_bytes, number_text, set_cell

DESCRIPTION_SHEET = {"da": "Beskrivelse", "en": "Description"}


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def cell_text(value: object, col: Column, decimal: str = ",") -> str | None:
    """One stored value as the text the importer reads back as the same value (None when empty)."""
    if _missing(value):
        return None
    if col.type == FLOAT:
        return number_text(value, decimal)
    if col.type == INT:
        return str(int(value))
    if col.type == BOOL:
        return "true" if bool(value) else "false"
    if col.type == DATE:
        return pd.Timestamp(value).date().isoformat()
    if col.type == TIMESTAMP:
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
        return stamp.tz_convert(TIMEZONE).isoformat()
    return str(value)


def _texts(ds: Dataset, frame: pd.DataFrame, decimal: str) -> list[list[str | None]]:
    columns = [[cell_text(v, col, decimal) for v in frame[col.name].tolist()] for col in ds.columns]
    return [list(row) for row in zip(*columns, strict=True)] if columns and len(frame) else []


def to_csv(ds: Dataset, frame: pd.DataFrame) -> bytes:
    """The dataset's rows as a CSV file the importer reads back exactly; text neutralised against injection
    (heg_dash.sheets), the numbers, dates and times as the export writes them."""
    verbatim = [c.type != STR for c in ds.columns]
    rows = ([v if v is None or not keep else Verbatim(v) for v, keep in zip(row, verbatim, strict=True)]
            for row in _texts(ds, frame, ","))
    return csv_bytes(ds.column_names, rows)


def template_csv(ds: Dataset) -> bytes:
    """An empty CSV template: the contract's columns (optional ones included) in the export's dialect."""
    return to_csv(ds, pd.DataFrame(columns=ds.column_names))


def _excel_value(value: object, col: Column) -> object:
    if _missing(value):
        return None
    if col.type == FLOAT:
        return float(value)
    if col.type == INT:
        return int(value)
    if col.type == BOOL:
        return bool(value)
    if col.type == DATE:
        return pd.Timestamp(value).date()
    if col.type == TIMESTAMP:
        return cell_text(value, col)
    return str(value)


def to_xlsx(ds: Dataset, frame: pd.DataFrame, *, describe: bool = False) -> bytes:
    """The dataset as an Excel workbook (sheet named after the dataset); ``describe`` adds the description
    sheet. Text cells are stored as text with Excel's quote prefix, never as formulas."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ds.name
    ws.append(ds.column_names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    columns = [frame[c.name].tolist() for c in ds.columns]
    for r, values in enumerate(zip(*columns, strict=True), start=2) if len(frame) else ():
        for c, (value, col) in enumerate(zip(values, ds.columns, strict=True), start=1):
            v = _excel_value(value, col)
            if v is None:
                continue
            cell = ws.cell(r, c)
            set_cell(cell, v)
            if col.type == DATE:
                cell.number_format = "yyyy-mm-dd"
    for i, col in enumerate(ds.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(col.name) + 4))
    ws.freeze_panes = "A2"
    if describe:
        _description_sheet(wb, ds)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_xlsx(ds: Dataset) -> bytes:
    """An empty Excel template with the description sheet."""
    return to_xlsx(ds, pd.DataFrame(columns=ds.column_names), describe=True)


def column_description(ds: Dataset, col: Column) -> str:
    """The catalogue's description of a column: ``col.<dataset>.<name>`` if the dataset needs its own,
    else ``col.<name>``."""
    key = f"col.{ds.name}.{col.name}"
    return t(key) if i18n.has(key) else t(f"col.{col.name}")


def column_heading(ds: Dataset, col: Column) -> str:
    """A column's short name in the current language with its unit: "Opvarmet etageareal (m²)" for
    ``heated_area_m2``; the description up to its first explanation."""
    text = column_description(ds, col)
    for stop in (" (", ", ", "; ", ": "):
        text = text.split(stop, 1)[0]
    text = text.strip() or col.name
    return f"{text} ({i18n.display_unit(col.unit)})" if col.unit else text


def describe_columns(ds: Dataset) -> pd.DataFrame:
    """One row per column: name, description, type, unit, required, allowed values or form."""
    rows = []
    for col in ds.columns:
        rule = ", ".join(col.allowed) if col.allowed else (col.pattern or "")
        if col.min is not None or col.max is not None:
            low = "" if col.min is None else i18n.fmt_number(col.min, 0 if float(col.min).is_integer() else 2)
            high = "" if col.max is None else i18n.fmt_number(col.max, 0 if float(col.max).is_integer() else 2)
            rule = t("data.range", low=low or "–", high=high or "–")
        rows.append({
            t("data.desc.column"): col.name,
            t("data.desc.description"): column_description(ds, col),
            t("data.desc.type"): t(f"data.type.{col.type}"),
            t("data.desc.unit"): col.unit or "",
            t("data.desc.required"): t("data.yes") if col.required else t("data.no"),
            t("data.desc.allowed"): rule,
        })
    return pd.DataFrame(rows)


def _description_sheet(wb, ds: Dataset) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(DESCRIPTION_SHEET[i18n.get_language()])
    table = describe_columns(ds)
    ws.append(list(table.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(table.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            set_cell(cell, str(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (22, 60, 14, 10, 10, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([])
    ws.append([t("data.desc.note", sheet=ds.name)])


def export_name(dataset: str, fmt: str, today: dt.date | None = None) -> str:
    """A download's file name: heg_<dataset>_<date>.<fmt>."""
    return f"heg_{dataset}_{(today or dt.date.today()).isoformat()}.{fmt}"
