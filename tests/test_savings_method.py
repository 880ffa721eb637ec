"""Unit tests of heg_dash.metrics.savings (issue 23's method): hand-computed cases for each rule, then synthetic
meters with a known saving. Expected values are worked out in the comments."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import t as student_t
from statsmodels.regression.linear_model import OLS

from heg_dash.metrics import savings as sv

INSTALLED = "2024-01-01"
BASELINE = ("2023-01-01", "2023-12-31")


def synthetic(
    seed: int, saving: float = 0.12, noise: float = 40.0, ar: float = 0.0, lognormal: float | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Two years of daily use (2023 baseline, 2024 after an installation on 1 January 2024) and weather.

    Temperature: a Danish-like seasonal cycle (0.5 °C in late January to 16.5 °C in late July) plus noise.
    Use: a base by day type (school 1000, weekend 400, closed 450 kWh) + 60 kWh per degree day below 15 °C +
    noise (normal, optionally AR(1) with coefficient ``ar``, or multiplicative log-normal), times
    (1 − saving) from the installation on. Closed days: July and 22–31 December. Returns the frame and the
    counterfactual use (what would have been used without the initiative), so the true avoided energy of any
    reporting days is saving × their counterfactual.
    """
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    doy = days.day_of_year.to_numpy()
    temp = 8.5 - 8 * np.cos(2 * np.pi * (doy - 20) / 365) + rng.normal(0, 2.5, len(days))
    closed = [d for d in days if d.month == 7 or (d.month == 12 and d.day >= 22)]
    day_type = sv.day_types(days, pd.DataFrame({"date": closed, "kind": "holiday"})).to_numpy()
    base = np.select([day_type == "school", day_type == "weekend"], [1000.0, 400.0], 450.0)
    expected = base + 60 * np.clip(15 - temp, 0, None)
    if lognormal is not None:
        counterfactual = expected * rng.lognormal(0, lognormal, len(days))
    else:
        e = rng.normal(0, noise, len(days))
        for i in range(1, len(e)):
            e[i] = ar * e[i - 1] + math.sqrt(1 - ar * ar) * e[i]
        counterfactual = expected + e
    after = days >= pd.Timestamp(INSTALLED)
    kwh = np.where(after, (1 - saving) * counterfactual, counterfactual)
    frame = pd.DataFrame({"day": days, "kwh": kwh, "mean_temp_c": temp, "day_type": day_type})
    return frame, pd.Series(counterfactual, index=days)


def run(frame: pd.DataFrame, until: str = "2024-12-31", **kwargs) -> sv.SavingsResult:
    p = sv.periods(INSTALLED, until=until)
    return sv.measured_savings(
        frame, frame, baseline_start=p.baseline_start, baseline_end=p.baseline_end,
        reporting_start=p.reporting_start, reporting_end=p.reporting_end, **kwargs)


def true_avoided(result: sv.SavingsResult, counterfactual: pd.Series, saving: float) -> float:
    return saving * float(counterfactual.loc[pd.DatetimeIndex(result.daily["day"])].sum())


# --------------------------------------------------------------------------------------------------
# Periods, day types, daily use
# --------------------------------------------------------------------------------------------------


def test_periods_leave_the_installation_out():
    p = sv.periods("2024-03-15", "2024-04-10", baseline_months=12, until="2024-12-31")
    # 12 months before 15 March 2024 start on 15 March 2023 and end the day before the installation starts.
    assert (p.baseline_start, p.baseline_end) == (date(2023, 3, 15), date(2024, 3, 14))
    # Reporting starts the day after the installation ends.
    assert (p.reporting_start, p.reporting_end) == (date(2024, 4, 11), date(2024, 12, 31))
    # Without installed_to the installation is one day; without until the reporting period is open.
    p = sv.periods(date(2024, 3, 15))
    assert (p.reporting_start, p.reporting_end) == (date(2024, 3, 16), None)
    with pytest.raises(ValueError):
        sv.periods("2024-03-15", "2024-03-01")


