"""Fetch live data into the store: Energi Data Service (grid CO₂, spot prices), Open-Meteo (weather) and
Eloverblik (readings), through the same validation, batch and undo path as a file import.

Rules:
- Dates are Danish local dates, end inclusive. Without dates a fetch asks for what is missing: from the
  day after the newest stored row of the source up to yesterday, or the last ``INITIAL_DAYS`` days when
  nothing is stored. Weather ends ``WEATHER_LAG_DAYS`` days ago at the latest (the archive lags).
- The fetched frame is built in the dataset's columns and validated like an imported table
  (``importers.apply.parse_table``), so bad API data is refused before anything is written; then one
  ``store.write(kind="fetch", note=source)``: one batch, undoable, a no-op when nothing changed.
- co2: ``DeclarationGridEmission`` (source "declaration") and, for the hours after the newest declared
  one, ``CO2Emis`` averaged to hours (source "co2emis"). A co2emis value never replaces a declared hour;
  a declaration replaces a provisional co2emis hour (the store keeps the old row for undo).
- eloverblik: GSRN → meter_id via ``meters``; a meter counted in MWh gets value × 0.001.
- A failed service (``ConnectorError``) changes nothing; the time of the last successful fetch of each
  source is kept in ``meta`` (``fetch_last_<source>``, UTC ISO).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from heg_dash import config, store
from heg_dash.connectors import eloverblik, energidataservice, openmeteo
from heg_dash.connectors.energidataservice import local_window
from heg_dash.connectors.http import ConnectorError
from heg_dash.i18n import fmt_date, t
from heg_dash.queries import fetching as q
from heg_dash.store import StoreRefused
from heg_dash.store import imports as importing

__all__ = ["DATASET", "SOURCES", "ConnectorError", "FetchArgumentError", "FetchResult", "StoreRefused",
           "default_window", "fetch", "last_fetch", "summary_lines"]

SOURCES = ("co2", "prices", "weather", "eloverblik")
DATASET = {"co2": "grid_co2", "prices": "energy_prices", "weather": "weather", "eloverblik": "readings"}
INITIAL_DAYS = 30  # the first fetch of a source with nothing stored
WEATHER_LAG_DAYS = 5  # the Open-Meteo archive has no final values for the last ~5 days
MAX_DEFAULT_DAYS = 366  # a default window never reaches further back (a long-idle meter is not backfilled)
META_PREFIX = "fetch_last_"


class FetchArgumentError(ValueError):
    """Bad arguments (unknown source, bad dates, no Eloverblik token): nothing was fetched or changed."""


@dataclass
class FetchResult:
    """What a fetch did. ``batch_id`` None: nothing changed (no batch). ``start``/``end`` None: nothing to ask."""

    source: str
    dataset: str
    start: dt.date | None
    end: dt.date | None
    batch_id: int | None = None
    fetched: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def today() -> dt.date:
    """Today in Denmark (the service days are Danish local days)."""
    return pd.Timestamp.now(tz=config.TIMEZONE).date()


def _latest_end(source: str) -> dt.date:
    last = today() - dt.timedelta(days=1)
    return last - dt.timedelta(days=WEATHER_LAG_DAYS - 1) if source == "weather" else last


def _after(day: object) -> dt.date | None:
    if day is None or pd.isna(day):
        return None
    return pd.Timestamp(day).date() + dt.timedelta(days=1)


def _default_start(source: str) -> dt.date:
    initial = _latest_end(source) - dt.timedelta(days=INITIAL_DAYS - 1)
    if source == "co2":
        # After the newest declared day: provisional co2emis days are asked again, so declarations replace them.
        nxt = _after(q.newest_grid_co2_day("declaration"))
    elif source == "prices":
        nxt = _after(q.newest_spot_day())
    elif source == "weather":
        starts = [_after(d) or initial for d in q.campuses_with_weather()["newest"]]
        nxt = min(starts) if starts else None
    else:
        starts = [_after(d) or initial for d in q.linked_meters()["newest"]]
        nxt = min(starts) if starts else None
    if nxt is None:
        return initial
    return max(nxt, _latest_end(source) - dt.timedelta(days=MAX_DEFAULT_DAYS - 1))


def default_window(source: str) -> tuple[dt.date, dt.date]:
    """(start, end) of a fetch without dates: what is missing, up to yesterday (weather: the archive's lag)."""
    _check_source(source)
    return _default_start(source), _latest_end(source)


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise FetchArgumentError(t("fetch.unknown_source", source=source, sources=", ".join(SOURCES)))


def _window(source: str, start: dt.date | None, end: dt.date | None, notes: list[str]) -> tuple[dt.date, dt.date]:
    if start is not None and end is not None and end < start:
        raise FetchArgumentError(t("fetch.end_before_start", end=end.isoformat(), start=start.isoformat()))
    latest = _latest_end(source)
    if end is None:
        end = latest
    elif source == "weather" and end > latest:
        notes.append(t("fetch.note.weather_ends", day=latest.isoformat(), days=WEATHER_LAG_DAYS))
        end = latest
    if start is None:
        start = _default_start(source)
    return start, end


# ----------------------------------------------------------------------------------------------- per source

def _co2(start: dt.date, end: dt.date, notes: list[str]) -> pd.DataFrame:
    declared = energidataservice.fetch_grid_co2(start, end)
    notes += declared.attrs.get("notes", [])
    first_open = start
    if not declared.empty:
        first_open = declared["start"].max().tz_convert(config.TIMEZONE).date() + dt.timedelta(days=1)
    parts = [declared]
    if first_open <= end:
        recent = energidataservice.fetch_grid_co2_recent(first_open, end)
        notes += recent.attrs.get("notes", [])
        lo, hi = local_window(first_open, end)
        taken = q.declared_hours(lo, hi) | set(declared["start"])
        recent = recent[~recent["start"].isin(taken)]
        if not recent.empty:
            notes.append(t("fetch.note.recent_co2", count=len(recent)))
        parts.append(recent)
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else declared


def _prices(start: dt.date, end: dt.date, notes: list[str]) -> pd.DataFrame:
    frame = energidataservice.fetch_spot_prices(start, end)
    notes += frame.attrs.get("notes", [])
    return frame


def _weather(start: dt.date, end: dt.date, notes: list[str], explicit: bool) -> pd.DataFrame:
    parts = []
    for row in q.campuses_with_weather().itertuples():
        # Without dates each campus is asked only for its own missing days.
        first = start if explicit else max(start, _after(row.newest) or start)
        if first > end:
            continue
        part = openmeteo.fetch_daily_mean_temp(row.campus_id, float(row.lat), float(row.lon), first, end)
        notes += [f"{row.campus_id}: {n}" for n in part.attrs.get("notes", [])]
        parts.append(part)
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=openmeteo.WEATHER_COLUMNS)


