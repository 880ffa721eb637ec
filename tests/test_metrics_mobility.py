"""Unit tests of heg_dash.metrics.mobility: each expected value is worked out by hand in a comment."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from heg_dash.metrics import mobility


@pytest.mark.parametrize(("km", "band"), [
    (0, "0-9"), (9.99, "0-9"),
    (10, "10-99"), (99.999, "10-99"),
    (100, "100-499"), (499.9, "100-499"),
    (500, "500-1999"), (1782.69, "500-1999"), (1999.99, "500-1999"),  # Hobro–Barcelona ≈ 1,782.7 km
    (2000, "2000-2999"), (2999.5, "2000-2999"),
    (3000, "3000-3999"), (3999.99, "3000-3999"),
    (4000, "4000-7999"), (7999.999, "4000-7999"),
    (8000, "8000+"), (19_000, "8000+"),
])
def test_erasmus_distance_band_every_edge(km, band):
    # Whole km rounded down: 9.99 → 9 ("0-9"), 499.9 → 499 ("100-499"), 500 → "500-1999".
    assert mobility.erasmus_distance_band(km) == band


def test_erasmus_distance_band_missing_and_negative():
    assert mobility.erasmus_distance_band(None) is None
    assert mobility.erasmus_distance_band(float("nan")) is None
    with pytest.raises(ValueError):
        mobility.erasmus_distance_band(-0.5)


def test_distance_bands_in_order_and_vectorised():
    assert mobility.DISTANCE_BANDS == (
        "0-9", "10-99", "100-499", "500-1999", "2000-2999", "3000-3999", "4000-7999", "8000+")
    bands = mobility.erasmus_distance_bands(pd.Series([5.0, np.nan, 8000.0], index=["a", "b", "c"]))
    assert bands[["a", "c"]].tolist() == ["0-9", "8000+"]
    assert pd.isna(bands["b"])


def test_duration_days_counts_both_ends():
    assert mobility.duration_days(date(2025, 3, 3), date(2025, 3, 7)) == 5  # 3, 4, 5, 6, 7 March
    assert mobility.duration_days("2025-03-03", "2025-03-03") == 1
    assert mobility.duration_days(date(2024, 2, 28), date(2024, 3, 1)) == 3  # leap year: 28, 29 Feb, 1 Mar
    assert mobility.duration_days(pd.Timestamp("2025-02-28"), pd.Timestamp("2025-03-01")) == 2
    with pytest.raises(ValueError):
        mobility.duration_days(date(2025, 3, 7), date(2025, 3, 3))


@pytest.mark.parametrize(("participant", "start", "end", "activity"), [
    # 1 Mar–28 May 2025 = 31 + 30 + 28 = 89 days: short-term; to 29 May = 90 days: ErasmusPro.
    ("student", date(2025, 3, 1), date(2025, 5, 28), "short_term"),
    ("student", date(2025, 3, 1), date(2025, 5, 29), "erasmus_pro"),
    ("student", date(2025, 3, 1), date(2025, 3, 1), "short_term"),
    ("student", date(2025, 1, 1), date(2026, 6, 30), "erasmus_pro"),  # a long PIU placement
    # Staff: 1 day other; 2 days job shadowing; 1 Mar–29 Apr = 31 + 29 = 60 days still job shadowing; 61 teaching.
    ("staff", date(2025, 3, 1), date(2025, 3, 1), "other"),
    ("staff", date(2025, 3, 1), date(2025, 3, 2), "job_shadowing"),
    ("staff", date(2025, 3, 1), date(2025, 4, 29), "job_shadowing"),
    ("staff", date(2025, 3, 1), date(2025, 4, 30), "teaching"),
    ("staff", date(2025, 1, 1), date(2025, 12, 31), "teaching"),  # 365 days
    ("staff", date(2025, 1, 1), date(2026, 1, 1), "other"),  # 366 days
])
def test_derive_activity_from_duration(participant, start, end, activity):
    assert mobility.derive_activity(participant, start, end) == activity


def test_derive_activity_keeps_stored_value():
    assert mobility.derive_activity("student", date(2025, 3, 1), date(2025, 3, 5), "competition") == "competition"
    # Blank or missing means "not stored": derived.
    assert mobility.derive_activity("student", date(2025, 3, 1), date(2025, 3, 5), "") == "short_term"
    assert mobility.derive_activity("student", date(2025, 3, 1), date(2025, 3, 5), float("nan")) == "short_term"
    with pytest.raises(ValueError):
        mobility.derive_activity("teacher", date(2025, 3, 1), date(2025, 3, 5))


def exchanges(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["direction", "participant", "start_date", "participants", "green_travel"])


def test_green_travel_share_counts_outbound_participants():
    frame = exchanges([
        ("out", "student", date(2025, 3, 1), 10, True),
        ("out", "staff", date(2025, 4, 1), 2, False),
        ("out", "student", date(2025, 5, 1), 3, None),  # unknown: not shown to be green
        ("in", "student", date(2025, 5, 1), 5, True),  # inbound: not the school's travel
    ])
    # Green outbound 10 of 10 + 2 + 3 = 15 → 2/3.
    assert mobility.green_travel_share(frame) == pytest.approx(2 / 3)
    assert mobility.green_travel_share(frame[frame["direction"] == "in"]) is None
    assert mobility.green_travel_share(frame.iloc[0:0]) is None
    assert mobility.green_travel_share(frame.iloc[[0]]) == 1.0


def test_mobility_counts_by_year_of_start_date():
    frame = exchanges([
        ("out", "student", date(2025, 3, 1), 10, True),
        ("out", "staff", date(2025, 12, 31), 2, False),
        ("out", "student", date(2024, 12, 31), 4, True),  # ends in 2025 but starts in 2024
        ("in", "student", date(2025, 1, 1), 5, False),
        ("in", "staff", date(2025, 6, 1), 1, False),
        ("in", "student", date(2026, 1, 1), 7, False),
    ])
    # 2025: out students 10; out staff 2; inbound 5 + 1 = 6.
    counts = mobility.mobility_counts(frame, 2025)
    assert counts == {"outbound_students": 10, "outbound_staff": 2, "inbound": 6}
    assert all(type(v) is int for v in counts.values())
    assert mobility.mobility_counts(frame, 2024) == {"outbound_students": 4, "outbound_staff": 0, "inbound": 0}
    assert mobility.mobility_counts(frame.iloc[0:0], 2025) == {"outbound_students": 0, "outbound_staff": 0,
                                                               "inbound": 0}
