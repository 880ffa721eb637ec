"""Excel workbooks for the reports (openpyxl): numbers stay numbers, formatted by the cell's number format.

Excel cannot hold time-zone-aware datetimes, so they are converted to Danish local wall-clock time
first. Values are never rounded; the number format rounds what is shown.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from heg_dash.importers.sheets import set_cell

HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14, color="C8102E")
SAMPLE_FONT = Font(bold=True, color="D66E00")


@dataclass
class Sheet:
    """One worksheet: a title, a table (columns in order) with a number format per column, images."""

    name: str
    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)  # column -> Excel number format
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (caption, PNG)
    total_row: bool = False  # the last row is a totals row (bold)


def excel_value(value: object) -> object:
    """A cell value Excel can hold: tz-aware datetimes to local wall-clock, NaN/NA to empty, numpy to Python."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        if value is pd.NaT:
            return None
        if value.tzinfo is not None:
            value = value.tz_convert("Europe/Copenhagen").tz_localize(None)
        return value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return pd.Timestamp(value).tz_convert("Europe/Copenhagen").tz_localize(None).to_pydatetime()
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _sheet_title(name: str) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:31]


def write_workbook(sheets: Sequence[Sheet], info: Sequence[tuple[str, str]] | None = None,
                   info_title: str = "", info_sheet: str = "Rapport", sample_note: str | None = None,
                   info_first: bool = True) -> bytes:
    """A workbook with an optional sheet of report facts (label, text), first or last, and one per table."""
    book = Workbook()
    book.remove(book.active)
    if info is not None:
        ws = book.create_sheet(_sheet_title(info_sheet))
        ws["A1"] = info_title
        ws["A1"].font = TITLE_FONT
        row = 3
        if sample_note:
            ws.cell(row, 1, sample_note).font = SAMPLE_FONT
            row += 2
        for label, text in info:
            set_cell(ws.cell(row, 1), label)
            ws.cell(row, 1).font = Font(bold=True)
            set_cell(ws.cell(row, 2), text)
            ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 100
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.name))
        columns = list(sheet.frame.columns)
        for j, name in enumerate(columns, start=1):
            cell = ws.cell(1, j)
            set_cell(cell, str(name))
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, record in enumerate(sheet.frame.itertuples(index=False), start=2):
            for j, value in enumerate(record, start=1):
                cell = ws.cell(i, j)
                set_cell(cell, excel_value(value))
                number_format = sheet.formats.get(columns[j - 1])
                if number_format and isinstance(cell.value, int | float):
                    cell.number_format = number_format
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        if sheet.total_row and len(sheet.frame):
            for j in range(1, len(columns) + 1):
                ws.cell(len(sheet.frame) + 1, j).font = Font(bold=True)
        for j, name in enumerate(columns, start=1):
            longest = max([len(str(name))] + [len(str(v)) for v in sheet.frame.iloc[:, j - 1].tolist()[:200]])
            ws.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 70)
        ws.freeze_panes = "A2"
        anchor_row = len(sheet.frame) + 3 if columns else 1
        for caption, png in sheet.images:
            ws.cell(anchor_row, 1, caption).font = Font(bold=True)
            image = XlImage(io.BytesIO(png))
            image.width, image.height = image.width / 2, image.height / 2  # rendered at scale 2
            ws.add_image(image, f"A{anchor_row + 1}")
            anchor_row += int(image.height / 20) + 4
    if info is not None and not info_first:
        book.move_sheet(book.worksheets[0], offset=len(book.worksheets) - 1)
        book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