def test_day_types_from_weekday_and_calendar():
    calendar = pd.DataFrame({
        "date": ["2024-05-08", "2024-05-09", "2024-05-11", "2024-05-14"],
        "kind": ["holiday", "exam", "Closed", "event"],
    })
    days = pd.date_range("2024-05-06", "2024-05-14", freq="D")  # Monday 6 May .. Tuesday 14 May
    result = sv.day_types(days, calendar)
    assert result.tolist() == [
        "school",  # Mon 6
        "school",  # Tue 7
        "closed",  # Wed 8: holiday
        "school",  # Thu 9: exam days are school days
        "school",  # Fri 10
        "closed",  # Sat 11: the calendar's "closed" wins over the weekend (kind read case-insensitively)
        "weekend",  # Sun 12
        "school",  # Mon 13
        "school",  # Tue 14: event
    ]
    assert list(result.index) == list(days)
    # Without a calendar only weekends differ.
    assert sv.day_types(["2024-05-08", "2024-05-12"]).tolist() == ["school", "weekend"]


def hourly(meter: str, first_local: str, hours: int, kwh: float = 1.0) -> pd.DataFrame:
    start = pd.date_range(pd.Timestamp(first_local, tz="Europe/Copenhagen"), periods=hours, freq="h")
    return pd.DataFrame({"meter_id": meter, "start": start.tz_convert("UTC"), "kwh": kwh})


def test_daily_use_scales_half_covered_days_and_refuses_less():
    readings = pd.concat([
        hourly("a", "2024-03-04 00:00", 24, 2.0),  # full day: 48 kWh
        hourly("a", "2024-03-05 00:00", 12, 2.0),  # 12 of 24 hours: 24 kWh × 24/12 = 48 kWh
        hourly("a", "2024-03-06 00:00", 11, 2.0),  # 11 of 24 hours (< 50 %): missing
        hourly("a", "2024-03-31 00:00", 23, 1.0),  # DST day, 23 hours long and complete: 23 kWh, not scaled
    ])
    result = sv.daily_use(readings).set_index("day")["kwh"]
    assert result[pd.Timestamp("2024-03-04")] == 48.0
    assert result[pd.Timestamp("2024-03-05")] == 48.0
    assert math.isnan(result[pd.Timestamp("2024-03-06")])
    assert result[pd.Timestamp("2024-03-31")] == 23.0
    # Days between with no readings are listed as missing.
    assert math.isnan(result[pd.Timestamp("2024-03-10")])


def test_daily_use_sums_meters_and_a_day_misses_when_one_meter_misses():
    midnights = pd.date_range(pd.Timestamp("2024-03-04", tz="Europe/Copenhagen"), periods=3, freq="D")
    daily_read = pd.DataFrame({  # a meter read once a day, midnight to midnight local time
        "meter_id": "b", "start": midnights[:2], "end": midnights[1:], "kwh": [100.0, 110.0],
    })
    monthly_read = pd.DataFrame({  # spans many days: cannot be split into days, left out
        "meter_id": "b", "start": [pd.Timestamp("2024-02-01", tz="UTC")], "end": [pd.Timestamp("2024-03-01", tz="UTC")],
        "kwh": [3000.0],
    })
    readings = pd.concat([hourly("a", "2024-03-04 00:00", 24, 1.0), daily_read, monthly_read])
    result = sv.daily_use(readings, meter_ids=["a", "b"]).set_index("day")["kwh"]
    assert result[pd.Timestamp("2024-03-04")] == 124.0  # 24 + 100
    assert math.isnan(result[pd.Timestamp("2024-03-05")])  # meter a has no data that day
    assert pd.Timestamp("2024-02-01") not in result.index
    # Only the meters asked for count.
    assert sv.daily_use(readings, meter_ids=["b"]).set_index("day")["kwh"].tolist() == [100.0, 110.0]


