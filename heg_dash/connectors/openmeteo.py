"""Open-Meteo historical weather archive: daily mean temperature per campus (no API key).

Request: ``GET {openmeteo_url}/v1/archive?latitude=&longitude=&start_date=&end_date=
&daily=temperature_2m_mean&timezone=Europe/Copenhagen``; answer ``daily.time[]`` and
``daily.temperature_2m_mean[]``. Days are Danish local days (the ``timezone`` parameter), matching the
degree-day convention.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import requests

from heg_dash import config
from heg_dash.connectors.http import failure, request_json, session, shape_error
from heg_dash.i18n import t

SERVICE = "Open-Meteo"
WEATHER_COLUMNS = ["campus_id", "date", "mean_temp_c"]


def fetch_daily_mean_temp(
    campus_id: str,
    lat: float,
    lon: float,
    start: date,
    end_inclusive: date,
    *,
    http: requests.Session | None = None,
) -> pd.DataFrame:
    """Daily mean 2 m temperature (°C) for one campus, local dates [start, end_inclusive].

    Columns: campus_id, date (datetime.date), mean_temp_c. Days the archive has no value for yet (it lags
    about 5 days) are left out; ``df.attrs["dropped_null"]`` counts them and ``df.attrs["notes"]`` says so.
    """
    if end_inclusive < start:
        raise ValueError(f"end {end_inclusive} is before start {start}")
    http = http or session()
    url = f"{config.settings().openmeteo_url}/v1/archive"
    params = {
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "start_date": start.isoformat(),
        "end_date": end_inclusive.isoformat(),
        "daily": "temperature_2m_mean",
        "timezone": config.TIMEZONE,
    }
    body = request_json(http, "GET", url, service=SERVICE, params=params)
    if isinstance(body, dict) and body.get("error") is True:  # Open-Meteo's own error shape
        raise failure("conn.service_error", service=SERVICE, reason=body.get("reason", "?"))
    daily = body.get("daily") if isinstance(body, dict) else None
    if not isinstance(daily, dict):
        raise shape_error(SERVICE, "no 'daily' block")
    days, temps = daily.get("time"), daily.get("temperature_2m_mean")
    if not isinstance(days, list) or not isinstance(temps, list) or len(days) != len(temps):
        raise shape_error(SERVICE, "'daily.time' and 'daily.temperature_2m_mean' are not lists of equal length")

    df = pd.DataFrame({"date": pd.to_datetime(pd.Series(days, dtype="object"), format="%Y-%m-%d").dt.date,
                       "mean_temp_c": pd.to_numeric(pd.Series(temps, dtype="object"), errors="coerce")})
    df = df[(df["date"] >= start) & (df["date"] <= end_inclusive)]
    nulls = df["mean_temp_c"].isna()
    dropped = int(nulls.sum())
    df = df[~nulls]
    out = pd.DataFrame({
        "campus_id": pd.Series([campus_id] * len(df), dtype="str"),
        "date": pd.Series(df["date"].tolist(), dtype="object"),
        "mean_temp_c": pd.Series(df["mean_temp_c"].to_numpy(), dtype="float64"),
    })
    out.attrs["dropped_null"] = dropped
    out.attrs["notes"] = (
        [t("conn.note.no_temperature", count=dropped)] if dropped else []
    )
    return out
