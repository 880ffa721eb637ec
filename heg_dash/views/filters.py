"""The current view <-> URL query parameters, so a link reproduces what is on screen.

``from_params`` and ``to_params`` are pure; ``current`` reads the running Streamlit session and fills
in defaults from the data (the newest complete year, not today's date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from heg_dash.metrics.resolution import newest_complete_year

RESOLUTIONS = ("hour", "day", "week", "month", "year")
PAGE_IDS = (
    "overblik", "faciliteter", "energi", "baeredygtighed", "internationalt", "oekonomi", "data", "praesentation",
)


@dataclass(frozen=True)
class Filters:
    campus: str | None = None
    building: str | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    res: str = "month"
    lang: str = "da"
    present: bool = False
    slides: tuple[str, ...] = ()
    interval: int = 30

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)


def _int(raw: str | None, low: int, high: int) -> int | None:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def from_params(params: Mapping[str, str]) -> Filters:
    """Filters from query parameters; anything malformed falls back to its default (a bad link still opens)."""
    lang = params.get("lang")
    res = params.get("res")
    slides = tuple(s for s in str(params.get("slides", "")).split(",") if s in PAGE_IDS)
    date_from, date_to = _date(params.get("from")), _date(params.get("to"))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return Filters(
        campus=params.get("campus") or None,
        building=params.get("building") or None,
        year=_int(params.get("year"), 1990, 2100),
        date_from=date_from,
        date_to=date_to,
        res=res if res in RESOLUTIONS else "month",
        lang=lang if lang in ("da", "en") else "da",
        present=str(params.get("present", "")) in ("1", "true"),
        slides=slides,
        interval=_int(params.get("interval"), 5, 3600) or 30,
    )


def to_params(f: Filters) -> dict[str, str]:
    """The query parameters of a view; defaults are left out so links stay short."""
    default = Filters()
    names = {"date_from": "from", "date_to": "to"}
    out: dict[str, str] = {}
    for field, value in asdict(f).items():
        if value == getattr(default, field) or value in (None, ()):
            continue
        if isinstance(value, bool):
            value = "1"
        elif isinstance(value, tuple):
            value = ",".join(value)
        out[names.get(field, field)] = str(value)
    return out


TRAVELS = ("campus", "year", "lang")  # what every navigation link carries: the view follows the user


def travel_params(f: Filters) -> dict[str, str]:
    """The query parameters a link to another page carries: campus, year and language (a page's own, such as
    Energi's period, stay behind)."""
    return {k: v for k, v in to_params(f).items() if k in TRAVELS}


def default_year(last_reading: dt.date | None, activity_years: list[int], today: dt.date | None = None) -> int:
    """The newest complete year in the data: the year of the last reading if it ends on 31 December,
    else the year before; without readings the newest year with årselever; else last calendar year."""
    if last_reading is not None:
        return newest_complete_year(last_reading)
    if activity_years:
        return max(activity_years)
    return (today or dt.date.today()).year - 1


def current() -> Filters:
    """The filters of the running page: the URL's, with the year defaulted from the data."""
    import streamlit as st

    from heg_dash import queries

    f = from_params(st.query_params.to_dict())
    if f.year is None:
        try:
            _, last = queries.reading_span()
            years = queries.years_with_data()
        except Exception:  # no database yet: the empty state handles it
            last, years = None, []
        f = f.with_(year=default_year(last, years))
    return f