def test_daily_use_from_totals_summed_in_sql():
    # Local days are 23 hours on 31 March 2024 and 25 hours on 27 October 2024.
    assert sv.local_day_hours(["2024-03-30", "2024-03-31", "2024-10-27"]).tolist() == [24.0, 23.0, 25.0]
    totals = pd.DataFrame({
        "meter_id": ["a", "a", "a", "b", "b"],
        "day": ["2024-10-26", "2024-10-27", "2024-10-28", "2024-10-26", "2024-10-27"],
        "kwh": [48.0, 25.0, 30.0, 10.0, 12.5],
        "hours": [24.0, 25.0, 12.0, 24.0, 12.5],
    })
    result = sv.daily_use_from_totals(totals).set_index("day")["kwh"]
    # 26 Oct: 48 + 10. 27 Oct: a complete (25 of 25 h), b half (12.5 of 25 h): 25 + 12.5 × 25 / 12.5 = 50.
    # 28 Oct: b has no row, so the day is missing even though a has half a day.
    assert result[pd.Timestamp("2024-10-26")] == 58.0
    assert result[pd.Timestamp("2024-10-27")] == 50.0
    assert math.isnan(result[pd.Timestamp("2024-10-28")])
    assert sv.daily_use_from_totals(totals, ["a"]).set_index("day")["kwh"][pd.Timestamp("2024-10-28")] == 60.0


def test_utility_rules():
    assert sv.utility_rules("electricity") == {"zero_is_missing": True, "fit_cdd": True}
    assert sv.utility_rules("district_heating") == {"zero_is_missing": False, "fit_cdd": False}
    assert sv.utility_rules("water") == {"zero_is_missing": False, "fit_cdd": True}


# --------------------------------------------------------------------------------------------------
# Fit statistics and the uncertainty formula, by hand
# --------------------------------------------------------------------------------------------------


def test_degree_days_at_a_balance_point():
    temps = pd.Series([10.0, 15.0, 18.0, np.nan])
    # HDD at 15 °C: 15 − 10 = 5, 0 at the balance point, 0 above; CDD at 15 °C: 0, 0, 18 − 15 = 3.
    hdd = sv.degree_days(temps, 15.0)
    cdd = sv.cooling_degree_days(temps, 15.0)
    assert hdd.iloc[:3].tolist() == [5.0, 0.0, 0.0] and math.isnan(hdd.iloc[3])
    assert cdd.iloc[:3].tolist() == [0.0, 0.0, 3.0] and math.isnan(cdd.iloc[3])


def test_grid_search_finds_the_balance_point_of_exact_data():
    # Use = 100 + 10 × max(0, 12 − T) exactly, on every day type: the search must land on 12 °C and β = 10.
    days = pd.date_range("2023-01-01", "2023-12-31", freq="D")
    temp = 8.0 - 9.0 * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 20) / 365)
    temp = temp + 0.37 * np.sin(days.day_of_year.to_numpy())  # not on the grid, so days differ
    kwh = 100 + 10 * np.clip(12 - temp, 0, None)  # an exact fit: zero residual variance must not disqualify it
    frame = pd.DataFrame({"day": days, "kwh": kwh, "mean_temp_c": temp, "day_type": "school"})
    model = sv.fit_baseline(frame, *BASELINE, fit_cdd=False)
    assert model.model_type == "hdd"
    assert model.heating_balance_point_c == 12.0
    assert model.result.params["hdd"] == pytest.approx(10.0)
    assert model.result.params["const"] == pytest.approx(100.0)
    assert model.n_days == 365 and model.passes_guideline14


def test_cv_rmse_and_nmbe_by_hand():
    actual = [10.0, 12.0, 14.0, 16.0]
    predicted = [11.0, 12.0, 13.0, 17.0]
    # Residuals −1, 0, 1, −1; Σe² = 3; n − p = 4 − 2 = 2; RMSE = √1.5 = 1.224745; ȳ = 13.
    assert sv.cv_rmse(actual, predicted, 2) == pytest.approx(100 * math.sqrt(1.5) / 13)  # 9.4211 %
    # NMBE = 100 × Σe / ((n − p) ȳ) = 100 × (−1) / (2 × 13) = −3.8462 %.
    assert sv.nmbe(actual, predicted, 2) == pytest.approx(-100 / 26)
    # n − p < 1 has no value.
    assert sv.cv_rmse(actual, predicted, 4) is None and sv.nmbe(actual, predicted, 4) is None


