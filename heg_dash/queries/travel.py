"""Exchanges as trips: where each mobility went from, for distances and travel CO₂e."""

from __future__ import annotations

import pandas as pd

from heg_dash.queries.cache import cached
from heg_dash.store import db


@cached
def trips(year: int | None = None, campus: str | None = None, direction: str | None = None) -> pd.DataFrame:
    """Exchanges with their campus's coordinates as the origin, counted in the year of ``start_date``.

    Columns: every exchanges column, plus origin_lat, origin_lon (the campus). ``year``/``campus``/
    ``direction`` filter when given.
    """
    sql = ("SELECT e.* EXCLUDE (batch_id), c.lat AS origin_lat, c.lon AS origin_lon FROM exchanges e "
           "LEFT JOIN campuses c ON c.campus_id = e.campus_id WHERE TRUE")
    params: list = []
    if year is not None:
        sql += " AND year(e.start_date) = ?"
        params.append(year)
    if campus:
        sql += " AND e.campus_id = ?"
        params.append(campus)
    if direction:
        sql += " AND e.direction = ?"
        params.append(direction)
    return db.read_df(sql + " ORDER BY e.start_date, e.exchange_id", params)
