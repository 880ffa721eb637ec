"""Reads the connectors' fetch step needs: what is stored already (so a fetch asks only for what is missing).

Not cached: a fetch runs right after (or between) writes and must see the store as it is now. Days are
Danish local days (the store keeps UTC timestamps).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from heg_dash import config
from heg_dash.store import db

_TZ = config.TIMEZONE


def _day(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def newest_grid_co2_day(source: str, price_area: str = config.PRICE_AREA) -> dt.date | None:
    """The local day of the newest stored hour of ``source`` (declaration|co2emis|import) in ``price_area``."""
    row = db.read_df(f"SELECT max(timezone('{_TZ}', start)) AS d FROM grid_co2 WHERE source = ? AND price_area = ?",
                     [source, price_area])
    return _day(row["d"].iloc[0])


def declared_hours(first: pd.Timestamp, stop: pd.Timestamp, price_area: str = config.PRICE_AREA) -> set[pd.Timestamp]:
    """UTC hour starts in [first, stop) that hold a stored declaration value (a co2emis value never replaces it)."""
    rows = db.read_df("SELECT start FROM grid_co2 WHERE source = 'declaration' AND price_area = ? "
                      "AND start >= ? AND start < ?", [price_area, first.to_pydatetime(), stop.to_pydatetime()])
    stamps = pd.to_datetime(rows["start"])
    stamps = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
    return set(stamps)


def newest_spot_day(utility: str = "electricity") -> dt.date | None:
    """The local day of the newest stored spot price of ``utility``."""
    row = db.read_df(f"SELECT max(timezone('{_TZ}', start)) AS d FROM energy_prices WHERE kind = 'spot' "
                     "AND utility = ?", [utility])
    return _day(row["d"].iloc[0])


def campuses_with_weather() -> pd.DataFrame:
    """Campuses with coordinates and the newest stored weather day of each (NaT when none).

    Columns: campus_id, lat, lon, newest."""
    return db.read_df(
        "SELECT c.campus_id, c.lat, c.lon, max(w.date) AS newest FROM campuses c "
        "LEFT JOIN weather w ON w.campus_id = c.campus_id WHERE c.lat IS NOT NULL AND c.lon IS NOT NULL "
        "GROUP BY ALL ORDER BY c.campus_id")


def linked_meters() -> pd.DataFrame:
    """Meters linked to Eloverblik (a GSRN) and the local day of each one's newest stored reading.

    Columns: meter_id, gsrn, unit, utility, newest (NaT when none)."""
    return db.read_df(
        f"SELECT m.meter_id, m.gsrn, m.unit, m.utility, max(timezone('{_TZ}', r.start)) AS newest FROM meters m "
        "LEFT JOIN readings r ON r.meter_id = m.meter_id WHERE m.gsrn IS NOT NULL AND trim(m.gsrn) <> '' "
        "GROUP BY ALL ORDER BY m.meter_id")
