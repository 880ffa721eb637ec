"""The UI's words and number formats: ``t("key")`` over a Danish and an English catalogue.

The catalogue is split by area into ``heg_dash/catalogue/<area>.py`` modules, each with a ``DA`` and an
``EN`` dict; they are merged here, and a key defined twice is an error at import time. Numbers and
dates are formatted with babel in the current language's locale (Danish: 1.800,5 and 5. marts 2024).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from heg_dash.i18n import catalogue

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
LOCALES = {"da": "da_DK", "en": "en_GB"}
MISSING = "–"  # how a missing value reads everywhere: formatted numbers and dates, and empty table cells
# babel rounds in the current decimal context, whose default 28 digits make it raise InvalidOperation from
# about 1e27 on (a ratio over a near-zero denominator): numbers are formatted with room for any float's digits.
_DIGITS = decimal.Context(prec=400)

_lang: contextvars.ContextVar[str | None] = contextvars.ContextVar("heg_dash_lang", default=None)


def _current() -> str:
    """The language set for this context; inside Streamlit, else the URL's ``lang`` (fragment reruns
    run in a fresh context, so the URL is the one source that always holds)."""
    lang = _lang.get()
    if lang is None:
        try:
            from streamlit.runtime.scriptrunner import get_script_run_ctx

            if get_script_run_ctx(suppress_warning=True) is not None:
                import streamlit as st

                lang = st.query_params.get("lang")
        except ImportError:  # pragma: no cover - streamlit is a hard dependency of the app only
            lang = None
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _load_catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"da": {}, "en": {}}
    for info in sorted(pkgutil.iter_modules(catalogue.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{catalogue.__name__}.{info.name}")
        for lang, table in (("da", module.DA), ("en", module.EN)):
            twice = merged[lang].keys() & table.keys()
            if twice:
                raise ValueError(f"catalogue keys defined twice ({info.name}): {sorted(twice)}")
            merged[lang].update(table)
    return merged


CATALOGUE = _load_catalogue()


def set_language(lang: str | None) -> str:
    """Set the language for this thread/session; unknown values fall back to Danish."""
    chosen = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _lang.set(chosen)
    return chosen


def get_language() -> str:
    return _current()


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Temporarily switch language (reports rendered in English on request)."""
    token = _lang.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _lang.reset(token)


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` placeholders filled in.

    A key missing in the current language falls back to Danish, then to the key itself, so a
    forgotten entry shows up visibly instead of crashing a page (a test checks both catalogues match).
    """
    lang = _current()
    text = CATALOGUE[lang].get(key) or CATALOGUE["da"].get(key) or key
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in CATALOGUE["da"]


def localized(record: object, column: str) -> str:
    """A name the school typed, in the current language: ``<column>_en`` in English where it is given, else the
    Danish ``<column>`` (an indicator's ``name``/``name_en``, an initiative's ``title``/``title_en``). ``record``
    is a row (a Series or a dict)."""
    english = record.get(f"{column}_en") if _current() == "en" else None
    if english is not None and not _missing(english) and str(english).strip():
        return str(english)
    value = record.get(column)
    return "" if _missing(value) else str(value)


def localized_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``localized`` for every row of ``frame``."""
    return pd.Series([localized(row, column) for row in frame.to_dict("records")], index=frame.index, dtype=object)


def fmt_count(noun: str, n: int) -> str:
    """"1 bygning", "3 bygninger", "1.204 dage": ``n`` in the language's number format with the noun's singular or
    plural from the catalogue (``count.<noun>_one`` and ``count.<noun>``)."""
    key = f"count.{noun}_one" if n == 1 else f"count.{noun}"
    return t(key, n=fmt_number(n))


def _locale() -> str:
    return LOCALES[_current()]


def _missing(value: object) -> bool:
    """None, NaN, pd.NA and NaT: every "no value" a frame can hand over (an optional column left out of a
    file arrives as pd.NA, which babel cannot format)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is a value, not a missing one
        return False


# Units as the contract spells them (ASCII, so a file can be typed) and as they are written on screen.
_UNIT_DISPLAY = {"m3": "m³", "Nm3": "Nm³", "m2": "m²", "kWh/m2": "kWh/m²", "kg/m3": "kg/m³", "kg/Nm3": "kg/Nm³"}


def display_unit(unit: str) -> str:
    """"m3" -> "m³", "Nm3" -> "Nm³", "kg/m3" -> "kg/m³"; other units as they are."""
    return _UNIT_DISPLAY.get(unit, unit)


def fmt_number(value: float | int | None, decimals: int = 0, unit: str | None = None) -> str:
    """1800 -> "1.800"; 25.04 with 1 decimal and unit m² -> "25,0 m²"; 12 m3 -> "12 m³"; None -> "–"."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    with decimal.localcontext(_DIGITS):
        text = babel_numbers.format_decimal(value, format=pattern, locale=_locale())
    return f"{text}\u00a0{display_unit(unit)}" if unit else text


def fmt_percent(fraction: float | None, decimals: int = 1) -> str:
    """0.2567 -> "25,7 %" (Danish) or "25.7%" (English); None -> "–"."""
    if _missing(fraction):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + ("%" if _current() == "en" else "\u00a0%")
    with decimal.localcontext(_DIGITS):
        return babel_numbers.format_percent(fraction, format=pattern, locale=_locale())


def fmt_date(value: dt.date | dt.datetime | None, style: str = "long") -> str:
    """5 March 2024 -> "5. marts 2024" (long) or "05.03.2024" (short); None -> "–"."""
    if _missing(value):
        return MISSING
    if style == "short":
        return babel_dates.format_date(value, format="dd.MM.yyyy" if _current() == "da" else "dd/MM/yyyy",
                                       locale=_locale())
    return babel_dates.format_date(value, format="long", locale=_locale())


def fmt_range(first: dt.date, last: dt.date) -> str:
    """A period of days as people write it: "19.–25. okt. 2026" (Danish), "19–25 Oct 2026" (English); one day
    alone is that day."""
    if first == last:
        return fmt_date(first)
    return babel_dates.format_interval(first, last, "yMMMd", locale=_locale())


def fmt_period(first: dt.date, last: dt.date) -> str:
    """A period as the Energi page names it: a whole ISO week (Monday to Sunday) as "uge 43 (19.–25. okt. 2026)",
    any other period as ``fmt_range``."""
    days = fmt_range(first, last)
    if first.weekday() == 0 and (last - first).days == 6:
        return t("energy.week_range", week=first.isocalendar().week, range=days)
    return days


def fmt_datetime(value: dt.datetime | None) -> str:
    """A local time for a footer or a freshness note: "5. marts 2024 14:05"."""
    if _missing(value):
        return MISSING
    return f"{fmt_date(value)} {value:%H:%M}"


def d3_label_expr() -> str | None:
    """Vega labelExpr that turns d3's "12,000.5" into Danish "12.000,5" and "45%" into "45 %" like the tables
    beside the charts (None in English).

    Streamlit ignores Vega-Embed's formatLocale, so chart axes swap the separators themselves.
    """
    if _current() != "da":
        return None
    return "replace(replace(replace(replace(datum.label, ',', '_'), '.', ','), '_', '.'), '%', '\u00a0%')"