def _eloverblik(start: dt.date, end: dt.date, notes: list[str], explicit: bool) -> pd.DataFrame:
    meters = q.linked_meters()
    columns = ["meter_id", "start", "end", "value", "quality"]
    if meters.empty:
        notes.append(t("fetch.note.no_gsrn"))
        return pd.DataFrame(columns=columns)
    meters = meters.assign(gsrn=meters["gsrn"].astype(str).str.strip())
    twice = meters[meters["gsrn"].duplicated(keep=False)]
    if not twice.empty:
        raise FetchArgumentError(t("fetch.gsrn_twice", gsrns=", ".join(sorted(set(twice["gsrn"])))))
    raw = eloverblik.fetch_timeseries(meters["gsrn"].tolist(), start, end)
    notes += raw.attrs.get("notes", [])
    frame = raw.merge(meters[["gsrn", "meter_id", "unit", "utility", "newest"]], on="gsrn", how="inner")
    # Production (A01, a roof PV plant's export) belongs to a solar_pv meter, consumption to any other:
    # a series of the other kind is left out and named, never added to the meter's use.
    wrong = (frame["kind"] == "production") != (frame["utility"] == "solar_pv")
    for (meter_id, gsrn, kind), rows in frame[wrong].groupby(["meter_id", "gsrn", "kind"]):
        notes.append(t("fetch.elo_wrong_kind." + ("production" if kind == "production" else "consumption"),
                       gsrn=gsrn, meter=meter_id, rows=len(rows)))
    frame = frame[~wrong]
    if not explicit:
        # Each meter only from its own first missing day (local midnight after its newest reading).
        own = frame["newest"].map(lambda d: local_window(_after(d), _after(d))[0] if _after(d) else pd.NaT)
        frame = frame[own.isna() | (frame["start"] >= own)]
    unusable = ~frame["unit"].isin(["kWh", "MWh"])
    if unusable.any():
        notes.append(t("fetch.note.not_kwh", meters=", ".join(sorted(set(frame.loc[unusable, "meter_id"])))))
        frame = frame[~unusable]
    # Eloverblik answers in kWh; a meter kept in MWh stores MWh.
    value = frame["value"].where(frame["unit"] == "kWh", frame["value"] * 0.001)
    return frame.assign(value=value)[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------- fetch

def fetch(source: str, start: dt.date | None = None, end: dt.date | None = None, *,
          user: str | None) -> FetchResult:
    """Fetch ``source`` (co2|prices|weather|eloverblik) for local dates [start, end] and store it as one batch.

    Raises FetchArgumentError (bad arguments or no Eloverblik token), ConnectorError (the service failed)
    or StoreRefused (the answer broke a dataset rule); in every case nothing was changed.
    """
    _check_source(source)
    if source == "eloverblik" and not (config.eloverblik_refresh_token() or "").strip():
        raise FetchArgumentError(t("conn.no_token", nothing="").strip())
    explicit = start is not None
    notes: list[str] = []
    start, end = _window(source, start, end, notes)
    dataset = DATASET[source]
    if start > end:  # summary_lines says so
        _record(source, user)
        return FetchResult(source, dataset, None, None, notes=notes)
    if source == "co2":
        frame = _co2(start, end, notes)
    elif source == "prices":
        frame = _prices(start, end, notes)
    elif source == "weather":
        frame = _weather(start, end, notes, explicit)
    else:
        frame = _eloverblik(start, end, notes, explicit)
    result = FetchResult(source, dataset, start, end, fetched=len(frame), notes=notes)
    if not frame.empty:
        parsed = importing.parse_table(dataset, frame, f"{source} {start.isoformat()}–{end.isoformat()}")
        if parsed.problems:
            raise StoreRefused("data.refused_rows", problems=list(parsed.problems))
        written = store.write(dataset, parsed.frame, replace=False, user=user, kind="fetch", note=source)
        c = written.counts
        result.batch_id, result.added, result.replaced, result.unchanged = (written.batch_id, c.added, c.replaced,
                                                                            c.unchanged)
    _record(source, user)
    return result


def _record(source: str, user: str | None) -> None:
    stamp = pd.Timestamp.now(tz="UTC").floor("s").isoformat()
    store.set_meta_value(META_PREFIX + source, stamp, user)


def last_fetch(source: str) -> pd.Timestamp | None:
    """When ``source`` was last fetched successfully (UTC), or None."""
    value = store.get_meta_value(META_PREFIX + source)
    return pd.Timestamp(value) if value else None


def summary_lines(result: FetchResult) -> list[str]:
    """The result in words (the CLI prints them; the Data page shows the same)."""
    source = t(f"fetch.source.{result.source}")
    span = {"start": fmt_date(result.start, "short"), "end": fmt_date(result.end, "short")}
    if result.start is None:
        lines = [t("fetch.up_to_date", source=source)]
    elif result.batch_id is None:
        lines = [t("fetch.unchanged", source=source, **span, fetched=result.fetched, unchanged=result.unchanged)]
    else:
        lines = [t("fetch.stored", source=source, **span, added=result.added, replaced=result.replaced,
                   unchanged=result.unchanged,
                   batch=result.batch_id)]
    return lines + [f"  {note}" for note in result.notes]
