"""Avoided energy: the baseline model's prediction for the reporting period against the measured use, its
uncertainty, the savings contract's fields, and a verdict in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from heg_dash.metrics.savings.days import as_date, as_days, utility_rules
from heg_dash.metrics.savings.model import BaselineModel, fit_prepared, predict, prepare_days, valid_days
from heg_dash.metrics.savings.stats import effective_points, savings_uncertainty

# Fewer measured reporting days than this give no savings figure yet ("reporting_too_short").
MIN_REPORTING_DAYS = 30


REASONS = (
    "baseline_too_short",  # the baseline period is shorter than 365 days
    "baseline_insufficient",  # more than 10 % of the baseline days lack use or temperature
    "negative_values",  # a negative daily use (CalTRACK 2.3.5: possible net metering, review the data)
    "no_model",  # no candidate model qualifies (e.g. a negative base load)
    "no_baseline_use",  # the model predicts no use for the reporting days, so no share can be saved
    "no_reporting_data",  # no reporting day with use and temperature (yet)
    "reporting_too_short",  # fewer than MIN_REPORTING_DAYS reporting days
    "uncertainty_undefined",  # too few effective baseline points for the uncertainty formula
)


VERDICTS = (
    "more_than_promised", "as_promised", "less_than_promised", "saving_measured", "no_measurable_change",
    "use_increased", "model_untrusted", "cannot_measure_yet",
)


@dataclass(frozen=True)
class ModelFit:
    """The savings contract's ``model`` object. CV(RMSE) and NMBE in per cent; ``nmbe`` is the monthly one."""

    balance_point_c: float | None = None
    cv_rmse_daily: float | None = None
    cv_rmse_monthly: float | None = None
    nmbe: float | None = None
    r2: float | None = None
    n_days: int = 0


@dataclass(frozen=True)
class SavingsResult:
    """Measured savings of one initiative. The fields down to ``reason`` are the savings contract's
    (``to_contract``); the rest are for callers and diagnostics.

    ``adjusted_baseline_kwh`` is the baseline model's prediction for the reporting days with data,
    ``actual_kwh`` the measured use on those days, ``avoided_kwh`` their difference (positive = saved),
    ``avoided_pct`` = 100 × avoided ÷ adjusted baseline, ``uncertainty_90_kwh`` the half-width of the
    avoided energy's interval at 90 % confidence (``savings_uncertainty``). ``reporting_n_days`` counts the
    reporting days the figures rest on; the baseline's count is ``model.n_days``.
    """

    baseline_start: date | None
    baseline_end: date | None
    reporting_start: date | None
    reporting_end: date | None
    model: ModelFit
    adjusted_baseline_kwh: float | None = None
    actual_kwh: float | None = None
    avoided_kwh: float | None = None
    avoided_pct: float | None = None
    uncertainty_90_kwh: float | None = None
    meets_guideline14: bool | None = None
    reporting_n_days: int = 0
    reason: str | None = None
    # Not in the contract.
    model_type: str | None = None
    cooling_balance_point_c: float | None = None
    baseline_days_in_period: int | None = None
    reporting_days_in_period: int | None = None
    baseline_extreme_days: int = 0
    autocorrelation: float | None = None
    effective_baseline_days: float | None = None
    baseline: BaselineModel | None = field(default=None, repr=False, compare=False)
    daily: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def uncertainty_90_pct(self) -> float | None:
        """The uncertainty as a share of the adjusted baseline, in per cent."""
        if self.uncertainty_90_kwh is None or not self.adjusted_baseline_kwh:
            return None
        return 100 * self.uncertainty_90_kwh / self.adjusted_baseline_kwh

    def to_contract(self) -> dict[str, Any]:
        """The savings contract's fields (dates as ISO strings); the caller adds initiative_id, utility,
        meter_ids, avoided_dkk and avoided_co2e_kg."""

        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "baseline_start": iso(self.baseline_start),
            "baseline_end": iso(self.baseline_end),
            "reporting_start": iso(self.reporting_start),
            "reporting_end": iso(self.reporting_end),
            "model": {
                "balance_point_c": self.model.balance_point_c,
                "cv_rmse_daily": self.model.cv_rmse_daily,
                "cv_rmse_monthly": self.model.cv_rmse_monthly,
                "nmbe": self.model.nmbe,
                "r2": self.model.r2,
                "n_days": self.model.n_days,
            },
            "adjusted_baseline_kwh": self.adjusted_baseline_kwh,
            "actual_kwh": self.actual_kwh,
            "avoided_kwh": self.avoided_kwh,
            "avoided_pct": self.avoided_pct,
            "uncertainty_90_kwh": self.uncertainty_90_kwh,
            "meets_guideline14": self.meets_guideline14,
            "reporting_n_days": self.reporting_n_days,
            "reason": self.reason,
        }


