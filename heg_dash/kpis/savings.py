"""Did it work? The measured savings of the initiatives (issue 23), as the savings contract of DESIGN.md gives them.

One object per initiative with ``utility``, ``meter_ids`` and ``installed_from`` (``savings()``; the CLI prints
it); the same with the verdict and the daily series for the page and the reports (``measured()``). The method is
``metrics.savings`` (CalTRACK's daily model, ASHRAE Guideline 14's criteria and 90 % uncertainty). Here:

- Periods: the baseline is the ``baseline_months`` (default 12) before ``installed_from``; the installation
  period is left out; the reporting period runs from the day after ``installed_to`` to ``until``, or without it to
  the newest day with a reading on the initiative's meters.
- Daily use: the meters' per-day sums (``readings_daily``) in kWh whatever their unit (MWh × 1000, GJ ÷ 0.0036);
  a meter-day whose readings cover under half the day is missing, one with more is scaled up to the whole day
  (CalTRACK 2.2.2.1), a day with a reading that runs into the next day (a monthly statement) is missing, and a
  day is missing when any of the initiative's meters is (``metrics.savings.daily_use_from_totals``). Weather: the
  daily mean temperature of the meters' campuses (their mean when the meters lie on two). Day types from the
  calendar.
- ``avoided_dkk``: Σ over the reporting days of avoided kWh × the day's complete price per kWh, the mean over
  the day's hours of the components in force (spot + tariff + tax, or all-in; ``metrics.cost.price_in_force``:
  spot alone is never a cost). Null with ``reason`` ``no_price`` when a reporting day has no complete price
  (a partial sum would read as the whole).
- ``avoided_co2e_kg``: location-based, as the CO₂e accounts. Electricity: each day's avoided kWh × the day's
  grid intensity as the initiative's own meters met it (Σ use × the hour's intensity ÷ the use in hours with
  an intensity, from ``readings_daily``), and for a day without intensity the year's electricity ``location``
  factor (the accounts' fallback too). Other utilities: the year's ``location`` factor of the utility, per kWh.
  Null with ``reason`` ``no_emission_factor`` when a day has neither.
- ``null`` (never 0) and a ``reason`` where a figure cannot be computed; no rounding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heg_dash.config import TIMEZONE
from heg_dash.datasets import KWH_PER_UNIT, split_list
from heg_dash.metrics import savings as method
from heg_dash.metrics.cost import price_in_force
from heg_dash.metrics.footprint import kg_per_kwh
from heg_dash.queries import reading_span
from heg_dash.queries import savings as q
from heg_dash.queries.cache import cached
from heg_dash.queries.sustainability import factor_rows, pick_factor
from heg_dash.queries.usage import local_bounds

# Reasons beyond metrics.savings.REASONS (the figures null, the reason says why).
REASONS = ("unknown_meter", "meter_utility_differs", "not_energy_unit", "no_price", "no_emission_factor")
# A saving measured for less than this many reporting days "cannot be measured with certainty yet" when its
# interval still holds 0 (after a full year with all seasons it is "no measurable change").
FULL_YEAR_DAYS = 365


@dataclass(frozen=True)
class Measured:
    """One initiative's measured saving: the contract object, its verdict, and what the page draws."""

    initiative_id: str
    title: str
    contract: dict
    verdict: str  # metrics.savings.VERDICTS
    expected_saving_pct: float | None = None
    campus_ids: tuple[str, ...] = ()
    days_after_installation: int = 0  # the reporting period's length so far (days)
    # day, actual_kwh, predicted_kwh, uncertainty_kwh (of the saving so far, 90 %): the reporting days with data
    daily: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    title_en: str | None = None

    @property
    def display_title(self) -> str:
        """The title in the current language (``title_en`` in English where the school gave one)."""
        from heg_dash.i18n import localized

        return localized({"title": self.title, "title_en": self.title_en}, "title")

    @property
    def uncertainty_90_pct(self) -> float | None:
        """The 90 % uncertainty as a share of the adjusted baseline, per cent."""
        unc, base = self.contract.get("uncertainty_90_kwh"), self.contract.get("adjusted_baseline_kwh")
        return None if unc is None or not base else 100 * unc / base