def test_lag1_autocorrelation_by_hand_and_across_a_gap():
    days = pd.date_range("2024-01-01", periods=4, freq="D")
    # e = 1, −1, 2, −2; mean 0; Σ eₜeₜ₋₁ = −1 − 2 − 4 = −7; Σ e² = 10; ρ = −0.7.
    assert sv.lag1_autocorrelation(pd.Series([1.0, -1.0, 2.0, -2.0], index=days)) == pytest.approx(-0.7)
    # Days 1, 2, 4, 5 (day 3 missing), e = 1, 2, 3, 4: mean 2.5, deviations −1.5, −0.5, 0.5, 1.5.
    # Only the pairs (1,2) and (4,5) are consecutive: 0.75 + 0.75 = 1.5; Σ d² = 5; ρ = 0.3.
    gap_days = pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05"])
    assert sv.lag1_autocorrelation(pd.Series([1.0, 2.0, 3.0, 4.0], index=gap_days)) == pytest.approx(0.3)


def test_effective_points():
    # n' = n (1 − ρ) / (1 + ρ): 365 × 0.5 / 1.5 = 121.67; negative ρ is taken as 0.
    assert sv.effective_points(365, 0.5) == pytest.approx(365 / 3)
    assert sv.effective_points(365, -0.2) == 365
    assert sv.effective_points(365, None) == 365


def test_savings_uncertainty_formula_by_hand():
    # CV 10 %, n = 100 baseline days, m = 50 reporting days, p = 2, ρ = 0.5, adjusted baseline 10,000 kWh.
    # n' = 100 × 0.5 / 1.5 = 33.333; dof = n' − p = 31.333; t(0.95, 31.333) ≈ 1.6946.
    # √((n/n') (1 + 2/n') / m) = √(3 × 1.06 / 50) = √0.0636 = 0.252190.
    # ΔE = t × 1.26 × 0.10 × 10,000 × 0.252190 = t × 317.76 ≈ 538.5 kWh.
    t = student_t.ppf(0.95, 100 / 3 - 2)
    assert t == pytest.approx(1.6946, abs=1e-3)
    expected = t * 1.26 * 0.10 * 10_000 * math.sqrt(3 * 1.06 / 50)
    assert sv.savings_uncertainty(10.0, 100, 50, 2, 0.5, 10_000.0) == pytest.approx(expected)
    assert expected == pytest.approx(538.5, abs=0.5)
    # No autocorrelation: n' = n, dof 98, √(1.02 / 50) = 0.142829; 1.66055 × 1.26 × 1000 × 0.142829 = 298.8.
    assert sv.savings_uncertainty(10.0, 100, 50, 2, 0.0, 10_000.0) == pytest.approx(298.8, abs=0.1)
    # CalTRACK's daily coefficients instead of 1.26: M = 50 / 30.4375 = 1.6427 months,
    # a M² + b M + d = −0.00024 × 2.6985 + 0.03535 × 1.6427 + 1.00286 = 1.06028.
    caltrack = sv.savings_uncertainty(10.0, 100, 50, 2, 0.0, 10_000.0, method="caltrack_daily")
    assert caltrack == pytest.approx(298.8 / 1.26 * 1.06028, abs=0.1)
    # Too few effective points: n' − p < 1.
    assert sv.savings_uncertainty(10.0, 10, 50, 5, 0.5, 10_000.0) is None


# --------------------------------------------------------------------------------------------------
# Sufficiency (CalTRACK 2.2, 2.3) and reasons
# --------------------------------------------------------------------------------------------------


