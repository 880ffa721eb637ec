"""Energi Data Service (Energinet): hourly grid CO₂ intensity and spot prices for a price area.

Request: ``GET {eds_url}/dataset/{Dataset}?start=&end=&filter={"PriceArea":["DK1"]}&sort=&limit=0``.

Time window: the callers give Danish local dates, end inclusive, so the window is local midnight of
``start`` to local midnight after ``end_inclusive`` (23, 24 or 25 hours a day around DST). EDS reads
``start``/``end`` as Danish local time by default (its API guide; start included, end excluded), so we
send local ``YYYY-MM-DDT00:00`` strings and no ``timezone`` parameter. The timestamps we return come from
the records' UTC fields (``HourUTC``, ``Minutes5UTC``, ``TimeUTC``) and are filtered again to the exact
UTC window, so a server that reads the bounds differently can never leak a neighbouring hour in.

Paging: ``limit=0`` asks for every record; if the answer still holds fewer than ``total`` records, the
rest is fetched with ``offset``. A page that brings no record not seen before stops the fetch with an error,
and so do more than ``MAX_PAGES`` pages, so a server that ignores ``offset`` or promises a ``total`` it never
delivers cannot keep a cron job running.

Each function returns a DataFrame in its dataset's column shape (see heg_dash.datasets) and puts
human-readable remarks (rows left out and why) in ``df.attrs["notes"]``.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import requests

from heg_dash import config
from heg_dash.connectors.http import failure, request_json, session, shape_error
from heg_dash.i18n import t

SERVICE = "Energi Data Service"
DECLARATION_METHOD = "125%"  # the Danish declaration convention for combined heat and power
# Since 2025-10-01 the day-ahead market settles quarter-hours (DayAheadPrices); Elspotprices ends the day before.
QUARTER_HOUR_FROM = date(2025, 10, 1)
PAGE_LIMIT = 0  # 0 = every record in the window
MAX_PAGES = 50  # a year of 5-minute CO2Emis is one page; 50 is far beyond any honest answer

GRID_CO2_COLUMNS = ["start", "price_area", "g_co2e_per_kwh", "source"]
PRICE_COLUMNS = ["utility", "start", "end", "dkk_per_unit", "unit", "kind", "source"]


def local_window(start: date, end_inclusive: date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[local midnight of start, local midnight after end_inclusive) as UTC timestamps."""
    if end_inclusive < start:
        raise ValueError(f"end {end_inclusive} is before start {start}")
    # Danish DST switches at 02:00/03:00, so local midnight always exists exactly once.
    a = pd.Timestamp(start).tz_localize(config.TIMEZONE).tz_convert("UTC")
    b = pd.Timestamp(end_inclusive + timedelta(days=1)).tz_localize(config.TIMEZONE).tz_convert("UTC")
    return a, b


def fetch_records(
    dataset: str,
    start: date,
    end_inclusive: date,
    price_area: str,
    sort: str,
    *,
    http: requests.Session | None = None,
) -> list[dict]:
    """All records of ``dataset`` for the local dates [start, end_inclusive] in ``price_area``, paged."""
    http = http or session()
    url = f"{config.settings().eds_url}/dataset/{dataset}"
    params: dict[str, str | int] = {
        "start": f"{start.isoformat()}T00:00",
        "end": f"{(end_inclusive + timedelta(days=1)).isoformat()}T00:00",
        "filter": json.dumps({"PriceArea": [price_area]}, separators=(",", ":")),
        "sort": sort,
        "limit": PAGE_LIMIT,
    }
    records: list[dict] = []
    seen: set[str] = set()
    for page_no in range(1, MAX_PAGES + 1):
        if records:
            params["offset"] = len(records)
        body = request_json(http, "GET", url, service=SERVICE, params=params)
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise shape_error(SERVICE, f"no 'records' list in the answer for {dataset}")
        page = body["records"]
        total = body.get("total")
        keys = {json.dumps(r, sort_keys=True, default=str) for r in page}
        if page and not keys - seen:
            raise failure("conn.same_page", service=SERVICE, count=len(page), dataset=dataset, page=page_no,
                          offset=len(records), total=total)
        seen |= keys
        records.extend(page)
        # Stop when the server says we have all, or when it has nothing more to give.
        if not page or not isinstance(total, int) or len(records) >= total:
            return records
    raise failure("conn.too_many_pages", service=SERVICE, pages=MAX_PAGES, dataset=dataset, got=len(records),
                  total=total)