def _none(value: object) -> object:
    """A missing value as None (the contract's null), numpy numbers as Python's."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _daily_kwh(totals: pd.DataFrame, units: dict[str, str], meter_ids: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """(day, kwh) of the meters summed by CalTRACK's day rules, and each day's grid intensity as the meters met
    it (g CO₂e per kWh; NaN without one)."""
    if totals.empty:
        return pd.DataFrame({"day": pd.DatetimeIndex([]), "kwh": []}), pd.Series(dtype=float)
    factor = totals["meter_id"].map(lambda m: KWH_PER_UNIT[units[m]]).to_numpy(dtype=float)
    day = pd.to_datetime(totals["day"])
    day_end = (day + pd.Timedelta(days=1)).dt.tz_localize(TIMEZONE).dt.tz_convert("UTC")
    runs_on = (pd.to_datetime(totals["last_end"], utc=True) > day_end).to_numpy()
    frame = pd.DataFrame({
        "meter_id": totals["meter_id"].to_numpy(), "day": day.to_numpy(),
        "kwh": pd.to_numeric(totals["value"], errors="coerce").to_numpy(dtype=float) * factor,
        "hours": np.where(runs_on, 0.0, pd.to_numeric(totals["covered_s"], errors="coerce").to_numpy(dtype=float)
                          / 3600),
    })
    daily = method.daily_use_from_totals(frame, meter_ids)
    weighted = pd.to_numeric(totals["grid_weighted"], errors="coerce").to_numpy(dtype=float) * factor
    without = pd.to_numeric(totals["value_without_grid"], errors="coerce").fillna(0).to_numpy(dtype=float) * factor
    with_grid = frame["kwh"].to_numpy() - without
    sums = pd.DataFrame({"day": day.to_numpy(), "weighted": weighted,
                         "with_grid": np.where(np.isnan(weighted), np.nan, with_grid)}).groupby("day").sum(min_count=1)
    intensity = (sums["weighted"] / sums["with_grid"]).where(sums["with_grid"] > 0)
    return daily, intensity


def _temperatures(campus_ids: tuple[str, ...], first: dt.date, last: dt.date) -> pd.DataFrame:
    """day, mean_temp_c: the campuses' mean of each day."""
    weather = q.weather(campus_ids, first, last)
    if weather.empty:
        return pd.DataFrame({"day": pd.DatetimeIndex([]), "mean_temp_c": []})
    mean = weather.groupby(pd.to_datetime(weather["date"]))["mean_temp_c"].mean()
    return pd.DataFrame({"day": mean.index, "mean_temp_c": mean.to_numpy(dtype=float)})


def _daily_price(utility: str, first: dt.date, last: dt.date) -> pd.Series:
    """DKK per kWh of each local day: the mean over its hours of the complete price in force (NaN: none)."""
    rows = q.prices(utility, first, last)
    lo, hi = local_bounds(first, last)
    hours = pd.date_range(lo, hi, freq="h", inclusive="left")
    per_hour = price_in_force(rows, pd.Series(hours), "kWh")
    days = hours.tz_convert(TIMEZONE).tz_localize(None).normalize()
    return per_hour.groupby(np.asarray(days)).mean()


def _daily_co2e_factor(utility: str, days: pd.DatetimeIndex, intensity: pd.Series) -> pd.Series:
    """kg CO₂e per kWh of each day: the meters' grid intensity (electricity), else the year's location factor."""
    rows = factor_rows()
    by_year = {}
    for year in sorted(set(days.year)):
        found = pick_factor(rows, utility, int(year), "location")
        by_year[year] = kg_per_kwh(found["kg_co2e_per_unit"], found["unit"]) if found else None
    yearly = pd.Series([by_year[y] for y in days.year], index=days, dtype=float)
    if utility != "electricity" or intensity.empty:
        return yearly
    grid = (intensity / 1000).reindex(days)
    return grid.fillna(yearly)


def _value(avoided: pd.Series, rates: pd.Series) -> float | None:
    """Σ avoided × rate, or None when any day with avoided energy has no rate."""
    total, missing = method.avoided_value(avoided, rates)
    return None if missing else total


def _uncertainty_so_far(predicted: pd.Series, final: float | None) -> np.ndarray:
    """The 90 % uncertainty of the saving over the first k reporting days, k = 1 … m: Guideline 14's formula
    (``metrics.savings.savings_uncertainty``) is t × 1.26 × CV × E_baseline × √((n ÷ n′)(1 + 2 ÷ n′) ÷ m), whose
    only parts that change with k are the adjusted baseline so far and √k, so U_k = U_m × (E_k ÷ E_m) × √(m ÷ k)."""
    cumulative = predicted.cumsum().to_numpy(dtype=float)
    if final is None or not len(cumulative) or cumulative[-1] <= 0:
        return np.full(len(cumulative), np.nan)
    k = np.arange(1, len(cumulative) + 1)
    return final * cumulative / cumulative[-1] * np.sqrt(len(cumulative) / k)


