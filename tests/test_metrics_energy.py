"""Unit tests of heg_dash.metrics.energy: each expected value is worked out by hand in a comment."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from heg_dash.metrics import energy, profiles

TZ = "Europe/Copenhagen"


def hourly_from_local(first_local: str, last_local: str, kwh: float | list[float] = 1.0) -> pd.DataFrame:
    """Hourly rows stamped in UTC, as stored, covering local wall-clock hours first..last (tz-aware range)."""
    hours = pd.date_range(pd.Timestamp(first_local, tz=TZ), pd.Timestamp(last_local, tz=TZ), freq="h")
    return pd.DataFrame({"start": hours.tz_convert("UTC"), "kwh": kwh})


# --------------------------------------------------------------------------------------------------
# Degree days and normalisation
# --------------------------------------------------------------------------------------------------


def test_degree_days_is_base_minus_mean_never_negative():
    temps = pd.Series([20.0, 17.0, 16.5, -3.0, np.nan])
    # 17 − 20 = −3 → 0; 17 − 17 = 0 (boundary); 17 − 16.5 = 0.5; 17 − (−3) = 20; missing stays missing.
    result = energy.degree_days(temps)
    assert result.iloc[:4].tolist() == [0.0, 0.0, 0.5, 20.0]
    assert math.isnan(result.iloc[4])
    # Another base: 15 − 10 = 5.
    assert energy.degree_days(pd.Series([10.0]), base_c=15.0).tolist() == [5.0]


def weather_month_as_degree_days(years: list[int]) -> pd.DataFrame:
    """Daily weather whose degree days equal the month number (mean temperature 17 − month)."""
    days = pd.concat([pd.Series(pd.date_range(f"{y}-01-01", f"{y}-12-31", freq="D")) for y in years])
    return pd.DataFrame({"date": days.dt.date.to_numpy(), "mean_temp_c": (17 - days.dt.month).to_numpy(float)})


def test_climatology_lines_up_leap_and_common_years():
    clim = energy.degree_day_climatology(weather_month_as_degree_days([2023, 2024]))
    assert list(clim.index) == list(range(1, 367))
    # Key 59 = 28 Feb (DD 2), 60 = 29 Feb (2024 only, DD 2), 61 = 1 March in both years (DD 3), 366 = 31 Dec (DD 12).
    assert (clim[1], clim[59], clim[60], clim[61], clim[366]) == (1.0, 2.0, 2.0, 3.0, 12.0)


def test_climatology_interpolates_missing_leap_day_and_gives_up_on_long_gaps():
    clim = energy.degree_day_climatology(weather_month_as_degree_days([2023]))
    # No 29 February in 2023: filled halfway between 28 Feb (2) and 1 March (3) = 2.5.
    assert clim[60] == 2.5
    weather = weather_month_as_degree_days([2023])
    no_april = weather[pd.to_datetime(weather["date"]).dt.month != 4]
    # A 30-day gap is longer than 7 days: unusable, all NaN.
    assert energy.degree_day_climatology(no_april).isna().all()
    assert energy.degree_day_climatology(weather.iloc[0:0]).isna().all()


def half_year_climatology() -> pd.Series:
    """2 degree days a day on keys 1..182 (1 Jan–30 Jun), 0 for the rest of the year."""
    return pd.Series([2.0] * 182 + [0.0] * 184, index=range(1, 367))


def test_normal_degree_days_scaled_by_climatology_share():
    clim = half_year_climatology()
    january_2025 = pd.date_range("2025-01-01", "2025-01-31", freq="D")
    # Covered: 31 days × 2 = 62. Full common year: keys 1..182 without 60 (29 Feb) = 181 × 2 = 362.
    # 3000 × 62 / 362 = 513.81…
    assert energy.normal_degree_days_for_days(january_2025, 3000, clim) == pytest.approx(3000 * 62 / 362)
    # A summer month has no heating need in this climatology: 0.
    july = pd.date_range("2025-07-01", "2025-07-31", freq="D")
    assert energy.normal_degree_days_for_days(july, 3000, clim) == 0.0


def test_normal_degree_days_full_years_are_exactly_one_normal_year():
    clim = half_year_climatology()
    leap_year = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    common_year = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    assert energy.normal_degree_days_for_days(leap_year, 3000, clim) == pytest.approx(3000)
    assert energy.normal_degree_days_for_days(common_year, 3000, clim) == pytest.approx(3000)
    assert energy.normal_degree_days_for_days(common_year, 3000) == pytest.approx(3000)
    assert energy.normal_degree_days_for_days(leap_year, 3000) == pytest.approx(3000)


def test_normal_degree_days_fallback_counts_days():
    january_2025 = pd.Series(pd.date_range("2025-01-01", "2025-01-31", freq="D")).dt.date
    # No climatology: 3000 × 31 / 365 = 254.79…
    assert energy.normal_degree_days_for_days(january_2025, 3000) == pytest.approx(3000 * 31 / 365)
    # Jan + Feb 2024 (leap) = 60 days: 3000 × 60 / 366.
    jan_feb_2024 = pd.date_range("2024-01-01", "2024-02-29", freq="D")
    assert energy.normal_degree_days_for_days(jan_feb_2024, 3000, None) == pytest.approx(3000 * 60 / 366)
    # Across New Year, each year's days over that year's length: 3000 × (31/366 + 31/365).
    winter = pd.date_range("2024-12-01", "2025-01-31", freq="D")
    assert energy.normal_degree_days_for_days(winter, 3000) == pytest.approx(3000 * (31 / 366 + 31 / 365))
    # An unusable (all-NaN) climatology also falls back; duplicate days count once; no days → 0.
    unusable = pd.Series(np.nan, index=range(1, 367))
    doubled = list(january_2025) * 2
    assert energy.normal_degree_days_for_days(doubled, 3000, unusable) == pytest.approx(3000 * 31 / 365)
    assert energy.normal_degree_days_for_days([], 3000) == 0.0


def test_normalise_heat_hand_computed():
    # 100,000 × (0.75 × 3000/2500 + 0.25) = 100,000 × (0.9 + 0.25) = 115,000.
    assert energy.normalise_heat(100_000, 2500, 3000) == pytest.approx(115_000)
    # w = 0: all heat scales, 100,000 × 1.2 = 120,000. w = 1: all hot water, unchanged.
    assert energy.normalise_heat(100_000, 2500, 3000, hot_water_share=0) == pytest.approx(120_000)
    assert energy.normalise_heat(100_000, 2500, 3000, hot_water_share=1) == pytest.approx(100_000)
    # A normal year: nothing changes.
    assert energy.normalise_heat(100_000, 3000, 3000) == pytest.approx(100_000)


def test_normalise_heat_edge_cases():
    assert energy.normalise_heat(5_000, 0, 3000) is None  # heat used with no heating need: undefined
    assert energy.normalise_heat(5_000, -1, 3000) is None
    assert energy.normalise_heat(0, 0, 3000) == 0.0  # nothing to scale
    assert energy.normalise_heat(None, 2500, 3000) is None
    assert energy.normalise_heat(100, float("nan"), 3000) is None
    assert energy.normalise_heat(100, 2500, None) is None
    with pytest.raises(ValueError):
        energy.normalise_heat(100, 2500, 3000, hot_water_share=1.1)
    with pytest.raises(ValueError):
        energy.normalise_heat(100, 2500, -5)


# --------------------------------------------------------------------------------------------------
# Units, area, EUI
# --------------------------------------------------------------------------------------------------


def test_to_kwh_scalars_and_series():
    assert energy.to_kwh(2.5, "MWh") == 2500.0
    assert energy.to_kwh(36, "GJ") == pytest.approx(10_000)  # 36 / 0.0036
    assert energy.to_kwh(7, "kWh") == 7.0
    values = pd.Series([1.0, 2.0, 3.6])
    units = pd.Series(["kWh", "MWh", "GJ"])
    assert energy.to_kwh(values, units).tolist() == pytest.approx([1.0, 2000.0, 1000.0])
    assert energy.to_kwh(values, "MWh").tolist() == pytest.approx([1000.0, 2000.0, 3600.0])


@pytest.mark.parametrize("unit", ["m3", "Nm3", "l", "kwh", ""])
def test_to_kwh_refuses_non_energy_units(unit):
    with pytest.raises(ValueError):
        energy.to_kwh(1.0, unit)


def test_to_kwh_refuses_non_energy_unit_in_series():
    with pytest.raises(ValueError, match="m3"):
        energy.to_kwh(pd.Series([1.0, 2.0]), pd.Series(["kWh", "m3"]))


def test_eui_and_weighted_eui():
    assert energy.eui(150_000, 1000) == 150.0
    assert energy.eui(150_000, 0) is None
    assert energy.eui(150_000, None) is None
    assert energy.eui(None, 1000) is None
    assert energy.eui(150_000, -5) is None
    # (100,000 × 1.9 + 200,000 × 0.85) / 2,000 = (190,000 + 170,000) / 2,000 = 180.
    assert energy.weighted_eui(100_000, 200_000, 2_000) == pytest.approx(180.0)
    assert energy.weighted_eui(100_000, 0, 2_000) == pytest.approx(95.0)  # 190,000 / 2,000
    assert energy.weighted_eui(100_000, 200_000, 0) is None
    assert energy.weighted_eui(100_000, None, 2_000) is None
    assert energy.weighted_eui(float("nan"), 1.0, 2_000) is None


def test_eui_on_series_gives_nan_for_zero_area():
    kwh = pd.Series([1000.0, 500.0, 300.0], index=["a", "b", "c"])
    area = pd.Series([10.0, 0.0, np.nan], index=["a", "b", "c"])
    result = energy.eui(kwh, area)
    assert result["a"] == 100.0 and math.isnan(result["b"]) and math.isnan(result["c"])
    # Weighted on Series: a = (1000 × 1.9 + 100 × 0.85) / 10 = (1900 + 85) / 10 = 198.5.
    weighted = energy.weighted_eui(kwh, pd.Series([100.0, 0.0, 0.0], index=kwh.index), area)
    assert weighted["a"] == pytest.approx(198.5) and weighted[["b", "c"]].isna().all()


# --------------------------------------------------------------------------------------------------
# Local days, base load, night/weekend share (DST)
# --------------------------------------------------------------------------------------------------


def test_daily_totals_23_hour_march_day_and_25_hour_october_day():
    march = hourly_from_local("2025-03-29 00:00", "2025-03-31 23:00")
    # Each hour 1 kWh: 29 March 24 h, 30 March (clocks jump 02→03) 23 h, 31 March 24 h.
    totals = profiles.daily_totals_local(march)
    assert totals["kwh"].tolist() == [24.0, 23.0, 24.0]
    assert totals["day"].tolist() == [pd.Timestamp(d) for d in ("2025-03-29", "2025-03-30", "2025-03-31")]
    october = hourly_from_local("2025-10-25 00:00", "2025-10-27 23:00")
    # 26 October repeats 02:00–03:00: 25 h.
    assert profiles.daily_totals_local(october)["kwh"].tolist() == [24.0, 25.0, 24.0]
    assert len(october) == 24 + 25 + 24


def test_daily_totals_uses_local_not_utc_midnight_and_groups_by():
    # 23:00 UTC on 14 Jan is 00:00 local on 15 Jan; 22:00 UTC on 15 Jun is 00:00 local on 16 Jun (summer time).
    rows = pd.DataFrame({
        "start": pd.to_datetime(["2025-01-14T22:00Z", "2025-01-14T23:00Z", "2025-06-15T21:00Z", "2025-06-15T22:00Z"]),
        "kwh": [1.0, 2.0, 4.0, 8.0],
        "building_id": ["a", "a", "b", "b"],
    })
    totals = profiles.daily_totals_local(rows, by="building_id")
    assert totals.to_dict("list") == {
        "building_id": ["a", "a", "b", "b"],
        "day": [pd.Timestamp(d) for d in ("2025-01-14", "2025-01-15", "2025-06-15", "2025-06-16")],
        "kwh": [1.0, 2.0, 4.0, 8.0],
    }
    # Naive starts are UTC (the store's convention): same answer.
    naive = rows.assign(start=rows["start"].dt.tz_convert(None))
    assert profiles.daily_totals_local(naive, by="building_id")["kwh"].tolist() == [1.0, 2.0, 4.0, 8.0]


def night_profile(first_local: str, night_values: dict[str, float], last_local: str) -> pd.DataFrame:
    """10 kWh every hour, except the local hours named in ``night_values`` (a wall-clock time → kWh)."""
    frame = hourly_from_local(first_local, last_local, 10.0)
    local = frame["start"].dt.tz_convert(TZ).dt.strftime("%Y-%m-%d %H:%M")
    frame["kwh"] = [night_values.get(s, 10.0) for s in local]
    return frame


def test_base_load_is_median_of_nightly_minima():
    frame = night_profile("2025-01-06 00:00", {
        "2025-01-06 02:00": 4.0,  # night 1 minimum 4
        "2025-01-07 00:00": 6.0,  # night 2 minimum 6
        "2025-01-08 04:00": 5.0,  # night 3 minimum 5
        "2025-01-08 05:00": 1.0,  # 05:00 is after the night window: ignored
        "2025-01-07 23:00": 0.5,  # 23:00 is outside 00–05: ignored
    }, "2025-01-08 23:00")
    # Median of (4, 6, 5) = 5 kW.
    assert profiles.base_load_kw(frame) == 5.0


def test_base_load_counts_both_repeated_october_hours():
    # The 02:00 hour happens twice on 26 October 2025; put the night's minimum in the second one.
    frame = hourly_from_local("2025-10-26 00:00", "2025-10-26 23:00", 10.0)
    local = frame["start"].dt.tz_convert(TZ)
    second_two_oclock = (local.dt.hour == 2) & (local.dt.strftime("%z") == "+0100")
    assert second_two_oclock.sum() == 1
    frame.loc[second_two_oclock, "kwh"] = 3.0
    assert profiles.base_load_kw(frame) == 3.0


def test_base_load_sums_quarter_hours_and_handles_no_night():
    quarters = pd.DataFrame({
        "start": pd.date_range(pd.Timestamp("2025-01-06 00:00", tz=TZ), periods=4 * 5, freq="15min"),
        "kwh": 0.5,
    })
    # Four 0.5 kWh quarters = 2 kWh in each hour = 2 kW average.
    assert profiles.base_load_kw(quarters) == 2.0
    daytime = hourly_from_local("2025-01-06 08:00", "2025-01-06 16:00")
    assert profiles.base_load_kw(daytime) is None


def test_night_weekend_share_ordinary_week():
    week = hourly_from_local("2025-06-02 00:00", "2025-06-08 23:00")  # Monday to Sunday, 168 h of 1 kWh
    shares = profiles.night_weekend_share(week)
    # Night 22–06 = 8 h × 7 = 56/168; weekend 48/168; either: 5 weekday nights × 8 + 48 = 88/168.
    assert shares == pytest.approx({"night": 56 / 168, "weekend": 48 / 168, "night_or_weekend": 88 / 168})


def test_night_weekend_share_over_the_october_dst_week():
    week = hourly_from_local("2025-10-20 00:00", "2025-10-26 23:00")  # ends on the 25-hour Sunday
    assert len(week) == 169
    # Night: 7 × 8 + the repeated 02:00 = 57; weekend: 24 + 25 = 49; either: 5 × 8 + 49 = 89; of 169.
    assert profiles.night_weekend_share(week) == pytest.approx(
        {"night": 57 / 169, "weekend": 49 / 169, "night_or_weekend": 89 / 169}
    )


def test_night_weekend_share_without_use_is_none():
    empty = {"night": None, "weekend": None, "night_or_weekend": None}
    assert profiles.night_weekend_share(hourly_from_local("2025-01-06 00:00", "2025-01-06 03:00", 0.0)) == empty
    assert profiles.night_weekend_share(pd.DataFrame({"start": pd.to_datetime([], utc=True), "kwh": []})) == empty


# --------------------------------------------------------------------------------------------------
# Electricity anomalies
# --------------------------------------------------------------------------------------------------


MONDAYS = [date(2025, 1, 6) + timedelta(weeks=k) for k in range(9)]  # 6 Jan … 3 March 2025
BASELINE = [100.0, 102.0, 98.0, 101.0, 99.0, 100.0, 103.0, 60.0]  # 24 Feb: a half day, so mean ≠ median


def mondays(last_value: float) -> pd.DataFrame:
    return pd.DataFrame({"building_id": "A", "day": MONDAYS, "kwh": [*BASELINE, last_value]})


def test_electricity_expected_is_same_weekday_median_of_8_weeks():
    rows = profiles.electricity_expected(mondays(140.0))
    last = rows.iloc[-1]
    # Sorted baseline 60 98 99 100 100 101 102 103: median = (100 + 100) / 2 = 100 (the mean would be 95.375).
    assert last["expected_kwh"] == 100.0 and last["baseline_weeks"] == 8
    # The fourth Monday has 3 earlier Mondays (< 4): no expectation; the fifth has 4: median(100, 102, 98, 101) = 100.5.
    assert math.isnan(rows.iloc[3]["expected_kwh"]) and rows.iloc[3]["baseline_weeks"] == 3
    assert rows.iloc[4]["expected_kwh"] == 100.5


def test_electricity_anomaly_hand_computed_and_thresholds():
    flagged = profiles.electricity_anomalies(mondays(140.0))
    # Excess 140 − 100 = 40 > 25 % × 100 = 25 and > 20 kWh: flagged.
    assert flagged.to_dict("list") == {
        "building_id": ["A"], "day": [pd.Timestamp("2025-03-03")],
        "kwh": [140.0], "expected_kwh": [100.0], "excess_kwh": [40.0],
    }
    # Exactly 25 % above is not "exceeds"; just above it is.
    assert profiles.electricity_anomalies(mondays(125.0)).empty
    assert len(profiles.electricity_anomalies(mondays(125.5))) == 1
    # Both limits must be passed: 40 kWh is not above an absolute limit of 40 kWh.
    assert profiles.electricity_anomalies(mondays(140.0), min_excess_kwh=40).empty
    # …and not above a relative limit of 40 %.
    assert profiles.electricity_anomalies(mondays(140.0), min_relative=0.40).empty


def test_electricity_anomaly_needs_enough_baseline_weeks():
    short = pd.DataFrame({"building_id": "A", "day": MONDAYS[:4], "kwh": [100.0, 102.0, 98.0, 200.0]})
    assert profiles.electricity_anomalies(short).empty  # 3 earlier Mondays < 4
    # With min_weeks=3: median(100, 102, 98) = 100; 200 − 100 = 100 → flagged.
    assert profiles.electricity_anomalies(short, min_weeks=3)["excess_kwh"].tolist() == [100.0]


def test_electricity_skip_days_are_not_judged_nor_baseline():
    assert profiles.electricity_anomalies(mondays(140.0), skip_days={date(2025, 3, 3)}).empty
    # A closed Monday with 0 kWh among the baseline: skipped, so the baseline stays at the other 7.
    data = mondays(140.0)
    data.loc[7, "kwh"] = 0.0
    rows = profiles.electricity_expected(data, skip_days={date(2025, 2, 24)})
    # Baseline 100 102 98 101 99 100 103 → sorted 98 99 100 100 101 102 103 → median 100, 7 weeks.
    assert rows.iloc[-1][["expected_kwh", "baseline_weeks"]].tolist() == [100.0, 7]
    assert math.isnan(rows.iloc[7]["expected_kwh"])


def test_electricity_anomalies_empty_input():
    empty = pd.DataFrame({"building_id": pd.Series([], dtype="str"), "day": pd.Series([], dtype="datetime64[ns]"),
                          "kwh": pd.Series([], dtype=float)})
    result = profiles.electricity_anomalies(empty)
    assert result.empty and list(result.columns) == ["building_id", "day", "kwh", "expected_kwh", "excess_kwh"]


def school_electricity(first: date, days: int, weekday_kwh: dict[str, float], weekend_kwh: dict[str, float]):
    """Daily use per building with a fixed weekday/weekend level and a bounded ±4 % wobble."""
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        for n, building in enumerate(weekday_kwh):
            level = weekend_kwh[building] if day.weekday() >= 5 else weekday_kwh[building]
            rows.append((building, day, level * (1 + 0.04 * math.sin(1.7 * i + n))))
    return pd.DataFrame(rows, columns=["building_id", "day", "kwh"])


def test_planted_night_running_fault_is_found_and_nothing_else():
    data = school_electricity(date(2025, 1, 6), 25 * 7, {"A": 500.0, "B": 800.0}, {"A": 200.0, "B": 300.0})
    winter_break = {date(2025, 2, 10) + timedelta(days=i) for i in range(7)}
    easter = {date(2025, 4, 14) + timedelta(days=i) for i in range(8)}
    holidays = winter_break | easter
    data.loc[data["day"].isin(holidays), "kwh"] *= 0.4  # the school is empty in the holidays
    # Building B runs its ventilation at night for 3 weeks: every day up 40 %.
    fault_days = {date(2025, 3, 10) + timedelta(days=i) for i in range(21)}
    data.loc[(data["building_id"] == "B") & data["day"].isin(fault_days), "kwh"] *= 1.4

    flagged = profiles.electricity_anomalies(data, skip_days=holidays)
    assert set(flagged["building_id"]) == {"B"}
    assert {d.date() for d in flagged["day"]} == fault_days


def test_long_closure_would_raise_false_alarms_without_skip_days():
    data = school_electricity(date(2025, 1, 6), 16 * 7, {"A": 500.0}, {"A": 500.0})
    closure = {date(2025, 2, 3) + timedelta(days=i) for i in range(35)}  # 5 weeks closed
    data.loc[data["day"].isin(closure), "kwh"] = 100.0
    # Without the calendar the closure becomes the baseline and the first week back looks like waste.
    assert not profiles.electricity_anomalies(data).empty
    assert profiles.electricity_anomalies(data, skip_days=closure).empty


# --------------------------------------------------------------------------------------------------
# Heat anomalies
# --------------------------------------------------------------------------------------------------


def linear_heat_days() -> pd.DataFrame:
    """20 days on the line 100 + 20 × DD with residuals +5 −5 −5 +5 (orthogonal to 1 and DD), plus a fault day."""
    dd = np.arange(20, dtype=float)
    noise = np.tile([5.0, -5.0, -5.0, 5.0], 5)
    days = pd.date_range("2025-01-01", periods=21, freq="D")
    return pd.DataFrame({
        "building_id": "H",
        "day": days,
        "kwh": [*(100 + 20 * dd + noise), 500.0],  # day 21: DD 10 → expected 300, uses 500
        "degree_days": [*dd, 10.0],
    })


def test_heat_signature_hand_computed():
    signature = profiles.heat_signature(linear_heat_days())
    row = signature.loc["H"]
    # The fault day is dropped after the first fit; the 20 normal days lie on 100 + 20 × DD ± 5.
    assert row["base_kwh"] == pytest.approx(100.0)
    assert row["kwh_per_degree_day"] == pytest.approx(20.0)
    # MAD of ±5 residuals = 5 → sigma = 1.4826 × 5 = 7.413.
    assert row["sigma_kwh"] == pytest.approx(7.413)
    assert row["days"] == 21


def test_heat_anomaly_hand_computed():
    flagged = profiles.heat_anomalies(linear_heat_days())
    # Limit = max(3 × 7.413 = 22.239, 10) = 22.239; normal residuals are 5; the fault day is 500 − 300 = 200.
    assert flagged["day"].tolist() == [pd.Timestamp("2025-01-21")]
    assert flagged[["expected_kwh", "excess_kwh"]].iloc[0].tolist() == pytest.approx([300.0, 200.0])
    # The absolute floor: 200 kWh is not above 250 kWh.
    assert profiles.heat_anomalies(linear_heat_days(), min_excess_kwh=250).empty
    # Skipped (a holiday) is neither fitted nor judged.
    assert profiles.heat_anomalies(linear_heat_days(), skip_days={date(2025, 1, 21)}).empty


def test_heat_anomaly_needs_min_days():
    few = linear_heat_days().iloc[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20]]  # 11 days < 14
    assert profiles.heat_anomalies(few).empty
    assert math.isnan(profiles.heat_signature(few).loc["H", "base_kwh"])


def test_planted_heat_fault_is_found_and_normal_days_are_not():
    rng = np.random.default_rng(7)
    days = pd.date_range("2024-09-01", "2025-08-31", freq="D")
    temp = 8 - 8 * np.cos(2 * np.pi * (days.day_of_year - 20) / 365.25)  # coldest around 20 January
    frames = []
    for building, base, slope in (("cold", 40.0, 25.0), ("warm", 20.0, 12.0)):
        dd = energy.degree_days(pd.Series(temp)).to_numpy()
        kwh = base + slope * dd + rng.normal(0, 6.0, len(days))
        frames.append(pd.DataFrame({"building_id": building, "day": days, "kwh": kwh, "degree_days": dd}))
    data = pd.concat(frames, ignore_index=True)
    christmas = {date(2024, 12, 21) + timedelta(days=i) for i in range(14)}
    data.loc[data["day"].dt.date.isin(christmas), "kwh"] *= 0.6  # setback in the holiday
    # A stuck valve in "cold" for 3 weeks in February: heat up 40 %.
    fault_days = {date(2025, 2, 3) + timedelta(days=i) for i in range(21)}
    data.loc[(data["building_id"] == "cold") & data["day"].dt.date.isin(fault_days), "kwh"] *= 1.4

    flagged = profiles.heat_anomalies(data, skip_days=christmas)
    assert set(flagged["building_id"]) == {"cold"}
    assert {d.date() for d in flagged["day"]} == fault_days
    # The fit is not bent by the fault: slope close to the true 25 kWh per degree day.
    assert profiles.heat_signature(data, christmas).loc["cold", "kwh_per_degree_day"] == pytest.approx(25.0, rel=0.02)


# --------------------------------------------------------------------------------------------------
# Same period last year
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 3, 3), date(2024, 3, 4)),  # Monday, ISO week 10, 2025 → Monday, week 10, 2024
    (date(2021, 3, 8), date(2020, 3, 2)),  # after the 53-week year 2020: not simply 364 days back
    (date(2020, 12, 31), date(2019, 12, 26)),  # Thursday of week 53; 2019 has 52 weeks → week 52
    (date(2026, 1, 1), date(2025, 1, 2)),  # Thursday of week 1, 2026 → Thursday of week 1, 2025
    (date(2025, 12, 29), date(2024, 12, 30)),  # Monday of ISO week 1 of 2026 (ISO year, not calendar year)
])
def test_same_day_last_year_by_iso_week(day, expected):
    assert energy.same_day_last_year(day) == expected
    assert expected.isocalendar().weekday == day.isocalendar().weekday


def test_same_period_last_year_keeps_length_and_weekdays():
    # Week 10 2025 (Mon 3 – Sun 9 March) → Mon 4 – Sun 10 March 2024.
    assert energy.same_period_last_year(date(2025, 3, 3), date(2025, 3, 9)) == (date(2024, 3, 4), date(2024, 3, 10))
    # Year to date 1 Jan – 30 Jun 2025 (Wed, 181 days) → Wed 3 Jan 2024 + 180 days = 1 Jul 2024.
    assert energy.same_period_last_year("2025-01-01", "2025-06-30") == (date(2024, 1, 3), date(2024, 7, 1))
    assert energy.same_period_last_year(date(2025, 5, 5), date(2025, 5, 5)) == (date(2024, 5, 6), date(2024, 5, 6))
    with pytest.raises(ValueError):
        energy.same_period_last_year(date(2025, 3, 9), date(2025, 3, 3))


def test_last_year_aligned_series():
    days = pd.date_range("2024-03-01", "2025-03-31", freq="D")
    series = pd.Series(np.arange(len(days), dtype=float), index=days, name="kwh")
    aligned = energy.last_year_aligned(series)
    assert aligned.index.equals(series.index) and aligned.name == "kwh"
    # 3 March 2025 gets the value of 4 March 2024, which is position 3 in the series.
    assert aligned[pd.Timestamp("2025-03-03")] == 3.0
    # 2024 days have no previous year in the series.
    assert math.isnan(aligned[pd.Timestamp("2024-06-01")])
