"""Deterministic sample data ("Eksempeldata") for every dataset, 2019-01-01 to 2026-10-31.

Real anchors: 1,384 årselever in 2023 (+5 % on 2022), 230 staff in 2023, 92 % completion on eud in
2023, Campus Hobro at Kirketoften 7, 9500 Hobro. Everything else is illustrative. Meter data are
generated on UTC hours and shaped by Danish local time, so DST days have 23 and 25 hours as they should.
Planted faults for the anomaly detection: AAR-B's workshop left running at night for three weeks in
November 2025, HOB-D's sports-hall ventilation running through the weekends of February 2026, and a
stuck heating valve in HOB-A for two weeks in January 2026. Planted effects for the measured savings
(``store.sample.savings``): daylight control on a lighting sub-meter in Værksted Aars (−12 % on school days from
January 2025), a ventilation timer on a sub-meter in Hovedbygning Aars (−25 % at night and weekends from March
2025), and new cold-room door seals in the canteen that changed nothing (August 2025).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from heg_dash.datasets import DATASETS
from heg_dash.store import db, rollup
from heg_dash.store.sample.base import CAMPUSES, FIRST_DAY, LAST_DAY, SEED, buildings_master, school_holidays
from heg_dash.store.sample.energy import (
    benchmarks,
    emission_factors,
    energy_prices,
    grid_co2,
    meters,
    readings,
    sample_hours,
    weather,
)
from heg_dash.store.sample.school import (
    AARSELEVER,
    activity,
    exchanges,
    finance,
    focus_areas,
    footprints,
    indicators,
    initiatives,
    partners,
    targets,
)

__all__ = ["FIRST_DAY", "LAST_DAY", "SEED", "activity", "exchanges", "finance", "generate", "insert_frame", "load"]


def buildings() -> pd.DataFrame:
    return buildings_master()[DATASETS["buildings"].column_names].copy()


def generate() -> dict[str, pd.DataFrame]:
    """Every dataset, in the declared columns (same seed, same data)."""
    holidays_frame = school_holidays()
    closed = set(holidays_frame.loc[holidays_frame["kind"].isin(["holiday", "closed"]), "date"])
    temps = weather()
    hours = sample_hours()
    meta, values = indicators()
    b = buildings()
    in_use_2023 = b[(b["status"] != "planned") & (b["in_use_from"] <= dt.date(2023, 1, 1))
                    & b["in_use_to"].isna()]["heated_area_m2"].sum()
    frames = {
        "campuses": CAMPUSES.copy(),
        "buildings": b,
        "building_footprints": footprints(),
        "meters": meters(),
        "readings": readings(temps, closed),
        "weather": temps,
        "calendar": holidays_frame,
        "emission_factors": emission_factors(),
        "grid_co2": grid_co2(hours),
        "energy_prices": energy_prices(hours),
        "benchmarks": benchmarks(),
        "activity": activity(),
        "finance": finance(),
        "exchanges": exchanges(),
        "partners": partners(),
        "focus_areas": focus_areas(),
        "initiatives": initiatives(),
        "indicators": meta,
        "indicator_values": values,
        "targets": targets(in_use_2023 / AARSELEVER[2023]),
    }
    return {name: frame[DATASETS[name].column_names] for name, frame in frames.items()}


def insert_frame(con, dataset: str, frame: pd.DataFrame, batch_id: int, *, refresh_rollup: bool = True) -> int:
    """Append a frame in the declared columns to a dataset's table under ``batch_id``.

    The per-day sums (``heg_dash.store.rollup``) follow at once unless ``refresh_rollup`` is False: a bulk
    load that inserts several frames rebuilds them once at the end instead.
    """
    db.engine_of(con).append_frame(con, DATASETS[dataset], frame, batch_id)
    if refresh_rollup:
        rollup.mark_batch(con, dataset, batch_id)
        rollup.refresh(con)
    return len(frame)


def load(path: str | Path | None = None) -> None:
    """Fill an empty database with the sample data, one sample batch per dataset, in one transaction."""
    with db.transaction(path) as con:
        load_into(con)


def load_into(con) -> None:  # noqa: ANN001 - a connection of either engine
    """The sample data written on ``con``, inside the caller's transaction."""
    for name, frame in generate().items():
        batch_id = db.new_batch(con, name, "sample", user="eksempeldata", note="Eksempeldata")
        added = insert_frame(con, name, frame, batch_id, refresh_rollup=False)
        con.execute("UPDATE import_batches SET rows_added = ? WHERE batch_id = ?", [added, batch_id])
    rollup.rebuild(con)