# The keys of DESIGN.md's savings contract, exactly: what ``savings --json`` prints (the page reads more).
CONTRACT_KEYS = ("initiative_id", "utility", "meter_ids", "baseline_start", "baseline_end", "reporting_start",
                 "reporting_end", "model", "adjusted_baseline_kwh", "actual_kwh", "avoided_kwh", "avoided_pct",
                 "uncertainty_90_kwh", "avoided_dkk", "avoided_co2e_kg", "meets_guideline14", "reason")
MODEL_KEYS = ("balance_point_c", "cv_rmse_daily", "cv_rmse_monthly", "nmbe", "r2", "n_days")


def contract_only(body: dict) -> dict:
    """An initiative's figures with the contract's keys only, in its order."""
    out = {key: body.get(key) for key in CONTRACT_KEYS}
    out["model"] = {key: (body.get("model") or {}).get(key) for key in MODEL_KEYS}
    return out


def _empty_contract(row: pd.Series, meter_ids: list[str], periods: method.Periods, reason: str) -> dict:
    fit = method.ModelFit()
    result = method.SavingsResult(periods.baseline_start, periods.baseline_end, periods.reporting_start,
                                  periods.reporting_end, fit, reason=reason)
    return _contract(row, meter_ids, result, None, None, reason)


def _contract(row: pd.Series, meter_ids: list[str], result: method.SavingsResult, dkk: float | None,
              co2e: float | None, reason: str | None) -> dict:
    body = result.to_contract()
    body["model"]["model_type"] = result.model_type
    body["model"]["cooling_balance_point_c"] = result.cooling_balance_point_c
    return {
        "initiative_id": str(row["initiative_id"]), "title": str(row["title"]), "utility": str(row["utility"]),
        "meter_ids": meter_ids, **{k: v for k, v in body.items() if k != "reason"},
        "avoided_dkk": dkk, "avoided_co2e_kg": co2e,
        "expected_saving_pct": _none(row["expected_saving_pct"]), "reason": reason,
    }


class _Prices:
    """Each utility's daily price, computed once over the span every initiative asks for (``_daily_price``
    probes every hour of it: shared, the section costs one probe per utility, not one per initiative)."""

    def __init__(self, spans: dict[str, tuple[dt.date, dt.date]]) -> None:
        self.spans, self.found = spans, {}

    def get(self, utility: str, first: dt.date, last: dt.date) -> pd.Series:
        lo, hi = self.spans.get(utility, (first, last))
        lo, hi = min(lo, first), max(hi, last)
        if self.spans.get(utility) != (lo, hi) or utility not in self.found:
            self.spans[utility] = (lo, hi)
            self.found[utility] = _daily_price(utility, lo, hi)
        return self.found[utility]


