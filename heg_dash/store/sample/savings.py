"""The sample's measured initiatives (issue 23): three sub-meters whose own series carry a planted effect, and
the initiatives that name them.

- I13, daylight control of the lighting in Værksted Aars (sub-meter AAR-B-EL-LYS under AAR-B-EL): −12 % of
  the circuit's use on school days from 20 January 2025 (installed 6–17 January). Promised: 8 %.
- I14, a timer on the ventilation of Hovedbygning Aars (sub-meter AAR-A-EL-VENT under AAR-A-EL): −25 % of
  its use at night, at weekends and on closed days from 8 March 2025 (installed 3–7 March). Promised: 20 %.
- I15, new door seals on the canteen's cold rooms (sub-meter HOB-E-EL-KOEL under HOB-E-EL): no effect
  (installed 11–15 August 2025). Promised: 8 %.

Sub-meters are never counted in totals, so these series leave every school-wide figure as it was (their parent
meters keep their own series). Each series depends on the campus's daily mean temperature (lighting and fans
a little more in cold weather, cold rooms more in warm weather), the day type and the hour, with day-to-day red
noise and hourly noise, so the baseline model has something real to explain and its uncertainty is honest.
``series(..., effects=False)`` gives the same series without the planted effects: the truth a test compares
the measured savings with.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.store.sample.base import random_for

# meter_id, building, parent, campus
SUB_METERS = (
    ("AAR-B-EL-LYS", "AAR-B", "AAR-B-EL", "AAR"),
    ("AAR-A-EL-VENT", "AAR-A", "AAR-A-EL", "AAR"),
    ("HOB-E-EL-KOEL", "HOB-E", "HOB-E-EL", "HOB"),
)

# The savings columns of the three initiatives (DESIGN.md, initiatives).
INITIATIVES = (
    ("I13", "Dagslysstyring af belysningen i Værksted Aars", "Driftschef", "done", "2025-01-06", "2025-01-17",
     "baeredygtighed", "7;13", "electricity", "AAR-B-EL-LYS", "2025-01-06", "2025-01-17", 8.0, 12),
    ("I14", "Tidsstyring af ventilationen i Hovedbygning Aars", "Driftschef", "done", "2025-03-03", "2025-03-07",
     "faciliteter", "7;13", "electricity", "AAR-A-EL-VENT", "2025-03-03", "2025-03-07", 20.0, 12),
    ("I15", "Nye dørpakninger på kølerum i kantinen", "Kantineleder", "done", "2025-08-11", "2025-08-15",
     "baeredygtighed", "12;13", "electricity", "HOB-E-EL-KOEL", "2025-08-11", "2025-08-15", 8.0, None),
)

SAVINGS_COLUMNS = ["utility", "meter_ids", "installed_from", "installed_to", "expected_saving_pct", "baseline_months"]

# The planted effects: from the day after installation, the share of use removed in the hours it applies to.
LIGHTING_FROM, LIGHTING_CUT = dt.date(2025, 1, 18), 0.12  # school days
VENTILATION_FROM, VENTILATION_CUT = dt.date(2025, 3, 8), 0.25  # nights, weekends and closed days


def meters() -> list[tuple]:
    """The sub-meters as meter rows (meter_id, building_id, utility, unit, gsrn, parent_meter_id)."""
    return [(meter_id, building, "electricity", "kWh", None, parent) for meter_id, building, parent, _ in SUB_METERS]


def initiatives() -> pd.DataFrame:
    """The three initiatives with every column of the dataset (dates as dates)."""
    base = ["initiative_id", "title", "owner", "status", "start_date", "end_date", "focus_area", "sdg_goals"]
    frame = pd.DataFrame(INITIATIVES, columns=base + SAVINGS_COLUMNS)
    for col in ("start_date", "end_date", "installed_from", "installed_to"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    frame["baseline_months"] = frame["baseline_months"].astype("Int64")
    return frame


def _red_noise(rng: np.random.Generator, n: int, sd: float, phi: float = 0.6) -> np.ndarray:
    """Day-to-day AR(1) noise with stationary standard deviation ``sd`` (a log factor)."""
    shocks = rng.normal(0, sd * np.sqrt(1 - phi**2), n)
    out = np.zeros(n)
    out[0] = rng.normal(0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i]
    return out


def series(hours: pd.DatetimeIndex, temps: pd.DataFrame, closed_days: set[dt.date],
           effects: bool = True) -> pd.DataFrame:
    """Hourly readings (meter_id, start, end, value in kWh) of the three sub-meters over ``hours`` (UTC)."""
    local = hours.tz_convert(TIMEZONE)
    hour = local.hour.to_numpy()
    day = pd.Index(local.date)
    closed = np.asarray(day.isin(list(closed_days))) | (local.day_of_week.to_numpy() >= 5)
    school = ~closed
    days = pd.Index(sorted(set(day)))
    day_no = days.get_indexer(day)
    doy = local.day_of_year.to_numpy()
    dark = 1 + 0.30 * np.cos(2 * np.pi * (doy - 355) / 365.25)  # more light needed in the dark months
    frames = []
    for i, (meter_id, _building, _parent, campus) in enumerate(SUB_METERS):
        rng = random_for(500 + i)
        weather = temps[temps["campus_id"] == campus].set_index(pd.to_datetime(temps["date"][temps["campus_id"]
                                                                                              == campus]).dt.date)
        temp = weather["mean_temp_c"].reindex(days).to_numpy(dtype=float)[day_no]
        hdd = np.clip(15 - temp, 0, None)
        day_noise = np.exp(_red_noise(rng, len(days), 0.05))[day_no]
        if meter_id == "AAR-B-EL-LYS":
            on = np.where((hour >= 7) & (hour < 16), 1.0, np.where((hour >= 16) & (hour < 21), 0.3, 0.0))
            kwh = 2.0 + 18.0 * on * school * dark + 0.08 * hdd
            if effects:
                kwh = np.where(school & np.asarray(day >= LIGHTING_FROM), kwh * (1 - LIGHTING_CUT), kwh)
        elif meter_id == "AAR-A-EL-VENT":
            busy = school & (hour >= 6) & (hour < 18)
            kwh = np.where(busy, 7.0, 4.2) + 0.08 * hdd
            if effects:
                kwh = np.where(~busy & np.asarray(day >= VENTILATION_FROM), kwh * (1 - VENTILATION_CUT), kwh)
        else:  # cold rooms: compressors work harder in warm weather and when the kitchen is open
            cdd = np.clip(temp - 8, 0, None)
            kwh = 2.0 + 0.16 * cdd + 0.9 * (school & (hour >= 7) & (hour < 15))
        kwh = kwh * day_noise * rng.lognormal(0, 0.08, len(hours))
        frames.append(pd.DataFrame({"meter_id": meter_id, "start": hours, "value": np.round(kwh, 3)}))
    out = pd.concat(frames, ignore_index=True)
    out["end"] = out["start"] + pd.Timedelta(hours=1)
    return out
