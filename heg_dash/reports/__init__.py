"""Reports the school hands in: the sustainability and SDG report (PDF, Excel), the board's Strategy 2028
status report (PDF) and the yearly energy report for Energistyrelsen (Excel, CSV).

``generate(kind, year, fmt, campus, lang)`` returns the file's bytes; the CLI ``report`` command and the
pages' download buttons both go through it.
"""

from __future__ import annotations

from collections.abc import Callable

from heg_dash.i18n import language
from heg_dash.store import db

# What each report offers, the first format being its default.
FORMATS: dict[str, tuple[str, ...]] = {
    "sustainability": ("pdf", "xlsx"),
    "strategy": ("pdf",),
    "energy": ("xlsx", "csv"),
}
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
FILE_STEMS = {
    "da": {"sustainability": "baeredygtighedsrapport", "strategy": "strategi-2028-status",
           "energy": "energiindberetning"},
    "en": {"sustainability": "sustainability-report", "strategy": "strategy-2028-status", "energy": "energy-report"},
}


class UnsupportedFormat(ValueError):
    """A report asked for in a format it does not offer (the CLI exits 2)."""


def _builder(kind: str, fmt: str) -> Callable[[int, str | None], bytes]:
    if kind not in FORMATS:
        raise UnsupportedFormat(f"unknown report {kind!r}; choose from {', '.join(FORMATS)}")
    if fmt not in FORMATS[kind]:
        raise UnsupportedFormat(f"the {kind} report is made as {' or '.join(FORMATS[kind])}, not {fmt}")
    from heg_dash.reports import energy, strategy, sustainability

    module = {"sustainability": sustainability, "strategy": strategy, "energy": energy}[kind]
    return getattr(module, f"to_{fmt}")


def generate(kind: str, year: int, fmt: str, campus: str | None = None, lang: str = "da") -> bytes:
    """The report's file as bytes, in Danish (default) or English; raises UnsupportedFormat."""
    build = _builder(kind, fmt)
    with language(lang), db.session():
        return build(year, campus)


def file_name(kind: str, year: int, fmt: str, campus: str | None = None, lang: str = "da") -> str:
    stem = FILE_STEMS.get(lang, FILE_STEMS["da"])[kind]
    return f"{stem}-{year}{'-' + campus.lower() if campus else ''}.{fmt}"