def _frame(records: list[dict], dataset: str, fields: list[str]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records)
    missing = [f for f in fields if f not in df.columns]
    if records and missing:
        raise shape_error(SERVICE, f"{dataset} records lack the field(s) {', '.join(missing)}")
    if not records:
        df = pd.DataFrame({f: pd.Series(dtype="object") for f in fields})
    return df


TS_DTYPE = "datetime64[us, UTC]"


def _utc(values: pd.Series) -> pd.Series:
    # EDS writes UTC fields without an offset ("2024-10-26T22:00:00"); utc=True pins them to UTC.
    return pd.to_datetime(values, utc=True, format="ISO8601").astype(TS_DTYPE)


def _in_window(ts: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    return (ts >= window[0]) & (ts < window[1])


def _empty_grid_co2() -> pd.DataFrame:
    return pd.DataFrame({
        "start": pd.Series(dtype=TS_DTYPE),
        "price_area": pd.Series(dtype="str"),
        "g_co2e_per_kwh": pd.Series(dtype="float64"),
        "source": pd.Series(dtype="str"),
    })


def _grid_co2_frame(start: pd.Series, price_area: str, values: pd.Series, source: str) -> pd.DataFrame:
    if start.empty:
        return _empty_grid_co2()
    out = pd.DataFrame({
        "start": start.reset_index(drop=True).astype(TS_DTYPE),
        "price_area": price_area,
        "g_co2e_per_kwh": values.astype("float64").reset_index(drop=True),
        "source": source,
    })
    return out.sort_values("start", ignore_index=True)


def fetch_grid_co2(
    start: date, end_inclusive: date, price_area: str = config.PRICE_AREA, *, http: requests.Session | None = None
) -> pd.DataFrame:
    """Hourly grid CO₂ intensity (g/kWh) from ``DeclarationGridEmission``, the 125 % method, source "declaration".

    Columns: start (tz-aware UTC, hour start), price_area, g_co2e_per_kwh, source. Local dates, end
    inclusive; a DST day has 23 or 25 rows. Hours with a null CO2PerkWh are left out and counted in notes.
    """
    dataset = "DeclarationGridEmission"
    window = local_window(start, end_inclusive)
    recs = fetch_records(dataset, start, end_inclusive, price_area, "HourUTC asc", http=http)
    df = _frame(recs, dataset, ["HourUTC", "PriceArea", "FuelAllocationMethod", "CO2PerkWh"])
    notes: list[str] = []
    # The dataset has one row per allocation method (125 %, 200 %, Actual): keep the declaration's 125 %.
    df = df[(df["FuelAllocationMethod"] == DECLARATION_METHOD) & (df["PriceArea"] == price_area)]
    ts = _utc(df["HourUTC"])
    keep = _in_window(ts, window)
    df, ts = df[keep], ts[keep]
    nulls = df["CO2PerkWh"].isna()
    if nulls.any():
        notes.append(t("conn.note.no_co2", count=int(nulls.sum())))
    df, ts = df[~nulls], ts[~nulls]
    out = _grid_co2_frame(ts, price_area, df["CO2PerkWh"], "declaration")
    out = out.drop_duplicates("start", keep="last", ignore_index=True)
    out.attrs["notes"] = notes
    return out


def fetch_grid_co2_recent(
    start: date, end_inclusive: date, price_area: str = config.PRICE_AREA, *, http: requests.Session | None = None
) -> pd.DataFrame:
    """Hourly grid CO₂ intensity from ``CO2Emis`` (5-minute values, g/kWh), source "co2emis".

    For recent hours the declaration is not published yet. Rule: an hour's value is the mean of its
    5-minute values; the newest hour is left out until all 12 are in (it is still being filled), and an
    older hour with a gap is averaged over the values it has. Columns as :func:`fetch_grid_co2`.
    """
    dataset = "CO2Emis"
    window = local_window(start, end_inclusive)
    recs = fetch_records(dataset, start, end_inclusive, price_area, "Minutes5UTC asc", http=http)
    df = _frame(recs, dataset, ["Minutes5UTC", "PriceArea", "CO2Emission"])
    notes: list[str] = []
    df = df[df["PriceArea"] == price_area]
    ts = _utc(df["Minutes5UTC"])
    keep = _in_window(ts, window) & df["CO2Emission"].notna()
    if ts.empty or not keep.any():
        out = _empty_grid_co2()
        out.attrs["notes"] = notes
        return out
    hourly = (
        pd.DataFrame({"hour": ts[keep].dt.floor("h"), "v": df.loc[keep, "CO2Emission"].astype("float64")})
        .groupby("hour")["v"]
        .agg(["mean", "count"])
    )
    newest = hourly.index.max()
    if hourly.loc[newest, "count"] < 12:
        hourly = hourly.drop(index=newest)
        notes.append(t("conn.note.incomplete_hour", hour=f"{newest:%Y-%m-%d %H:%M}"))
    out = _grid_co2_frame(pd.Series(hourly.index), price_area, hourly["mean"], "co2emis")
    out.attrs["notes"] = notes
    return out


def _empty_prices() -> pd.DataFrame:
    return pd.DataFrame({
        "utility": pd.Series(dtype="str"),
        "start": pd.Series(dtype=TS_DTYPE),
        "end": pd.Series(dtype=TS_DTYPE),
        "dkk_per_unit": pd.Series(dtype="float64"),
        "unit": pd.Series(dtype="str"),
        "kind": pd.Series(dtype="str"),
        "source": pd.Series(dtype="str"),
    })


def _prices(
    dataset: str, time_field: str, price_field: str, length: timedelta,
    start: date, end_inclusive: date, price_area: str, http: requests.Session, notes: list[str],
) -> pd.DataFrame:
    window = local_window(start, end_inclusive)
    recs = fetch_records(dataset, start, end_inclusive, price_area, f"{time_field} asc", http=http)
    df = _frame(recs, dataset, [time_field, "PriceArea", price_field])
    df = df[df["PriceArea"] == price_area]
    ts = _utc(df[time_field])
    keep = _in_window(ts, window)
    df, ts = df[keep], ts[keep]
    nulls = df[price_field].isna()
    if nulls.any():
        notes.append(f"{int(nulls.sum())} {dataset} interval(s) without {price_field} left out")
    df, ts = df[~nulls], ts[~nulls]
    if ts.empty:
        return _empty_prices()
    ts = ts.reset_index(drop=True)
    return pd.DataFrame({
        "utility": "electricity",
        "start": ts,
        "end": ts + length,
        # EDS prices are DKK per MWh; the dataset stores DKK per kWh.
        "dkk_per_unit": df[price_field].astype("float64").reset_index(drop=True) / 1000.0,
        "unit": "kWh",
        "kind": "spot",
        "source": f"{SERVICE} {dataset}",
    })


def fetch_spot_prices(
    start: date, end_inclusive: date, price_area: str = config.PRICE_AREA, *, http: requests.Session | None = None
) -> pd.DataFrame:
    """Day-ahead spot prices in DKK per kWh (excl. VAT, tariffs and taxes) for local dates, end inclusive.

    Dates before 2025-10-01 come from ``Elspotprices`` (hourly, SpotPriceDKK), from 2025-10-01 on from
    ``DayAheadPrices`` (quarter-hours, DayAheadPriceDKK); a range across that date is split in two requests.
    Columns: utility="electricity", start, end (UTC), dkk_per_unit (= DKK/MWh ÷ 1000), unit="kWh",
    kind="spot", source. Spot alone is not the cost of electricity: tariffs and taxes come on top.
    """
    local_window(start, end_inclusive)  # validates the order of the dates
    http = http or session()
    notes: list[str] = []
    parts = []
    if start < QUARTER_HOUR_FROM:
        last = min(end_inclusive, QUARTER_HOUR_FROM - timedelta(days=1))
        parts.append(_prices("Elspotprices", "HourUTC", "SpotPriceDKK", timedelta(hours=1),
                             start, last, price_area, http, notes))
    if end_inclusive >= QUARTER_HOUR_FROM:
        first = max(start, QUARTER_HOUR_FROM)
        parts.append(_prices("DayAheadPrices", "TimeUTC", "DayAheadPriceDKK", timedelta(minutes=15),
                             first, end_inclusive, price_area, http, notes))
    parts = [p for p in parts if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else _empty_prices()
    out = out.sort_values("start", ignore_index=True).drop_duplicates("start", keep="last", ignore_index=True)
    out.attrs["notes"] = notes
    return out


__all__ = [
    "QUARTER_HOUR_FROM",
    "fetch_grid_co2",
    "fetch_grid_co2_recent",
    "fetch_records",
    "fetch_spot_prices",
    "local_window",
]
