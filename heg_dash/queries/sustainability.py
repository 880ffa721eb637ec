"""CO₂e accounting and SDG reads: what the Bæredygtighed page, the KPIs and the scorecard read through.

The CO₂e ledger (GHG Protocol, dual reporting of scope 2):

- Scope 1, own combustion: gas and oil, the meters' use in their own unit × the ``emission_factors`` row of
  that utility (gas metered in Nm3 goes with a factor per Nm3; a unit that cannot be converted without a
  calorific value is reported, not guessed).
- Scope 2, electricity location-based: the hourly DK1 grid intensity (``grid_co2``; declaration before
  co2emis before import when several sources cover an hour) × the hourly use, matched hour by hour by
  ``metrics.emissions.location_based_electricity_kg``; hours without an intensity take the year's
  electricity/location factor, and their number is reported. Market-based: the use × the year's
  electricity/market factor. District heating: its own factor (its market row when there is one, else its
  location row, under the market-based total).
- Scope 3: business travel, outbound exchanges only (the round trip counted once): 2 × the one-way
  great-circle km × participants × the travel mode's factor (``metrics.emissions.travel_co2e_kg``); and
  water supply (category 1) when a water factor is stored, the m3 × that factor.

Factors are data: each row of the ledger carries the factor, its year and its source. Scope 1 and scope 3
are the same under both scope 2 methods.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from heg_dash.config import PRICE_AREA
from heg_dash.metrics import emissions
from heg_dash.metrics.footprint import kg_per_kwh, quantity_in_factor_unit
from heg_dash.queries import overview, travel, usage
from heg_dash.queries.cache import cached
from heg_dash.store import db
from heg_dash.store.rollup import GRID_RANK_SQL

LEDGER_COLUMNS = ["campus_id", "scope", "source", "method", "quantity", "unit", "factor", "factor_year",
                  "factor_source", "kg"]
METHODS = ("location", "market")
# The order sources are listed and stacked in (scope 1, 2, 3).
SOURCE_ORDER = ("gas", "oil", "electricity", "district_heating", "water", "travel_air", "travel_train",
                "travel_bus", "travel_car", "travel_mixed")


@dataclass(frozen=True)
class Ledger:
    """CO₂e of one period (and campus) by campus, scope, source and scope 2 method, with its notes."""

    rows: pd.DataFrame  # LEDGER_COLUMNS; kg in kilograms
    first_day: dt.date
    last_day: dt.date
    hours_with_use: int = 0  # hours of electricity use in the period (school-wide or the campus)
    hours_without_intensity: int = 0  # of those, hours that took the yearly location factor
    fallback: dict | None = None  # the electricity/location factor row used for those hours
    unconverted: tuple[tuple[str, str, str], ...] = ()  # (utility, meter unit, reason) left out of the sums
    trips_without_factor: int = 0  # outbound trips whose travel mode has no factor
    trips: int = 0  # outbound trips counted
    factors_used: tuple[tuple[str, str, int, float, str, str], ...] = field(default_factory=tuple)
    # (utility, method, year, kg per unit, unit, source) of every factor row used

    def tonnes(self, method: str = "location", scope: int | None = None) -> float | None:
        """Tonnes CO₂e under one scope 2 method, for one scope or all; None when nothing was computed."""
        rows = self.rows[self.rows["method"] == method]
        if scope is not None:
            rows = rows[rows["scope"] == scope]
        rows = rows.dropna(subset=["kg"])
        return None if rows.empty else math.fsum(rows["kg"]) / 1000


def period(year: int, last_day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """1 January to 31 December of ``year``, or to ``last_day`` for a year to date."""
    return dt.date(year, 1, 1), last_day or dt.date(year, 12, 31)


@cached
def grid_intensity(first_day: dt.date, last_day: dt.date, price_area: str = PRICE_AREA) -> pd.DataFrame:
    """Grid intensity per UTC hour of the local period, in g CO₂e per kWh.

    When several sources cover an hour only the best one counts (declaration, then co2emis, then import or
    no source); its values within the hour (5-minute co2emis data) are averaged. Columns: start, g_co2e_per_kwh.
    """
    lo, hi = usage.local_bounds(first_day, last_day)
    return db.read_df(
        f"""
        WITH g AS (
            SELECT {usage.utc_hour_sql('start')} AS hour, g_co2e_per_kwh, {GRID_RANK_SQL} AS rank
            FROM grid_co2 WHERE price_area = ? AND start >= ? AND start < ? AND g_co2e_per_kwh IS NOT NULL
        )
        SELECT hour AS start, avg(g_co2e_per_kwh) AS g_co2e_per_kwh
        FROM (SELECT * FROM g QUALIFY rank = min(rank) OVER (PARTITION BY hour))
        GROUP BY hour ORDER BY hour
        """,
        [price_area, lo, hi],
    )


@cached
def travel_co2e(year: int, campus: str | None = None, until: dt.date | None = None) -> pd.DataFrame:
    """Business-travel CO₂e of the outbound exchanges starting in ``year`` (up to ``until`` when given).

    One row per outbound exchange: exchange_id, campus_id, start_date, participant, participants,
    travel_mode, country, city, km_one_way (great-circle from the home campus), factor_kg_per_pkm (the
    year's ``travel_<mode>`` factor; NaN without one), co2e_kg (2 × km_one_way × participants × factor, by
    ``metrics.emissions.travel_co2e_kg``; NaN without a factor). Inbound guests' journeys are not the
    school's travel and are left out. The same rule as the scope 3 travel rows of ``co2e_ledger``.
    """
    trips = travel.trips.uncached(year, campus, "out")
    if until is not None:
        trips = trips[pd.to_datetime(trips["start_date"]).dt.date <= until]
    lookup = _Factors(factor_rows.uncached(), year)
    mode_factors = {}
    for mode in trips["travel_mode"].dropna().unique():
        factor = lookup.get(f"travel_{mode}", "location")
        if factor is not None:
            mode_factors[str(mode)] = factor["kg_co2e_per_unit"]
    out = trips[["exchange_id", "campus_id", "start_date", "participant", "participants", "travel_mode", "country",
                 "city"]].reset_index(drop=True)
    trips = trips.reset_index(drop=True)
    out["km_one_way"] = emissions.great_circle_km(trips["origin_lat"], trips["origin_lon"], trips["lat"], trips["lon"])
    out["factor_kg_per_pkm"] = trips["travel_mode"].map(mode_factors).astype(float)
    out["co2e_kg"] = emissions.travel_co2e_kg(trips, mode_factors)
    return out


@cached
def factor_rows() -> pd.DataFrame:
    """Every stored emission factor row (utility, year, kg_co2e_per_unit, unit, method, source)."""
    return db.read_df("SELECT utility, year, kg_co2e_per_unit, unit, method, source FROM emission_factors "
                      "ORDER BY utility, method, year")


def pick_factor(rows: pd.DataFrame, utility: str, year: int, method: str) -> dict | None:
    """The factor row that applies, by the rule of ``queries.factors.emission_factor`` (a test holds the two
    equal): the year itself, else the newest earlier year, else the oldest later one. One read of the table
    serves a whole series of years instead of one database round trip per lookup.
    """
    found = rows[(rows["utility"] == utility) & (rows["method"] == method)]
    if found.empty:
        return None
    order = pd.DataFrame({"later": found["year"] > year, "distance": (found["year"] - year).abs()})
    row = found.loc[order.sort_values(["later", "distance"], kind="stable").index[0]]
    return {"kg_co2e_per_unit": float(row["kg_co2e_per_unit"]), "unit": str(row["unit"]),
            "source": str(row["source"]), "year": int(row["year"])}


class _Factors:
    """Factor lookups for one year that remember which rows were used (for the method notes).

    The table is grouped once by (utility, method), so a lookup filters a handful of rows, not the table.
    """

    def __init__(self, rows: pd.DataFrame | dict, year: int) -> None:
        self.groups = rows if isinstance(rows, dict) else group_factors(rows)
        self.year, self.used = year, {}

    def get(self, utility: str, method: str) -> dict | None:
        rows = self.groups.get((utility, method))
        row = None if rows is None else pick_factor(rows, utility, self.year, method)
        if row is not None:
            self.used[(utility, method)] = (utility, method, row["year"], row["kg_co2e_per_unit"], row["unit"],
                                            row["source"])
        return row


def group_factors(rows: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """The factor table split by (utility, method)."""
    return {(str(u), str(m)): group for (u, m), group in rows.groupby(["utility", "method"], sort=False)}


def _row(campus: str, scope: int, source: str, method: str, quantity: float | None, unit: str,
         factor: float | None, factor_year: int | None, factor_source: str, kg: float | None) -> dict:
    return dict(zip(LEDGER_COLUMNS, (campus, scope, source, method, quantity, unit, factor, factor_year,
                                     factor_source, kg), strict=True))


def _metered_rows(by_meter: pd.DataFrame, lookup: _Factors, unconverted: list) -> list[dict]:
    """Scope 1, district heating, water and market-based electricity from the metered totals.

    Each meter's use is put in its factor's unit, then summed per campus and utility (main meters only).
    """
    rows: list[dict] = []
    main = by_meter[by_meter["parent_meter_id"].isna()]
    for (campus, utility), meters in main.groupby(["campus_id", "utility"], sort=True):
        scope = emissions.scope_of(str(utility))
        if scope is None:  # own PV production has no emissions to count (and is never netted)
            continue
        # Location-based electricity is computed hour by hour elsewhere.
        for method in ("market",) if utility == "electricity" else METHODS:
            # Only scope 2 differs between the methods; district heating falls back to its location row.
            factor = lookup.get(str(utility), method if scope == 2 else "location")
            if factor is None and scope == 2 and utility != "electricity":
                factor = lookup.get(str(utility), "location")
            reported = method == "location" or utility == "electricity"  # note each problem once
            if factor is None:
                if reported:
                    unconverted.append((str(utility), ", ".join(sorted(meters["unit"].unique())), "no_factor"))
                continue
            quantities = [quantity_in_factor_unit(m.native, m.unit, m.kwh, factor["unit"]) for m in meters.itertuples()]
            for m, quantity in zip(meters.itertuples(), quantities, strict=True):
                if quantity is None and reported:
                    unconverted.append((str(utility), str(m.unit), "unit:" + factor["unit"]))
            known = [q for q in quantities if q is not None]
            if not known:
                continue
            quantity = math.fsum(known)
            rows.append(_row(str(campus), scope, str(utility), method, quantity, factor["unit"],
                             factor["kg_co2e_per_unit"], factor["year"], factor["source"],
                             quantity * factor["kg_co2e_per_unit"]))
    return rows


def _travel_rows(trips: pd.DataFrame, lookup: _Factors) -> tuple[list[dict], int]:
    """Scope 3 business travel per campus and mode from outbound trips; and how many trips lack a factor."""
    mode_factors = {}
    for mode in sorted(trips["travel_mode"].dropna().unique()):
        factor = lookup.get(f"travel_{mode}", "location")
        if factor is not None:
            mode_factors[str(mode)] = factor
    kg = emissions.travel_co2e_kg(trips, {m: f["kg_co2e_per_unit"] for m, f in mode_factors.items()})
    km = emissions.great_circle_km(trips["origin_lat"], trips["origin_lon"], trips["lat"], trips["lon"])
    frame = pd.DataFrame({"campus_id": trips["campus_id"], "mode": trips["travel_mode"], "kg": kg,
                          "pkm": 2 * km * pd.to_numeric(trips["participants"])}).dropna(subset=["kg"])
    rows = []
    for (campus, mode), group in frame.groupby(["campus_id", "mode"], sort=True):
        factor = mode_factors[str(mode)]
        for method in METHODS:
            rows.append(_row(str(campus), 3, f"travel_{mode}", method, float(group["pkm"].sum()), "pkm",
                             factor["kg_co2e_per_unit"], factor["year"], factor["source"], float(group["kg"].sum())))
    return rows, int(kg.isna().sum())


def _ledger(first_day: dt.date, last_day: dt.date, by_meter: pd.DataFrame, location: pd.DataFrame,
            trips: pd.DataFrame, rows_of_factors: dict) -> Ledger:
    """One period's ledger from its inputs (``location``: the period's rows of ``_location_by_year``)."""
    lookup = _Factors(rows_of_factors, first_day.year)
    unconverted: list[tuple[str, str, str]] = []
    rows = _metered_rows(by_meter, lookup, unconverted)

    # Scope 2 electricity, location-based: hour by hour per campus (the hours without an intensity take the
    # year's location factor); the school's hours counted once.
    hours_with_use = hours_without = 0
    fallback_row = None
    campuses = sorted(by_meter.loc[(by_meter["utility"] == "electricity") & by_meter["parent_meter_id"].isna(),
                                   "campus_id"].unique())
    if campuses:
        fallback_row = lookup.get("electricity", "location")
        fallback = kg_per_kwh(fallback_row["kg_co2e_per_unit"], fallback_row["unit"]) if fallback_row else None
        per_campus = location[location["campus_id"].notna()].set_index("campus_id")
        for campus_id in campuses:
            if campus_id not in per_campus.index:
                continue
            use = per_campus.loc[campus_id]
            kwh = float(use["kwh"]) if pd.notna(use["kwh"]) else 0.0
            kg = emissions.location_based_from_sums(use["kg_with_grid"], use["kwh_without_grid"],
                                                    int(use["hours_without_grid"]), fallback)
            if kg is None:
                unconverted.append(("electricity", "kWh", "no_factor"))
                continue
            rows.append(_row(str(campus_id), 2, "electricity", "location", kwh, "kWh", kg / kwh if kwh else None,
                             first_day.year, f"grid_co2 {PRICE_AREA}", kg))
        school = location[location["campus_id"].isna()]
        if not school.empty:
            hours_with_use = int(school["hours"].iloc[0])
            hours_without = int(school["hours_without_grid"].iloc[0])

    # Scope 3 business travel: outbound trips that start in the period.
    starts = pd.to_datetime(trips["start_date"]).dt.date
    trips = trips[(starts >= first_day) & (starts <= last_day)]
    travel_rows, without_factor = _travel_rows(trips, lookup)
    rows += travel_rows

    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    order = {s: i for i, s in enumerate(SOURCE_ORDER)}
    frame = frame.sort_values(["scope", "source", "campus_id", "method"], key=lambda c: c.map(order).fillna(99)
                              if c.name == "source" else c).reset_index(drop=True)
    return Ledger(
        rows=frame, first_day=first_day, last_day=last_day, hours_with_use=hours_with_use,
        hours_without_intensity=int(hours_without), fallback=fallback_row, unconverted=tuple(sorted(set(unconverted))),
        trips_without_factor=without_factor, trips=int(len(trips)), factors_used=tuple(sorted(lookup.used.values())),
    )


def _day_ranges(periods: tuple[tuple[dt.date, dt.date], ...], params: list) -> str:
    params += [d for period in periods for d in period]
    return " OR ".join(["(d.day BETWEEN ? AND ?)"] * len(periods))


def _use_by_meter_and_year(periods: tuple[tuple[dt.date, dt.date], ...], campus: str | None) -> pd.DataFrame:
    """``usage.use_by_meter`` for several periods in one query (one row per local year and meter).

    The same per-day sums, unit and campus rules (``usage.kwh_sql``, meter → building → campus), grouped
    by the local year; one database round trip instead of one per year.
    """
    params: list = []
    ranges = _day_ranges(periods, params)
    scope = usage.scope_sql(campus, None, params)
    return db.read_df(
        f"""
        SELECT year(d.day) AS year, m.meter_id, b.building_id, b.campus_id, m.utility, m.unit, m.parent_meter_id,
               sum(d.value) AS native, sum({usage.kwh_sql("d.value")}) AS kwh, sum(d.readings)::BIGINT AS readings
        {usage.DAILY_FROM}
        WHERE ({ranges}) {scope}
        GROUP BY ALL ORDER BY year, m.meter_id
        """,
        params,
    )


def _location_by_year(periods: tuple[tuple[dt.date, dt.date], ...], campus: str | None) -> pd.DataFrame:
    """Electricity of the main meters matched hour by hour with the grid intensity, per local year.

    From the per-day sums of ``heg_dash.store.rollup`` (which apply the rule of
    ``metrics.emissions.location_based_electricity_kg``; a test holds the two equal): per year and campus
    the kWh, the kg of the hours that have an intensity, the kWh of the hours without one, and the number
    of hours with use and without an intensity (each hour counted once however many meters had use in it).
    A row with campus_id NULL is the whole school (or the chosen campus): its hours counted once.
    Columns: year, campus_id, kwh, kg_with_grid, kwh_without_grid, hours, hours_without_grid.
    """
    params: list = []
    ranges = _day_ranges(periods, params)
    scope = usage.scope_sql(campus, None, params)
    energy = f"m.unit IN {usage.ENERGY_UNITS_SQL}"
    return db.read_df(
        f"""
        WITH per_day AS (
            SELECT year(d.day) AS year, b.campus_id, d.day, grouping(b.campus_id) AS school,
                   sum({usage.kwh_sql("d.value")}) AS kwh,
                   sum({usage.kwh_sql("d.grid_weighted")}) / 1000 AS kg_with_grid,
                   sum({usage.kwh_sql("d.value_without_grid")}) AS kwh_without_grid,
                   bit_count(bit_or(d.hours) FILTER (WHERE {energy})) AS hours,
                   bit_count(bit_or(d.hours_without_grid) FILTER (WHERE {energy})) AS hours_without_grid
            {usage.DAILY_FROM}
            WHERE m.utility = 'electricity' AND m.parent_meter_id IS NULL AND ({ranges}) {scope}
            GROUP BY GROUPING SETS ((year(d.day), b.campus_id, d.day), (year(d.day), d.day))
        )
        SELECT year, CASE WHEN school = 0 THEN campus_id END AS campus_id, sum(kwh) AS kwh,
               sum(kg_with_grid) AS kg_with_grid, sum(kwh_without_grid) AS kwh_without_grid,
               sum(hours)::BIGINT AS hours, sum(hours_without_grid)::BIGINT AS hours_without_grid
        FROM per_day GROUP BY year, school, campus_id ORDER BY year, school, campus_id
        """,
        params,
    )


@cached
def co2e_ledgers(periods: tuple[tuple[dt.date, dt.date], ...], campus: str | None = None) -> dict[int, Ledger]:
    """The CO₂e ledgers of several local periods (each within one year; keyed by that year), read in one go.

    The factors are those of each period's year (the rule of ``queries.factors.emission_factor``). Nothing
    that cannot be computed is summed as 0: it is listed in ``unconverted`` or counted in
    ``trips_without_factor``, so a total is never silently short.
    """
    if not periods:
        return {}
    use = _use_by_meter_and_year(periods, campus)
    location = _location_by_year(periods, campus)
    trips = travel.trips.uncached(None, campus, "out")
    rows_of_factors = group_factors(factor_rows.uncached())
    out = {}
    for first_day, last_day in periods:
        by_meter = use[use["year"] == first_day.year]
        out[first_day.year] = _ledger(first_day, last_day, by_meter, location[location["year"] == first_day.year],
                                      trips, rows_of_factors)
    return out


def co2e_ledger(first_day: dt.date, last_day: dt.date, campus: str | None = None) -> Ledger:
    """The CO₂e ledger of one local period (a year or a year to date) for the school or one campus."""
    return co2e_ledgers(((first_day, last_day),), campus)[first_day.year]


@cached
def reading_years() -> list[int]:
    """Local calendar years from the first to the last reading, oldest first (from min/max of the stored
    column: a DISTINCT over a per-row time-zone conversion scans millions of rows)."""
    first, last = overview.reading_span.uncached()
    return list(range(first.year, last.year + 1)) if first is not None else []


def year_periods(last_day: dt.date | None = None) -> tuple[tuple[dt.date, dt.date], ...]:
    """Each year with readings as a period; the year of ``last_day`` runs only to it (a year to date)."""
    return tuple(period(y, last_day if last_day is not None and last_day.year == y else None)
                 for y in reading_years())


@cached
def co2e_by_year(campus: str | None = None, last_day: dt.date | None = None) -> pd.DataFrame:
    """Tonnes CO₂e per year, campus, scope, source and method for every year with readings.

    The year of ``last_day`` runs to it (a year to date). Columns: year, campus_id, scope, source, method,
    tonnes.
    """
    frames = []
    for year, ledger in co2e_ledgers(year_periods(last_day), campus).items():
        rows = ledger.rows.dropna(subset=["kg"])
        if rows.empty:
            continue
        part = rows.groupby(["campus_id", "scope", "source", "method"], as_index=False, sort=False)["kg"].sum()
        part.insert(0, "year", year)
        frames.append(part)
    if not frames:
        return pd.DataFrame(columns=["year", "campus_id", "scope", "source", "method", "tonnes"])
    out = pd.concat(frames, ignore_index=True)
    out["tonnes"] = out.pop("kg") / 1000
    return out



@cached
def co2e_series(campus: str | None, last_day: dt.date | None, method: str, breakdown: str) -> pd.DataFrame:
    """Tonnes per year and ``breakdown`` (``source``, ``scope`` or ``campus``) under one scope 2 method.

    Columns: year, key, tonnes — a few rows per year, ready for a stacked bar chart.
    """
    frame = co2e_by_year(campus, last_day)
    frame = frame[frame["method"] == method]
    column = {"source": "source", "scope": "scope", "campus": "campus_id"}[breakdown]
    out = frame.groupby(["year", column], as_index=False, sort=True)["tonnes"].sum()
    return out.rename(columns={column: "key"})
