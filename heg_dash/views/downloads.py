"""Download buttons for the pages: the report is generated when the user clicks, not on every rerun.

Streamlit 1.67 accepts a callable as ``data=`` and runs it on click (on another thread, so the language
is passed in explicitly rather than read from the session). Results are cached by the report's
arguments and the data version (``queries.cached``), so a second click after no import is instant.
"""

from __future__ import annotations

import streamlit as st

from heg_dash import reports
from heg_dash.i18n import get_language, t
from heg_dash.queries.cache import cached


@cached
def report_bytes(kind: str, year: int, fmt: str, campus: str | None, lang: str) -> bytes:
    """The report's bytes, cached by arguments and data version."""
    return reports.generate(kind, year, fmt, campus, lang)


def download_button(kind: str, year: int, campus: str | None, fmt: str) -> bool:
    """A button that downloads report ``kind`` for ``year`` (and campus) as ``fmt``; True when clicked.

    Raises UnsupportedFormat for a format the report does not offer (a programming error on the page).
    """
    if fmt not in reports.FORMATS.get(kind, ()):
        raise reports.UnsupportedFormat(f"{kind} is not made as {fmt}")
    lang = get_language()
    scope = campus or t("filter.all_campuses")
    return st.download_button(
        t(f"reports.download.{kind}", fmt=fmt.upper()),
        data=lambda: report_bytes(kind, year, fmt, campus, lang),
        file_name=reports.file_name(kind, year, fmt, campus, lang),
        mime=reports.MIME[fmt],
        help=t("reports.download.help", year=year, scope=scope),
        key=f"report_{kind}_{fmt}",
        on_click="ignore",
    )


def download_row(kind: str, year: int, campus: str | None) -> None:
    """One download button per format the report is made in, side by side."""
    with st.container(horizontal=True):
        for fmt in reports.FORMATS[kind]:
            download_button(kind, year, campus, fmt)