def test_sufficiency_allows_36_missing_days_and_refuses_37():
    frame, _ = synthetic(3, saving=0.0)
    baseline = frame[frame["day"] <= "2023-12-31"].copy()
    # 90 % of 365 days = 328.5, so 329 days with data are needed: 36 missing days pass, 37 do not.
    ok = baseline.copy()
    ok.loc[ok.index[10:46], "kwh"] = np.nan  # 36 days
    assert sv.baseline_sufficiency(ok, *BASELINE) == (329, 365, None)
    short = baseline.copy()
    short.loc[short.index[10:46], "kwh"] = np.nan
    short.loc[short.index[100], "mean_temp_c"] = np.nan  # a 37th day, missing its temperature
    assert sv.baseline_sufficiency(short, *BASELINE) == (328, 365, "baseline_insufficient")
    model = sv.fit_baseline(short, *BASELINE)
    assert model.model_type is None and model.reason == "baseline_insufficient" and model.n_days == 328
    # The missing days are left out, not interpolated: the model rests on the 329 days with data.
    assert sv.fit_baseline(ok, *BASELINE).n_days == 329


def test_sufficiency_refuses_a_short_baseline_negative_use_and_counts_zero_electricity_as_missing():
    frame, _ = synthetic(4, saving=0.0)
    result = sv.measured_savings(frame, frame, baseline_start="2023-07-01", baseline_end="2023-12-31",
                                 reporting_start="2024-01-02", reporting_end="2024-12-31")
    assert result.reason == "baseline_too_short" and result.avoided_kwh is None
    assert result.actual_kwh == pytest.approx(frame.loc[frame["day"] >= "2024-01-02", "kwh"].sum())
    negative = frame.copy()
    negative.loc[5, "kwh"] = -1.0
    assert sv.baseline_sufficiency(negative, *BASELINE)[2] == "negative_values"
    zeros = frame.copy()
    zeros.loc[zeros.index[:40], "kwh"] = 0.0
    assert sv.baseline_sufficiency(zeros, *BASELINE, zero_is_missing=True) == (325, 365, "baseline_insufficient")
    assert sv.baseline_sufficiency(zeros, *BASELINE, zero_is_missing=False)[2] is None
    assert run(zeros, utility="electricity").reason == "baseline_insufficient"


def test_reporting_reasons():
    frame, _ = synthetic(5)
    # Reporting has not started: no reporting days at all.
    nothing = run(frame, until="2024-01-01")
    assert nothing.reason == "no_reporting_data" and nothing.reporting_n_days == 0
    assert nothing.avoided_kwh is None and nothing.model.n_days == 365 and nothing.model.cv_rmse_daily is not None
    # Ten days measured: too short for a savings figure, the measured use is given.
    short = run(frame, until="2024-01-11")
    assert short.reason == "reporting_too_short" and short.reporting_n_days == 10
    assert short.actual_kwh == pytest.approx(frame.loc[(frame["day"] >= "2024-01-02") & (frame["day"] <= "2024-01-11"),
                                                       "kwh"].sum())
    assert short.avoided_kwh is None and sv.verdict(short, 12) == "cannot_measure_yet"
    # Reporting days without temperature are left out of both sums and counted out.
    gaps = frame.copy()
    gaps.loc[(gaps["day"] >= "2024-02-01") & (gaps["day"] <= "2024-02-10"), "mean_temp_c"] = np.nan
    result = run(gaps, until="2024-03-31")
    assert result.reporting_n_days == 90 - 10 and result.reporting_days_in_period == 90
    assert result.reason is None


# --------------------------------------------------------------------------------------------------
# The model search against statsmodels, and prediction
# --------------------------------------------------------------------------------------------------