def measured_savings(
    baseline_daily: pd.DataFrame,
    reporting_daily: pd.DataFrame,
    *,
    baseline_start: Any = None,
    baseline_end: Any = None,
    reporting_start: Any = None,
    reporting_end: Any = None,
    utility: str | None = None,
    fit_cdd: bool | None = None,
    zero_is_missing: bool | None = None,
    calendar: pd.DataFrame | None = None,
    min_reporting_days: int = MIN_REPORTING_DAYS,
    confidence: float = 0.9,
    uncertainty_method: str = "ashrae14",
) -> SavingsResult:
    """Avoided energy of one initiative: the baseline model's prediction for the reporting period minus the
    measured use (CalTRACK 1.4.5, 3.6.1), with its uncertainty (``savings_uncertainty``).

    - The periods default to the frames' first and last days; pass them (``periods`` gives them) so that
      missing days at the edges count. Rows outside the periods are ignored (CalTRACK 2.2.5), so both
      arguments may be the same frame covering both periods.
    - ``utility`` sets CalTRACK's per-utility rules (``utility_rules``); ``fit_cdd`` / ``zero_is_missing``
      override them.
    - The baseline is fitted by ``fit_baseline``; when it cannot be, ``model`` still says how many days there
      were and ``reason`` why (``baseline_too_short``, ``baseline_insufficient``, ``negative_values``,
      ``no_model``); ``actual_kwh`` is still given.
    - Reporting days count when they have use and temperature (3.5.1.1, 3.5.2.1, 3.5.4.1): their predictions and
      measurements are summed, nothing is interpolated. No such day: ``no_reporting_data``; fewer than
      ``min_reporting_days``: ``reporting_too_short`` (only ``actual_kwh`` given); negative use:
      ``negative_values``.
    - ``avoided_pct`` = 100 × avoided ÷ adjusted baseline (ASHRAE Guideline 14 Annex B's fractional savings);
      None when the adjusted baseline is ≤ 0.
    - ``meets_guideline14`` is the baseline model's ``passes_guideline14``; a model that fails still gives its
      figures.
    """
    rules = utility_rules(utility)
    fit_cdd = rules["fit_cdd"] if fit_cdd is None else fit_cdd
    zero_is_missing = rules["zero_is_missing"] if zero_is_missing is None else zero_is_missing
    base = prepare_days(baseline_daily, calendar, baseline_start, baseline_end)
    rep = prepare_days(reporting_daily, calendar, reporting_start, reporting_end)
    b_start = as_date(baseline_start) or (base["day"].min().date() if len(base) else None)
    b_end = as_date(baseline_end) or (base["day"].max().date() if len(base) else None)
    r_start = as_date(reporting_start) or (rep["day"].min().date() if len(rep) else None)
    r_end = as_date(reporting_end) or (rep["day"].max().date() if len(rep) else None)
    model = (fit_prepared(base, b_start, b_end, fit_cdd, zero_is_missing)
             if b_start and b_end else BaselineModel(None, reason="baseline_insufficient"))
    rep_ok = rep[valid_days(rep, zero_is_missing)]
    r_days = (r_end - r_start).days + 1 if r_start and r_end and r_end >= r_start else 0
    common = {
        "baseline_start": b_start, "baseline_end": b_end, "reporting_start": r_start, "reporting_end": r_end,
        "model": ModelFit(
            balance_point_c=model.heating_balance_point_c, cv_rmse_daily=model.cv_rmse_daily,
            cv_rmse_monthly=model.cv_rmse_monthly, nmbe=model.nmbe, r2=model.r2, n_days=model.n_days),
        "meets_guideline14": model.passes_guideline14,
        "reporting_n_days": int(len(rep_ok)),
        "model_type": model.model_type,
        "cooling_balance_point_c": model.cooling_balance_point_c,
        "baseline_days_in_period": model.days_in_period,
        "reporting_days_in_period": r_days,
        "baseline_extreme_days": model.extreme_days,
        "autocorrelation": model.autocorrelation,
        "effective_baseline_days": effective_points(model.n_days, model.autocorrelation) if model.ok else None,
        "baseline": model,
    }
    actual = float(rep_ok["kwh"].sum()) if len(rep_ok) else None
    if (rep["kwh"] < 0).any():
        return SavingsResult(**common, reason="negative_values")
    if not model.ok:
        return SavingsResult(**common, actual_kwh=actual, reason=model.reason)
    if rep_ok.empty:
        return SavingsResult(**common, reason="no_reporting_data")
    if len(rep_ok) < min_reporting_days:
        return SavingsResult(**common, actual_kwh=actual, reason="reporting_too_short")
    predicted = predict(model, rep_ok).to_numpy(dtype=float)
    daily = pd.DataFrame({
        "day": rep_ok["day"].to_numpy(),
        "predicted_kwh": predicted,
        "actual_kwh": rep_ok["kwh"].to_numpy(dtype=float),
    })
    daily["avoided_kwh"] = daily["predicted_kwh"] - daily["actual_kwh"]
    adjusted = float(predicted.sum())
    avoided = adjusted - actual
    pct = 100 * avoided / adjusted if adjusted > 0 else None
    uncertainty = savings_uncertainty(
        model.cv_rmse_daily, model.n_days, len(rep_ok), model.n_params, model.autocorrelation, adjusted,
        confidence=confidence, method=uncertainty_method)
    reason = None if pct is not None and uncertainty is not None else (
        "uncertainty_undefined" if pct is not None else "no_baseline_use")
    return SavingsResult(
        **common, adjusted_baseline_kwh=adjusted, actual_kwh=actual, avoided_kwh=avoided, avoided_pct=pct,
        uncertainty_90_kwh=uncertainty, reason=reason, daily=daily)


