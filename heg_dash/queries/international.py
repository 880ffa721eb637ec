"""Reads behind the Internationalt page and the ``mobilities`` KPI section.

Mobilities are counted by participants, in the year their ``start_date`` falls in, and follow their own
``campus_id`` for the campus filter. Counts are summed in DuckDB; the per-mobility table adds what only
the metrics functions know (activity type, Erasmus+ distance band, travel CO₂e) to the year's rows,
which are few (a school has hundreds of mobilities a year, not thousands).

Functions built on another read call its cached form: the page asks for the same year's trips, details and
travel CO₂e several times, and each uncached read opens the database file again.
"""

from __future__ import annotations

import pandas as pd

from heg_dash.metrics.emissions import great_circle_km
from heg_dash.metrics.mobility import derive_activity, duration_days, erasmus_distance_bands, green_travel_share
from heg_dash.queries.cache import cached
from heg_dash.queries.overview import aarselever_by_year
from heg_dash.queries.travel import trips
from heg_dash.store import db

# Columns a page may count participants by (a closed list: it becomes part of the SQL).
DIMENSIONS = ("programme", "direction", "participant", "education_area", "country")


def _where(year: int | None, campus: str | None) -> tuple[str, list]:
    sql, params = " WHERE TRUE", []
    if year is not None:
        sql += " AND year(start_date) = ?"
        params.append(year)
    if campus:
        sql += " AND campus_id = ?"
        params.append(campus)
    return sql, params