def brute_force_choice(frame: pd.DataFrame, grid: list[float]) -> tuple[str, float | None, float | None]:
    """CalTRACK's selection done the slow way: one statsmodels OLS per candidate."""
    levels = [t for t in sv.DAY_TYPES if t in set(frame["day_type"])]
    base = pd.DataFrame({"const": 1.0}, index=frame.index)
    for level in levels[1:]:
        base[f"day_{level}"] = (frame["day_type"] == level).astype(float)
    candidates = [("intercept_only", None, None, base)]
    for bp in grid:
        hdd = np.clip(bp - frame["mean_temp_c"], 0, None)
        cdd = np.clip(frame["mean_temp_c"] - bp, 0, None)
        candidates.append(("hdd", bp, None, base.assign(hdd=hdd)))
        candidates.append(("cdd", None, bp, base.assign(cdd=cdd)))
        for cbp in grid:
            if cbp >= bp:
                cdd2 = np.clip(frame["mean_temp_c"] - cbp, 0, None)
                candidates.append(("hdd_cdd", bp, cbp, base.assign(hdd=hdd, cdd=cdd2)))
    best = (-np.inf, "", None, None)
    for kind, hbp, cbp, x in candidates:
        slopes = [c for c in ("hdd", "cdd") if c in x]
        if any((x[c] > 0).sum() < 10 or x[c].sum() < 20 for c in slopes):
            continue
        res = OLS(frame["kwh"].to_numpy(), x).fit()
        bases = [res.params["const"] + (res.params[f"day_{lv}"] if lv != levels[0] else 0) for lv in levels]
        if any(b < 0 for b in bases) or any(res.params[c] <= 0 or res.pvalues[c] >= 0.1 for c in slopes):
            continue
        if res.rsquared_adj > best[0]:
            best = (res.rsquared_adj, kind, hbp, cbp)
    return best[1], best[2], best[3]


@pytest.mark.parametrize("seed", [1, 2])
def test_vectorised_search_matches_statsmodels_one_candidate_at_a_time(seed: int):
    frame, _ = synthetic(seed, noise=150.0)
    rng = np.random.default_rng(seed)
    # Add some cooling on warm school days so that CDD candidates compete.
    frame["kwh"] += 25 * np.clip(frame["mean_temp_c"] - 13 + rng.normal(0, 1, len(frame)), 0, None)
    baseline = frame[frame["day"] <= "2023-12-31"].reset_index(drop=True)
    grid = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]
    model = sv.fit_baseline(baseline, *BASELINE, balance_points_c=grid)
    assert (model.model_type, model.heating_balance_point_c, model.cooling_balance_point_c) == \
        brute_force_choice(baseline, grid)
    # The refitted statsmodels result is the one the search chose, with significant positive slopes.
    for slope in ("hdd", "cdd"):
        if slope in model.result.params:
            assert model.result.params[slope] > 0 and model.result.pvalues[slope] < 0.1


def test_heating_fuels_never_get_a_cooling_term():
    frame, _ = synthetic(6)
    frame["kwh"] += 40 * np.clip(frame["mean_temp_c"] - 12, 0, None)
    assert sv.fit_baseline(frame, *BASELINE).cooling_balance_point_c is not None
    assert sv.fit_baseline(frame, *BASELINE, fit_cdd=False).cooling_balance_point_c is None
    assert run(frame, utility="district_heating").cooling_balance_point_c is None


def test_predict_keeps_order_falls_back_for_unseen_day_types_and_leaves_missing_temperature_missing():
    frame, _ = synthetic(7)
    baseline = frame[(frame["day"] <= "2023-12-31")].copy()
    baseline = baseline[baseline["day_type"] != "closed"]  # the baseline never saw a closed day
    baseline["day"] = pd.to_datetime(baseline["day"])
    model = sv.fit_baseline(baseline.reset_index(drop=True))
    assert model.day_type_levels == ("school", "weekend")
    days = pd.DataFrame({
        "day": ["2024-03-05", "2024-03-02", "2024-03-06", "2024-03-07"],
        "mean_temp_c": [5.0, 5.0, 5.0, np.nan],
        "day_type": ["school", "weekend", "closed", "school"],
    }, index=[10, 11, 12, 13])
    predicted = sv.predict(model, days)
    assert list(predicted.index) == [10, 11, 12, 13]
    hdd = max(0.0, model.heating_balance_point_c - 5.0)
    params = model.result.params
    assert predicted[10] == pytest.approx(params["const"] + params["hdd"] * hdd)
    assert predicted[11] == pytest.approx(params["const"] + params["day_weekend"] + params["hdd"] * hdd)
    assert predicted[12] == pytest.approx(predicted[11])  # closed is predicted as a weekend
    assert math.isnan(predicted[13])