def verdict(result: SavingsResult, expected_saving_pct: float | None = None) -> str:
    """Did it work? One code, decided in this order:

    1. ``cannot_measure_yet``: no avoided share or no uncertainty (``result.reason`` says why).
    2. ``model_untrusted``: the baseline fails ASHRAE Guideline 14's criteria (or they could not be judged);
       the estimate exists but should not be relied on.
    3. With the 90 % interval [lo, hi] = avoided_pct ∓ 100 × uncertainty_90_kwh ÷ adjusted baseline:
       - hi < 0: ``use_increased`` (use went up, beyond the uncertainty);
       - lo ≤ 0 ≤ hi: ``no_measurable_change`` (the interval contains 0);
       - otherwise a saving is measured, compared with the promise E = ``expected_saving_pct`` (per cent):
         no E: ``saving_measured``; lo > E: ``more_than_promised``; hi < E: ``less_than_promised``;
         E within [lo, hi]: ``as_promised``.
    """
    if result.avoided_pct is None or result.uncertainty_90_pct is None:
        return "cannot_measure_yet"
    if result.meets_guideline14 is not True:
        return "model_untrusted"
    lo = result.avoided_pct - result.uncertainty_90_pct
    hi = result.avoided_pct + result.uncertainty_90_pct
    if hi < 0:
        return "use_increased"
    if lo <= 0:
        return "no_measurable_change"
    if expected_saving_pct is None or (np.ndim(expected_saving_pct) == 0 and pd.isna(expected_saving_pct)):
        return "saving_measured"
    if lo > expected_saving_pct:
        return "more_than_promised"
    if hi < expected_saving_pct:
        return "less_than_promised"
    return "as_promised"


def avoided_value(avoided_kwh: pd.Series, per_kwh: pd.Series) -> tuple[float | None, int]:
    """Σ avoided kWh × rate over the days that have a rate, e.g. DKK per kWh or kg CO2e per kWh.

    Both Series are indexed by day (any form ``pd.to_datetime`` reads); ``avoided_kwh`` is typically
    ``result.daily.set_index("day")["avoided_kwh"]``. Returns (total, days without a rate); the total is None
    when no day has both. Fill the rates with a fallback first (e.g. the year's factor) to count every day.
    """
    kwh = pd.Series(pd.to_numeric(avoided_kwh, errors="coerce").to_numpy(dtype=float), index=as_days(avoided_kwh.index))
    rate = pd.Series(pd.to_numeric(per_kwh, errors="coerce").to_numpy(dtype=float), index=as_days(per_kwh.index))
    rate = rate[~rate.index.duplicated(keep="last")].reindex(kwh.index)
    has = kwh.notna() & rate.notna()
    missing = int((kwh.notna() & rate.isna()).sum())
    if not has.any():
        return None, missing
    return float((kwh[has] * rate[has]).sum()), missing
