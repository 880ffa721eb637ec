"""What-if paths for m² per årselev: årselever projected forward, areas with or without planned buildings."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def annual_growth(values: pd.Series, years: int = 5) -> float | None:
    """Compound yearly growth over the last ``years`` intervals of a yearly series (index: year).

    rate = (last / first)^(1 / (last year − first year)) − 1, over the newest ``years`` + 1 values.
    None with fewer than two positive values.
    """
    series = pd.to_numeric(values, errors="coerce").dropna().sort_index()
    series = series[series > 0].iloc[-(years + 1):]
    if len(series) < 2:
        return None
    span = int(series.index[-1]) - int(series.index[0])
    return float((series.iloc[-1] / series.iloc[0]) ** (1 / span) - 1)


def project(values: pd.Series, rate: float | None, until: int) -> pd.Series:
    """The stored yearly values, continued from the newest one at ``rate`` a year up to ``until``.

    Years after the newest stored year get last × (1 + rate)^(year − last year). Without a rate or
    without values the series is returned as it is. Index: year; name kept.
    """
    series = pd.to_numeric(values, errors="coerce").dropna().sort_index()
    if series.empty or rate is None or math.isnan(rate):
        return series
    last_year, last = int(series.index[-1]), float(series.iloc[-1])
    years = np.arange(last_year + 1, until + 1)
    with np.errstate(over="ignore"):  # a wild rate (a school's first years) overflows: those years are left out
        future = pd.Series(last * np.power(1 + rate, (years - last_year).astype(float)), index=years, dtype=float)
    return pd.concat([series, future[np.isfinite(future)]]).rename(values.name)