# --------------------------------------------------------------------------------------------------
# Synthetic meters with a known saving
# --------------------------------------------------------------------------------------------------


def test_a_twelve_percent_saving_is_found_within_its_uncertainty():
    frame, counterfactual = synthetic(11, saving=0.12)
    result = run(frame)
    truth = true_avoided(result, counterfactual, 0.12)
    assert result.reason is None and result.meets_guideline14
    assert result.model.n_days == 365 and result.reporting_n_days == 365
    assert result.model.balance_point_c == 15.0 and result.model_type == "hdd"
    assert abs(result.avoided_kwh - truth) <= result.uncertainty_90_kwh
    assert result.avoided_pct == pytest.approx(12.0, abs=0.6)
    assert result.avoided_kwh == pytest.approx(result.adjusted_baseline_kwh - result.actual_kwh)
    assert sv.verdict(result, 12.0) == "as_promised"
    assert sv.verdict(result, 5.0) == "more_than_promised"
    assert sv.verdict(result, 20.0) == "less_than_promised"
    assert sv.verdict(result, None) == "saving_measured"


def test_the_ninety_percent_interval_covers_the_truth_in_most_synthetic_initiatives():
    # Guideline 14's formula is an approximation: for a reporting period as long as the baseline its 1.26
    # factor is a little small (about 85 % coverage here), for a few months it is generous. Assert the
    # coverage stays near the nominal 90 % over 30 seeds.
    hits = {"2024-03-31": 0, "2024-12-31": 0}
    for seed in range(100, 115):
        frame, counterfactual = synthetic(seed, saving=0.12)
        for until in hits:
            result = run(frame, until=until)
            hits[until] += abs(result.avoided_kwh - true_avoided(result, counterfactual, 0.12)) <= \
                result.uncertainty_90_kwh
    assert hits["2024-03-31"] >= 12  # ≥ 80 % of 15 (97 % seen over 200 seeds)
    assert hits["2024-12-31"] >= 10  # ≥ 67 % of 15 (85 % seen over 200 seeds)


def test_autocorrelated_residuals_widen_the_uncertainty():
    white, _ = synthetic(21, noise=60.0)
    red, _ = synthetic(21, noise=60.0, ar=0.6)
    white_result, red_result = run(white), run(red)
    assert white_result.autocorrelation == pytest.approx(0.0, abs=0.12)
    assert red_result.autocorrelation == pytest.approx(0.6, abs=0.12)
    # n' = 365 (1 − ρ) / (1 + ρ) ≈ 365 / 4.
    assert red_result.effective_baseline_days == pytest.approx(
        365 * (1 - red_result.autocorrelation) / (1 + red_result.autocorrelation))
    assert red_result.uncertainty_90_pct > 1.5 * white_result.uncertainty_90_pct


def test_no_change_gives_an_interval_around_zero():
    frame, _ = synthetic(31, saving=0.0)
    result = run(frame)
    assert result.reason is None and result.meets_guideline14
    assert abs(result.avoided_kwh) <= result.uncertainty_90_kwh
    assert sv.verdict(result, 10.0) == "no_measurable_change"


def test_very_noisy_use_fails_guideline_14_but_still_gives_its_estimate():
    frame, _ = synthetic(41, saving=0.12, lognormal=1.0)
    result = run(frame)
    assert result.model.cv_rmse_monthly > 15.0
    assert result.meets_guideline14 is False
    assert result.avoided_kwh is not None and result.uncertainty_90_kwh is not None and result.reason is None
    assert sv.verdict(result, 12.0) == "model_untrusted"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), saving=st.floats(0.0, 0.3))
