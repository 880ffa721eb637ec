"""PDF building blocks for the reports (fpdf2 with the DejaVu Sans TrueType font embedded).

The core PDF fonts are Latin-1 only, so "CO₂", "≤" and the status symbols need an embedded font; DejaVu
Sans ships in ``data/fonts`` with its licence. Every page has a running head, and a footer with the
page number ("Side 2 af 5"), the report date and — when sample data is in use — "Eksempeldata".
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

from heg_dash.config import DATA_DIR
from heg_dash.i18n import fmt_date, t

FONT_DIR = DATA_DIR / "fonts"
FONT = "DejaVu"
RED = (200, 16, 46)
GREY = (95, 107, 115)
LIGHT = (242, 242, 242)
SAMPLE_ORANGE = (214, 110, 0)


class ReportPDF(FPDF):
    """A4 portrait report with a running head, page numbers, date and the sample-data mark."""

    def __init__(self, title: str, generated: dt.datetime, sample: bool) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.generated = generated
        self.sample = sample
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=20)
        self.set_title(title)
        self.set_author("HEG Dashboard")
        self.set_creator("HEG Dashboard")
        self.set_creation_date(generated)

    # fpdf2 calls these on every page
    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"HEG · {self.report_title}", align="L")
        self.ln(8)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_draw_color(*LIGHT)
        self.line(self.l_margin, self.get_y() - 1, self.w - self.r_margin, self.get_y() - 1)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        left = f"{t('reports.generated', date=fmt_date(self.generated.date()))} · HEG Dashboard"
        self.cell(self.epw / 3, 5, left, align="L")
        if self.sample:
            self.set_text_color(*SAMPLE_ORANGE)
            self.set_font(FONT, "B", 8)
        self.cell(self.epw / 3, 5, t("sample.badge") if self.sample else "", align="C")
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(self.epw / 3, 5, t("reports.page", page=self.page_no(), pages="{nb}"), align="R")
        self.set_text_color(0)

    # content helpers
    def title_block(self, title: str, subtitle: str, note: str | None) -> None:
        """The report's first lines: title, subtitle, date, and the sample-data note in a box."""
        self.set_font(FONT, "B", 20)
        self.set_text_color(*RED)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(0)
        self.set_font(FONT, "", 11)
        self.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font(FONT, "", 9)
        self.set_text_color(*GREY)
        self.multi_cell(0, 5, t("reports.generated", date=fmt_date(self.generated.date())),
                        new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(0)
        if note:
            self.ln(2)
            self.set_fill_color(255, 240, 224)
            self.set_draw_color(*SAMPLE_ORANGE)
            self.set_font(FONT, "B", 9)
            self.multi_cell(0, 5, f"{t('sample.badge')}: {note}", border=1, fill=True, padding=2,
                            new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(4)

    def heading(self, text: str, level: int = 1) -> None:
        """A section heading; a level-1 heading near the page end moves to a new page."""
        size = {1: 14, 2: 11.5}.get(level, 10)
        if self.will_page_break(size + 30):
            self.add_page()
        self.ln(2 if level > 1 else 3)
        self.set_font(FONT, "B", size)
        self.set_text_color(*(RED if level == 1 else (0, 0, 0)))
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(0)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(0)
        self.ln(1.5)

    def quote(self, text: str, source: str) -> None:
        """A quote from the strategy with its source, indented with a red rule."""
        self.set_font(FONT, "", 9.5)
        x, y = self.get_x(), self.get_y()
        self.set_x(x + 4)
        self.multi_cell(self.epw - 4, 4.8, f"«{text}»", new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.set_x(x + 4)
        self.multi_cell(self.epw - 4, 4.5, f"— {source}", new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(0)
        self.set_draw_color(*RED)
        self.set_line_width(0.8)
        self.line(x + 1, y, x + 1, self.get_y())
        self.set_line_width(0.2)
        self.ln(2)

    def data_table(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              align: Sequence[str] | None = None, size: float = 8.5,
              fills: Sequence[tuple[int, int, int] | None] | None = None) -> None:
        """A table with a shaded heading row repeated on a page break; ``align`` per column (L/R/C).

        ``fills`` colours the first cell of each row (the SDG colour), with white bold text on it.
        """
        self.set_font(FONT, "", size)
        self.set_draw_color(210, 210, 210)
        self.set_fill_color(255, 255, 255)
        align = list(align or ["L"] * len(headings))
        heading_style = FontFace(family=FONT, emphasis="BOLD", size_pt=size, fill_color=LIGHT)
        with self.table(col_widths=tuple(widths), text_align=tuple(align), headings_style=heading_style,
                        line_height=size * 0.55, padding=1.2, first_row_as_headings=True,
                        repeat_headings=1, width=self.epw, cell_fill_color=(250, 250, 250),
                        cell_fill_mode="ROWS") as table:
            head = table.row()
            for text in headings:
                head.cell(text)
            for i, values in enumerate(rows):
                row = table.row()
                for j, text in enumerate(values):
                    fill = fills[i] if fills and j == 0 else None
                    if fill is not None:
                        row.cell(text, style=FontFace(family=FONT, emphasis="BOLD", color=(255, 255, 255),
                                                      fill_color=fill, size_pt=size))
                    else:
                        row.cell(text)
        self.ln(3)

    def chart(self, png: bytes, caption: str | None = None, width: float | None = None,
              title: str | None = None) -> None:
        """A chart image (PNG bytes from vl-convert) at the text width, kept whole on one page together
        with its title (a level-2 heading above) and caption (below)."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            ratio = image.height / image.width
        w = width or self.epw
        h = w * ratio
        if self.will_page_break(h + (8 if caption else 2) + (12 if title else 0)):
            self.add_page()
        if title:
            self.heading(title, level=2)
        self.image(io.BytesIO(png), x=self.l_margin + (self.epw - w) / 2, w=w)
        if caption:
            self.set_font(FONT, "", 8)
            self.set_text_color(*GREY)
            self.multi_cell(0, 4, caption, new_x="LMARGIN", new_y="NEXT", align="L")
            self.set_text_color(0)
        self.ln(3)

    def keep_together(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one (a block is not split needlessly)."""
        if self.will_page_break(height):
            self.add_page()

    def to_bytes(self) -> bytes:
        return bytes(self.output())
