"""Measured savings of energy initiatives (issue 23): a daily baseline model, its fit and the avoided energy.

Every function is pure (frames and numbers in, frames, numbers and dataclasses out; nothing read or stored).
The method follows the CalTRACK 2.0 daily methods (github.com/openeemeter/caltrack, docs/methods.rst; section
numbers below are CalTRACK's) with the school's day types added as a factor, and judges the fit and the
uncertainty as ASHRAE Guideline 14-2014 does.

Periods and inputs
- ``periods(installed_from, installed_to=None, baseline_months=12, until=None) -> Periods``
- ``day_types(days, calendar=None) -> Series`` of ``school`` / ``weekend`` / ``closed``
- ``daily_use(readings, meter_ids=None, min_coverage=0.5) -> DataFrame[day, kwh]`` (CalTRACK 2.2.2.1)
- ``daily_use_from_totals(totals, meter_ids=None, min_coverage=0.5) -> DataFrame[day, kwh]`` (the same rule on
  per-meter day totals summed in SQL: meter_id, day, kwh, hours covered)
- ``local_day_hours(days) -> ndarray`` (23, 24 or 25)
- ``utility_rules(utility) -> dict`` (CalTRACK 2.2.1.4 and 3.2.1.1: zeros and cooling degree days per utility)

Baseline model
- ``baseline_sufficiency(daily, start, end, zero_is_missing=False) -> (n_days, days_in_period, reason)``
- ``fit_baseline(daily, start=None, end=None, fit_cdd=True, zero_is_missing=False, ...) -> BaselineModel``
- ``predict(model, days_frame) -> Series``

Fit statistics and uncertainty (ASHRAE Guideline 14-2014)
- ``cv_rmse(actual, predicted, n_params) -> float | None`` (per cent)
- ``nmbe(actual, predicted, n_params) -> float | None`` (per cent)
- ``lag1_autocorrelation(residuals) -> float | None``
- ``effective_points(n, rho) -> float``
- ``savings_uncertainty(cv_rmse_pct, n, m, n_params, rho, adjusted_baseline_kwh, ...) -> float | None``

Savings
- ``measured_savings(baseline_daily, reporting_daily, ...) -> SavingsResult`` (``.to_contract()`` gives the
  savings contract's fields)
- ``verdict(result, expected_saving_pct) -> str``
- ``avoided_value(avoided_kwh, per_kwh) -> (float | None, int)`` (money or CO2e from avoided kWh per day)

Conventions
- A daily frame has one row per local calendar day: ``day`` (naive local midnight, or anything
  ``pd.to_datetime`` reads; tz-aware values are converted to Danish time), ``kwh`` (the initiative's meters
  summed, in kWh), ``mean_temp_c`` and ``day_type``. Without a ``day_type`` column the days are typed from the
  ``calendar`` argument. A day whose use or temperature is missing is a missing day: it is left out, never
  interpolated (CalTRACK 2.2.1.3, 3.5.1.1, 3.5.2.1). A day with partial meter data must be passed as missing
  (or scaled as ``daily_use`` does), never as a partial sum.
- Percentages (CV(RMSE), NMBE, ``avoided_pct``, ``expected_saving_pct``) are per cent (12.0 means 12 %);
  ``r2`` is a fraction 0..1.
- A figure that cannot be computed is None and the result carries a short machine ``reason`` code.
"""

from __future__ import annotations

from heg_dash.metrics.energy import degree_days
from heg_dash.metrics.savings.days import (
    DAY_TYPES,
    Periods,
    cooling_degree_days,
    daily_use,
    daily_use_from_totals,
    day_types,
    local_day_hours,
    periods,
    utility_rules,
)
from heg_dash.metrics.savings.model import BaselineModel, baseline_sufficiency, fit_baseline, predict
from heg_dash.metrics.savings.result import (
    REASONS,
    VERDICTS,
    ModelFit,
    SavingsResult,
    avoided_value,
    measured_savings,
    verdict,
)
from heg_dash.metrics.savings.stats import cv_rmse, effective_points, lag1_autocorrelation, nmbe, savings_uncertainty

__all__ = ["DAY_TYPES", "REASONS", "VERDICTS", "BaselineModel", "ModelFit", "Periods", "SavingsResult", "avoided_value",
           "baseline_sufficiency", "cooling_degree_days", "cv_rmse", "daily_use", "daily_use_from_totals", "day_types",
           "degree_days", "effective_points", "fit_baseline", "lag1_autocorrelation", "local_day_hours",
           "measured_savings", "nmbe", "periods", "predict", "savings_uncertainty", "utility_rules", "verdict"]
