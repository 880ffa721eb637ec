"""Building areas in use and m² per årselev."""

from __future__ import annotations

import calendar

import pandas as pd


def area_in_use_m2(buildings: pd.DataFrame, year: int) -> pd.Series:
    """Each building's heated area weighted by its share of the year in use. The result is indexed by building_id.

    area = heated_area_m2 × (days in use in ``year`` ÷ days in ``year``), where a year has 365 days,
    or 366 in a leap year.
    - Days in use are the days from ``in_use_from`` to ``in_use_to``, both included, that fall
      within the year. ``in_use_to`` is the last day in use.
    - A missing ``in_use_to`` means the building is still in use.
    - Dates win over status. A ``planned`` building counts only from its ``in_use_from``. A ``sold``
      building counts up to its ``in_use_to``. If ``in_use_to`` is missing, it counts as still in
      use, because the dates say so.
    - Status is used only when ``in_use_from`` is missing. ``in_use`` then counts the whole year,
      and ``planned`` or ``sold`` counts 0.
    - An end date before the start date gives 0.
    """
    first, last = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    days_in_year = 366 if calendar.isleap(year) else 365
    in_use_from = pd.to_datetime(buildings["in_use_from"]).dt.normalize()
    in_use_to = pd.to_datetime(buildings["in_use_to"]).dt.normalize() if "in_use_to" in buildings else None
    status = buildings["status"].astype("str") if "status" in buildings else pd.Series("in_use", index=buildings.index)

    start = in_use_from.where(in_use_from > first, first)  # NaT compares False, so a missing start → 1 January
    end = last if in_use_to is None else in_use_to.where(in_use_to.isna() | (in_use_to < last), last).fillna(last)
    days = ((end - start).dt.days + 1).clip(lower=0)
    days = days.where(in_use_from.notna() | (status == "in_use"), 0)
    area = pd.to_numeric(buildings["heated_area_m2"], errors="coerce") * days / days_in_year
    return pd.Series(area.to_numpy(dtype=float), index=pd.Index(buildings["building_id"], name="building_id"),
                     name="area_m2")


def m2_per_aarselev(area_m2: float | None, aarselever: float | None) -> float | None:
    """Heated m² per årselev; None without årselever or without an area."""
    if area_m2 is None or aarselever is None or pd.isna(aarselever) or aarselever <= 0:
        return None
    return float(area_m2) / float(aarselever)