@cached
def participants_by(dimension: str, campus: str | None = None) -> pd.DataFrame:
    """Participants per year of start and ``dimension`` (one of ``DIMENSIONS``): columns year, value, participants."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; known: {', '.join(DIMENSIONS)}")
    where, params = _where(None, campus)
    frame = db.read_df(
        f"SELECT year(start_date) AS year, {db.q(dimension)} AS value, sum(participants) AS participants "
        f"FROM exchanges{where} GROUP BY ALL ORDER BY year, value", params)
    return frame.astype({"year": int, "participants": int})


@cached
def participants_by_country(year: int, campus: str | None = None) -> pd.DataFrame:
    """Participants in ``year`` per country and direction: columns country, direction, participants."""
    where, params = _where(year, campus)
    frame = db.read_df(
        f"SELECT country, direction, sum(participants) AS participants FROM exchanges{where} "
        "GROUP BY ALL ORDER BY participants DESC, country, direction", params)
    return frame.astype({"participants": int})


@cached
def flows(year: int, campus: str | None = None) -> pd.DataFrame:
    """Participants in ``year`` per campus, destination city and direction, for the flow map.

    Columns: campus_id, campus_lat, campus_lon, direction, country, city, lat, lon, participants, mobilities.
    A city's coordinates are the mean of its mobilities' (they are normally the same).
    """
    where, params = _where(year, campus)
    where = where.replace("start_date", "e.start_date").replace("campus_id", "e.campus_id")
    frame = db.read_df(
        "SELECT e.campus_id, any_value(c.lat) AS campus_lat, any_value(c.lon) AS campus_lon, e.direction, e.country, "
        "e.city, avg(e.lat) AS lat, avg(e.lon) AS lon, sum(e.participants) AS participants, count(*) AS mobilities "
        f"FROM exchanges e LEFT JOIN campuses c ON c.campus_id = e.campus_id{where} "
        "GROUP BY e.campus_id, e.direction, e.country, e.city ORDER BY participants DESC, e.city", params)
    return frame.astype({"participants": int, "mobilities": int})


@cached
def mobility_details(year: int, campus: str | None = None) -> pd.DataFrame:
    """Every mobility starting in ``year`` with its derived facts.

    Adds to the stored columns: days (both ends included), activity (stored, else derived by the Erasmus+
    rules of ``metrics.mobility.derive_activity``), km (one-way great circle from the campus), distance_band
    (Erasmus+ band of those km) and co2e_kg (outbound only: 2 × km × participants × the year's travel factor;
    NaN for inbound, which is the partner's travel, and for a mode without a factor).
    """
    frame = trips(year, campus)
    if frame.empty:
        return frame.assign(days=pd.Series(dtype=int), km=pd.Series(dtype=float), distance_band=pd.Series(dtype=str),
                            co2e_kg=pd.Series(dtype=float))
    frame = frame.copy()
    frame["days"] = [duration_days(s, e) for s, e in zip(frame["start_date"], frame["end_date"], strict=True)]
    frame["activity"] = [
        derive_activity(p, s, e, a) for p, s, e, a in
        zip(frame["participant"], frame["start_date"], frame["end_date"], frame["activity"], strict=True)
    ]
    frame["km"] = great_circle_km(frame["origin_lat"], frame["origin_lon"], frame["lat"], frame["lon"])
    frame["distance_band"] = erasmus_distance_bands(frame["km"])
    # Travel CO₂e of outbound trips from the scope 3 rule's one place; inbound trips stay NaN.
    from heg_dash.queries.sustainability import travel_co2e as trips_co2e

    per_trip = trips_co2e(year, campus)[["exchange_id", "co2e_kg"]]
    return frame.merge(per_trip, on="exchange_id", how="left")


@cached
def durations_by_activity(year: int, campus: str | None = None) -> pd.DataFrame:
    """Per activity type in ``year``: mobilities, participants and the stay's days (mean, min, max).

    Grouped in pandas because the activity is derived per row by ``derive_activity``.
    """
    details = mobility_details(year, campus)
    if details.empty:
        return pd.DataFrame(columns=["activity", "mobilities", "participants", "mean_days", "min_days", "max_days"])
    return (details.groupby("activity", as_index=False)
            .agg(mobilities=("exchange_id", "count"), participants=("participants", "sum"),
                 mean_days=("days", "mean"), min_days=("days", "min"), max_days=("days", "max"))
            .sort_values("participants", ascending=False, ignore_index=True))


@cached
def distance_bands(year: int, campus: str | None = None) -> pd.DataFrame:
    """Participants in ``year`` per Erasmus+ distance band and direction (bands with mobilities only)."""
    details = mobility_details(year, campus)
    if details.empty:
        return pd.DataFrame(columns=["distance_band", "direction", "participants"])
    return details.groupby(["distance_band", "direction"], as_index=False)["participants"].sum()


@cached
def travel_co2e(year: int, campus: str | None = None) -> dict:
    """Travel CO₂e of the outbound mobilities starting in ``year``, summed by travel mode.

    Built on ``queries.sustainability.travel_co2e`` (one row per trip), the one place of the scope 3
    travel rule. Keys: total_kg and total_t (None without outbound trips, or when no trip has a factor),
    by_mode (DataFrame: travel_mode, participants, person_km, co2e_kg), modes_without_factor (sorted list).
    """
    from heg_dash.queries.sustainability import travel_co2e as trips_co2e

    per_trip = trips_co2e(year, campus)
    if per_trip.empty:
        empty = pd.DataFrame(columns=["travel_mode", "participants", "person_km", "co2e_kg"])
        return {"total_kg": None, "total_t": None, "by_mode": empty, "modes_without_factor": []}
    frame = per_trip.assign(person_km=2 * per_trip["km_one_way"] * per_trip["participants"])
    by_mode = frame.groupby("travel_mode", as_index=False).agg(
        participants=("participants", "sum"), person_km=("person_km", "sum"),
        co2e_kg=("co2e_kg", lambda s: s.sum(min_count=1)))
    missing = sorted(set(frame.loc[frame["co2e_kg"].isna(), "travel_mode"]))
    total = frame["co2e_kg"].sum(min_count=1)
    return {"total_kg": None if pd.isna(total) else float(total),
            "total_t": None if pd.isna(total) else float(total) / 1000, "by_mode": by_mode,
            "modes_without_factor": missing}


@cached
def yearly_shares(campus: str | None = None) -> pd.DataFrame:
    """Per year of start: outbound student participants, årselever, the share of students with a stay abroad
    and the green-travel share.

    - Stay-abroad share = outbound student participants ÷ årselever of the same year and campus. A student
      who goes twice counts twice, and årselever are full-time equivalents, so it is an approximation of
      "students with a stay abroad"; None without årselever.
    - Green-travel share = ``metrics.mobility.green_travel_share`` of the year's exchanges.
    """
    where, params = _where(None, campus)
    rows = db.read_df(f"SELECT * EXCLUDE (batch_id), year(start_date) AS year FROM exchanges{where}", params)
    students = aarselever_by_year(campus)
    out = []
    for year, group in rows.groupby("year"):
        outbound_students = int(group.loc[(group["direction"] == "out") & (group["participant"] == "student"),
                                          "participants"].sum())
        aarselever = students.get(year)
        out.append({
            "year": int(year), "outbound_students": outbound_students,
            "aarselever": None if aarselever is None or pd.isna(aarselever) else float(aarselever),
            "stay_abroad_share": outbound_students / float(aarselever) if aarselever and not pd.isna(aarselever)
            else None,
            "green_travel_share": green_travel_share(group),
        })
    return pd.DataFrame(out, columns=["year", "outbound_students", "aarselever", "stay_abroad_share",
                                      "green_travel_share"]).astype({"stay_abroad_share": float,
                                                                     "green_travel_share": float})