def _reporting_span(row: pd.Series, until: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The days an initiative's reporting period may cover (for the shared prices), or None."""
    start = row["installed_to"] if not pd.isna(row["installed_to"]) else row["installed_from"]
    end = until or q.newest_day(tuple(split_list(row["meter_ids"])))
    first = pd.Timestamp(start).date() + dt.timedelta(days=1)
    return (first, end) if end is not None and end >= first else None


def _measure(row: pd.Series, until: dt.date | None, prices: _Prices | None = None) -> Measured:
    """One initiative, measured (see the module docstring)."""
    meter_ids = split_list(row["meter_ids"])
    months = int(row["baseline_months"]) if not pd.isna(row["baseline_months"]) else 12
    installed_to = row["installed_to"] if not pd.isna(row["installed_to"]) else None
    periods = method.periods(row["installed_from"], installed_to, months, until)
    stored = q.meters(tuple(meter_ids))
    campus_ids = tuple(sorted(set(stored["campus_id"].dropna().astype(str))))
    expected = _none(row["expected_saving_pct"])

    def refused(reason: str) -> Measured:
        return Measured(str(row["initiative_id"]), str(row["title"]), _empty_contract(row, meter_ids, periods, reason),
                        "cannot_measure_yet", expected, campus_ids, title_en=_none(row.get("title_en")))

    if not meter_ids or set(meter_ids) - set(stored["meter_id"]):
        return refused("unknown_meter")
    if (stored["utility"] != row["utility"]).any():
        return refused("meter_utility_differs")
    if not stored["unit"].isin(list(KWH_PER_UNIT)).all():
        return refused("not_energy_unit")
    units = dict(zip(stored["meter_id"], stored["unit"], strict=True))
    end = periods.reporting_end or q.newest_day(tuple(meter_ids)) or periods.baseline_end
    periods = method.Periods(periods.baseline_start, periods.baseline_end, periods.reporting_start, end)
    last = max(end, periods.baseline_end)
    daily, intensity = _daily_kwh(q.daily_totals(tuple(meter_ids), periods.baseline_start, last), units, meter_ids)
    daily = daily.merge(_temperatures(campus_ids, periods.baseline_start, last), on="day", how="left")
    result = method.measured_savings(
        daily, daily, baseline_start=periods.baseline_start, baseline_end=periods.baseline_end,
        reporting_start=periods.reporting_start, reporting_end=end, utility=str(row["utility"]),
        calendar=q.calendar(periods.baseline_start, last))
    dkk = co2e = None
    reason = result.reason
    frame = pd.DataFrame(columns=["day", "actual_kwh", "predicted_kwh", "uncertainty_kwh"])
    if result.daily is not None and result.avoided_kwh is not None:
        avoided = result.daily.set_index("day")["avoided_kwh"]
        days = pd.DatetimeIndex(avoided.index)
        prices = prices or _Prices({})
        dkk = _value(avoided, prices.get(str(row["utility"]), days.min().date(), days.max().date()))
        co2e = _value(avoided, _daily_co2e_factor(str(row["utility"]), days, intensity))
        reason = reason or ("no_price" if dkk is None else "no_emission_factor" if co2e is None else None)
        frame = result.daily[["day", "actual_kwh", "predicted_kwh"]].reset_index(drop=True)
        frame["uncertainty_kwh"] = _uncertainty_so_far(frame["predicted_kwh"], result.uncertainty_90_kwh)
    days_after = max((end - periods.reporting_start).days + 1, 0)
    return Measured(str(row["initiative_id"]), str(row["title"]), _contract(row, meter_ids, result, dkk, co2e, reason),
                    method.verdict(result, expected), expected, campus_ids, days_after, frame,
                    title_en=_none(row.get("title_en")))


@cached
def measured(until: dt.date | None = None, campus: str | None = None) -> list[Measured]:
    """Every measurable initiative (of one campus: those with a meter there), measured to ``until``."""
    rows = q.measurable_initiatives()
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for _, row in rows.iterrows():
        span = _reporting_span(row, until)
        if span is not None:
            old = spans.get(str(row["utility"]), span)
            spans[str(row["utility"])] = (min(old[0], span[0]), max(old[1], span[1]))
    prices = _Prices(spans)
    out = [_measure(row, until, prices) for _, row in rows.iterrows()]
    return [m for m in out if campus is None or campus in m.campus_ids]


def savings(until: dt.date | None = None, initiative: str | None = None) -> list[dict]:
    """The savings contract: one object per measurable initiative (or the one asked for), measured to ``until``."""
    return [m.contract for m in measured(until) if initiative is None or m.initiative_id == initiative]


def until_for_year(year: int | None) -> dt.date | None:
    """What a view or report of ``year`` measures to: 31 December of the year when the readings go on after it,
    else the newest data (None; also for no year)."""
    if year is None:
        return None
    last = reading_span()[1]
    end = dt.date(year, 12, 31)
    return end if last is not None and last > end else None


def for_year(year: int | None, campus: str | None = None) -> list[Measured]:
    """The initiatives a view or report of ``year`` lists (of one campus: those with a meter there): those whose
    installation began by the end of the year, measured to it (``until_for_year``)."""
    until = until_for_year(year)
    items = measured(until, campus)
    if until is not None:
        items = [m for m in items if m.contract["baseline_end"] is not None and m.contract["baseline_end"]
                 < until.isoformat()]
    return items


def shown_verdict(item: Measured) -> str:
    """The verdict as the page words it: an interval that holds 0 before a full year of reporting is "not
    measurable with certainty yet" (``not_yet``), not "no measurable change"."""
    if item.verdict == "no_measurable_change" and item.days_after_installation < FULL_YEAR_DAYS:
        return "not_yet"
    return item.verdict


def notable(item: Measured) -> str | None:
    """Why a result is worth a headline, or None: ``saved`` (a saving whose 90 % interval excludes 0, at least as
    much as promised), ``less_than_promised`` (clearly less: the whole interval below the promise), or
    ``use_increased``. For the kiosk's headlines, once they exist."""
    if item.verdict in ("more_than_promised", "as_promised", "saving_measured"):
        return "saved"
    if item.verdict in ("less_than_promised", "use_increased"):
        return item.verdict
    return None