def test_any_seed_and_saving_gives_consistent_figures(seed: int, saving: float):
    frame, counterfactual = synthetic(seed, saving=saving)
    result = run(frame, until="2024-06-30")
    assert result.reason is None
    assert result.avoided_kwh == pytest.approx(result.adjusted_baseline_kwh - result.actual_kwh)
    assert result.avoided_pct == pytest.approx(100 * result.avoided_kwh / result.adjusted_baseline_kwh)
    assert result.daily["avoided_kwh"].sum() == pytest.approx(result.avoided_kwh)
    # Far outside the 90 % interval would be a bug, not bad luck: 2 × U is beyond 99.9 % for this noise.
    assert abs(result.avoided_kwh - true_avoided(result, counterfactual, saving)) <= 2 * result.uncertainty_90_kwh


# --------------------------------------------------------------------------------------------------
# Verdict, contract, money and CO2e
# --------------------------------------------------------------------------------------------------


def made(avoided_pct: float | None, uncertainty_pct: float | None, meets: bool | None = True) -> sv.SavingsResult:
    """A result with an adjusted baseline of 1000 kWh, so kWh and per cent differ by a factor of 10."""
    return sv.SavingsResult(
        None, None, None, None, sv.ModelFit(), adjusted_baseline_kwh=1000.0,
        avoided_pct=avoided_pct, uncertainty_90_kwh=None if uncertainty_pct is None else 10 * uncertainty_pct,
        meets_guideline14=meets)


@pytest.mark.parametrize(("avoided", "uncertainty", "meets", "expected", "code"), [
    (None, None, True, 10, "cannot_measure_yet"),
    (12.0, None, True, 10, "cannot_measure_yet"),
    (12.0, 2.0, False, 10, "model_untrusted"),
    (12.0, 2.0, None, 10, "model_untrusted"),
    (-5.0, 2.0, True, 10, "use_increased"),  # [−7, −3]
    (1.0, 2.0, True, 10, "no_measurable_change"),  # [−1, 3] contains 0
    (2.0, 2.0, True, 10, "no_measurable_change"),  # [0, 4]: 0 is on the edge, still contained
    (14.0, 3.0, True, 10, "more_than_promised"),  # [11, 17] above 10
    (12.0, 3.0, True, 10, "as_promised"),  # [9, 15] contains 10
    (5.0, 2.0, True, 10, "less_than_promised"),  # [3, 7] below 10
    (5.0, 2.0, True, None, "saving_measured"),
])
def test_verdict_rules(avoided, uncertainty, meets, expected, code):
    assert sv.verdict(made(avoided, uncertainty, meets), expected) == code
    assert code in sv.VERDICTS


def test_to_contract_has_exactly_the_savings_contract_fields():
    frame, _ = synthetic(51)
    contract = run(frame, until="2024-03-31").to_contract()
    assert list(contract) == [
        "baseline_start", "baseline_end", "reporting_start", "reporting_end", "model", "adjusted_baseline_kwh",
        "actual_kwh", "avoided_kwh", "avoided_pct", "uncertainty_90_kwh", "meets_guideline14",
        "reporting_n_days", "reason"]
    assert list(contract["model"]) == ["balance_point_c", "cv_rmse_daily", "cv_rmse_monthly", "nmbe", "r2", "n_days"]
    assert contract["baseline_start"] == "2023-01-01" and contract["reporting_start"] == "2024-01-02"
    assert contract["model"]["n_days"] == 365 and contract["reporting_n_days"] == 90
    assert all(not isinstance(v, np.generic) for v in contract.values())


def test_avoided_value_sums_days_with_a_rate_and_counts_the_others():
    days = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"])
    avoided = pd.Series([10.0, 20.0, 30.0], index=days)
    price = pd.Series([2.0, np.nan, 1.0], index=days)
    # 10 × 2 + 30 × 1 = 50; 3 January has no price.
    assert sv.avoided_value(avoided, price) == (50.0, 1)
    assert sv.avoided_value(avoided, pd.Series([], dtype=float, index=pd.DatetimeIndex([]))) == (None, 3)
