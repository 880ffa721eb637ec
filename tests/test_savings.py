"""Measured savings of initiatives (issue 23) past the method: daily use, prices and CO₂e from the store by
hand-computed cases, the savings contract on the sample (whose planted effects are known), synthetic meters with a
known saving and one that must fail the fit criteria, the verdict in words, and the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from heg_dash import i18n
from heg_dash.kpis import savings as ks
from heg_dash.kpis.savings_text import verdict_text
from heg_dash.metrics import savings as method
from heg_dash.store import db, rollup
from heg_dash.store import sample as sample_data
from heg_dash.store.sample import base, energy
from heg_dash.store.sample import savings as planted

ROOT = Path(__file__).resolve().parent.parent
UTC = "UTC"


@pytest.fixture(autouse=True)
def _danish():
    with i18n.language("da"):
        yield


def nb(text: str) -> str:
    """Danish per cent as babel writes it: a non-breaking space before the sign."""
    return text.replace(" %", "\u00a0%")


def cli(*args: str, env_db: Path) -> subprocess.CompletedProcess:
    """``python -m heg_dash`` in a child process, as cron runs it."""
    env = {**os.environ, "HEG_DASH_DB": str(env_db), "HEG_DASH_LANG": "da"}
    return subprocess.run([sys.executable, "-m", "heg_dash", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def run(capsys, *args: str) -> tuple[int, str, str]:
    """The command line in this process (HEG_DASH_DB set by the fixture): (exit code, stdout, stderr)."""
    from heg_dash.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    out = capsys.readouterr()
    i18n.set_language("da")
    return code, out.out, out.err


# ------------------------------------------------------------------------------- hand-computed rules

def _end(day: str, hours: float) -> pd.Timestamp:
    return pd.Timestamp(day).tz_localize("Europe/Copenhagen").tz_convert(UTC) + pd.Timedelta(hours=hours)


def test_daily_use_in_kwh_by_the_coverage_rules():
    """Per meter and day: whole days in kWh (MWh × 1000), half a day scaled up, under half missing, a reading
    running into the next day missing, a 23-hour DST day not scaled to 24; a day missing when any meter is."""
    rows = [  # meter, day, value in the meter's unit, hours covered, last end (hours after local midnight)
        ("A", "2024-03-04", 24.0, 24, 24), ("B", "2024-03-04", 0.010, 24, 24),
        ("A", "2024-03-05", 10.0, 12, 24), ("B", "2024-03-05", 0.010, 24, 24),
        ("A", "2024-03-06", 10.0, 11, 24), ("B", "2024-03-06", 0.010, 24, 24),
        ("A", "2024-03-07", 300.0, 24 * 31, 24 * 31), ("B", "2024-03-07", 0.010, 24, 24),
        ("A", "2024-03-31", 23.0, 23, 23), ("B", "2024-03-31", 0.023, 23, 23),
    ]
    totals = pd.DataFrame({
        "meter_id": [r[0] for r in rows], "day": pd.to_datetime([r[1] for r in rows]),
        "value": [r[2] for r in rows], "covered_s": [r[3] * 3600.0 for r in rows],
        "last_end": [_end(r[1], r[4]) for r in rows], "grid_weighted": np.nan, "value_without_grid": np.nan})
    daily, _ = ks._daily_kwh(totals, {"A": "kWh", "B": "MWh"}, ["A", "B"])
    got = daily.set_index("day")["kwh"]
    assert got[pd.Timestamp("2024-03-04")] == pytest.approx(34.0)
    assert got[pd.Timestamp("2024-03-05")] == pytest.approx(10.0 * 24 / 12 + 10.0)
    assert np.isnan(got[pd.Timestamp("2024-03-06")]), "11 of 24 hours: missing, not a partial sum"
    assert np.isnan(got[pd.Timestamp("2024-03-07")]), "a monthly reading cannot be split into days"
    assert got[pd.Timestamp("2024-03-31")] == pytest.approx(46.0), "23 hours are the whole DST day"
    assert np.isnan(got[pd.Timestamp("2024-03-10")]), "no reading at all: missing"


def test_the_days_grid_intensity_is_weighted_by_the_meters_use():
    totals = pd.DataFrame({
        "meter_id": ["A", "B", "A"], "day": pd.to_datetime(["2024-03-04", "2024-03-04", "2024-03-05"]),
        "value": [24.0, 0.010, 10.0], "covered_s": [86400.0] * 3,
        "last_end": [_end("2024-03-04", 24), _end("2024-03-04", 24), _end("2024-03-05", 24)],
        # A: 24 kWh at 100 g; B: 10 kWh at 200 g (its sums in MWh); day 2: 5 of A's 10 kWh without intensity
        "grid_weighted": [2400.0, 2.0, 500.0], "value_without_grid": [np.nan, np.nan, 5.0]})
    _, intensity = ks._daily_kwh(totals, {"A": "kWh", "B": "MWh"}, ["A", "B"])
    assert intensity[pd.Timestamp("2024-03-04")] == pytest.approx((2400 + 2000) / 34)
    assert intensity[pd.Timestamp("2024-03-05")] == pytest.approx(100.0)


def test_the_days_price_is_the_sum_of_the_components_in_force_never_spot_alone(monkeypatch):
    lo = pd.Timestamp("2025-01-06").tz_localize("Europe/Copenhagen").tz_convert(UTC)
    hours = pd.date_range(lo, periods=48, freq="h")
    spot = pd.DataFrame({"kind": "spot", "start": hours, "end": hours + pd.Timedelta(hours=1),
                         "dkk_per_unit": np.r_[np.full(24, 0.5), np.full(24, 1.0)], "unit": "kWh"})
    fixed = pd.DataFrame({"kind": ["tariff", "tax"], "start": [lo] * 2, "end": [lo + pd.Timedelta(days=1)] * 2,
                          "dkk_per_unit": [300.0, 0.7], "unit": ["MWh", "kWh"]})
    monkeypatch.setattr(ks.q, "prices", lambda *_: pd.concat([spot, fixed], ignore_index=True))
    price = ks._daily_price("electricity", dt.date(2025, 1, 6), dt.date(2025, 1, 7))
    assert price[pd.Timestamp("2025-01-06")] == pytest.approx(0.5 + 0.3 + 0.7)
    assert np.isnan(price[pd.Timestamp("2025-01-07")]), "spot alone is not a cost"


def test_avoided_money_is_null_when_a_day_has_no_price():
    avoided = pd.Series([10.0, 20.0], index=pd.to_datetime(["2025-01-06", "2025-01-07"]))
    assert ks._value(avoided, pd.Series([2.0, 1.0], index=avoided.index)) == pytest.approx(40.0)
    assert ks._value(avoided, pd.Series([2.0], index=avoided.index[:1])) is None


def test_co2e_per_day_from_the_meters_intensity_else_the_years_factor(sample_db):
    days = pd.to_datetime(["2025-06-01", "2025-06-02"])
    factor = ks._daily_co2e_factor("electricity", pd.DatetimeIndex(days),
                                   pd.Series([150.0], index=pd.to_datetime(["2025-06-01"])))
    assert factor.iloc[0] == pytest.approx(0.150)
    assert factor.iloc[1] == pytest.approx(round(0.180 * 0.87 ** 6, 4)), "the sample's 2025 location factor"
    heat = ks._daily_co2e_factor("district_heating", pd.DatetimeIndex(days), pd.Series(dtype=float))
    assert heat.tolist() == pytest.approx([round(0.095 * 0.9 ** 6, 4)] * 2)


# ---------------------------------------------------------------------------------- the sample's truth

@pytest.fixture(scope="module")
def truth() -> dict[str, pd.Series]:
    """The sample's sub-meters per day with and without the planted effects (kWh)."""
    temps, holidays = energy.weather(), base.school_holidays()
    closed = set(holidays.loc[holidays["kind"].isin(["holiday", "closed"]), "date"])
    hours = energy.sample_hours()
    out = {}
    for effects in (True, False):
        frame = planted.series(hours, temps, closed, effects=effects).rename(columns={"value": "kwh"})
        for meter_id, *_ in planted.SUB_METERS:
            out[(meter_id, effects)] = method.daily_use(frame, [meter_id]).set_index("day")["kwh"]
    return out


CONTRACT_KEYS = {"initiative_id", "utility", "meter_ids", "baseline_start", "baseline_end", "reporting_start",
                 "reporting_end", "model", "adjusted_baseline_kwh", "actual_kwh", "avoided_kwh", "avoided_pct",
                 "uncertainty_90_kwh", "avoided_dkk", "avoided_co2e_kg", "meets_guideline14", "reason"}
MODEL_KEYS = {"balance_point_c", "cv_rmse_daily", "cv_rmse_monthly", "nmbe", "r2", "n_days"}


def test_the_contract_on_the_sample_finds_the_planted_effects(sample_db, truth):
    out = cli("savings", "--json", env_db=sample_db)
    assert out.returncode == 0, out.stderr
    items = {item["initiative_id"]: item for item in json.loads(out.stdout)}
    assert list(items) == ["I13", "I14", "I15"]
    for item in items.values():
        assert set(item) == CONTRACT_KEYS and set(item["model"]) == MODEL_KEYS  # the contract, exactly
        assert item["reporting_end"] == "2026-10-31" and item["reason"] is None and item["meets_guideline14"] is True
        assert isinstance(item["model"]["n_days"], int) and item["model"]["n_days"] >= 329
        for key in ("baseline_start", "baseline_end", "reporting_start"):
            dt.date.fromisoformat(item[key])
        meter = item["meter_ids"][0]
        days = pd.date_range(item["reporting_start"], item["reporting_end"])
        true = float((truth[(meter, False)][days] - truth[(meter, True)][days]).sum())
        assert abs(item["avoided_kwh"] - true) <= item["uncertainty_90_kwh"], (item["initiative_id"], true)
        assert item["actual_kwh"] == pytest.approx(float(truth[(meter, True)][days].sum()), rel=1e-9)
        assert item["avoided_dkk"] is not None and item["avoided_co2e_kg"] is not None
    assert items["I13"]["baseline_start"] == "2024-01-06" and items["I13"]["baseline_end"] == "2025-01-05"
    assert items["I13"]["reporting_start"] == "2025-01-18", "the installation period is left out"
    assert 8 < items["I13"]["avoided_pct"] < 14  # −12 % on school days ≈ −10 % of the circuit's use
    assert 13 < items["I14"]["avoided_pct"] < 18  # −25 % of the ≈ 60 % used at night and weekends
    assert abs(items["I15"]["avoided_pct"]) < 2  # nothing changed
    verdicts = {m.initiative_id: verdict_text(m) for m in ks.measured.uncached()}
    assert verdicts["I13"] == nb("✔ Sparer 12 % ± 2 % — mere end lovet (8 %)")
    assert verdicts["I14"] == nb("▼ Sparer 16 % ± 1 % — mindre end lovet (20 %)")
    assert verdicts["I15"] == nb("○ Ingen målbar ændring: -1 % ± 1 %")
    assert {m.initiative_id: ks.notable(m) for m in ks.measured.uncached()} == {
        "I13": "saved", "I14": "less_than_promised", "I15": None}


def test_until_ends_the_reporting_period_and_a_short_one_cannot_be_measured_yet(sample_db, capsys):
    [item] = json.loads(run(capsys, "savings", "--until", "2025-12-31", "--initiative", "I15", "--json")[1])
    assert item["reporting_end"] == "2025-12-31"
    [measured] = [m for m in ks.measured.uncached(dt.date(2025, 12, 31)) if m.initiative_id == "I15"]
    assert verdict_text(measured).startswith("◷ Kan ikke måles sikkert endnu: 138 dage efter installationen (")
    [short] = json.loads(run(capsys, "savings", "--until", "2025-09-04", "--initiative", "I15", "--json")[1])
    assert short["reason"] == "reporting_too_short"
    assert short["avoided_kwh"] is None and short["avoided_dkk"] is None and short["uncertainty_90_kwh"] is None
    assert short["model"]["n_days"] == 365, "the baseline is still fitted and says what it rests on"
    [m] = [m for m in ks.measured.uncached(dt.date(2025, 9, 4)) if m.initiative_id == "I15"]
    assert verdict_text(m) == ("– Kan ikke måles endnu: 20 dage efter installationen (der skal mindst 30 dage med "
                               "målinger til)")


def test_one_day_after_the_installation_is_one_day():
    one = ks.Measured("I1", "T", {"reason": "reporting_too_short"}, "cannot_measure_yet", days_after_installation=1)
    assert verdict_text(one) == "– Kan ikke måles endnu: 1 dag efter installationen (der skal mindst 30 dage med " \
                                "målinger til)"


def test_a_year_lists_the_initiatives_installed_by_its_end(sample_db):
    assert [m.initiative_id for m in ks.for_year(2024)] == []
    assert [m.initiative_id for m in ks.for_year(2025)] == ["I13", "I14", "I15"]
    assert {m.contract["reporting_end"] for m in ks.for_year(2025)} == {"2025-12-31"}
    assert {m.contract["reporting_end"] for m in ks.for_year(2026)} == {"2026-10-31"}, "a year under way: newest"
    assert [m.initiative_id for m in ks.for_year(2026, "HOB")] == ["I15"]


def test_a_meter_of_another_utility_or_gone_gives_nulls_and_a_reason(sample_db):
    with db.transaction() as con:
        con.execute("UPDATE initiatives SET utility = 'district_heating' WHERE initiative_id = 'I13'")
        con.execute("UPDATE initiatives SET meter_ids = 'AAR-A-EL-VENT;GONE' WHERE initiative_id = 'I14'")
    items = {m.initiative_id: m for m in ks.measured.uncached()}
    assert items["I13"].contract["reason"] == "meter_utility_differs"
    assert items["I14"].contract["reason"] == "unknown_meter"
    for item in (items["I13"], items["I14"]):
        assert item.contract["avoided_kwh"] is None and item.contract["model"]["n_days"] == 0
        assert item.verdict == "cannot_measure_yet" and verdict_text(item).startswith("– Kan ikke måles: ")


def test_unknown_initiative_exits_2_and_an_unmeasured_one_prints_an_empty_list(sample_db, capsys, monkeypatch):
    monkeypatch.setenv("HEG_DASH_LANG", "da")
    code, _, err = run(capsys, "savings", "--initiative", "NOPE")
    assert code == 2 and "indsatsen 'NOPE' findes ikke" in err
    code, out, err = run(capsys, "savings", "--initiative", "I01", "--json")
    assert code == 0 and json.loads(out) == [] and "måles ikke" in err
    code, _, err = run(capsys, "savings", "--until", "31-12-2025")
    assert code == 2 and "er ikke en dato" in err
    code, out, _ = run(capsys, "savings")
    assert code == 0 and "mere end lovet" in out and "13.274" in out


# ------------------------------------------------------------------------------ synthetic meters

def _school(heat_noise: float, saving: float, unit: str = "GJ", seed: int = 7,
            month_noise: float = 0.0) -> dict[str, float]:
    """An empty store with one campus, building and district-heating meter read daily in ``unit``: use =
    40 + 9 × max(0, 15 − T) kWh a day (a setback of 30 % on weekends), log-normal noise ``heat_noise``, and
    ``saving`` off every day from 2025-01-11; the initiative installed 2025-01-06..10. ``month_noise``: a log-normal
    factor per calendar month (what no weather explains: a month-long fault, a changed opening time). Returns the
    truth."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-12-01", "2025-12-31")
    doy, weekday = days.day_of_year.to_numpy(), days.day_of_week.to_numpy()
    temp = 8 - 7 * np.cos(2 * np.pi * (doy - 20) / 365.25) + rng.normal(0, 2.5, len(days))
    kwh = (40 + 9 * np.clip(15 - temp, 0, None)) * np.where(weekday >= 5, 0.7, 1.0)
    kwh = kwh * rng.lognormal(0, heat_noise, len(days))
    months = days.year.to_numpy() * 12 + days.month.to_numpy()
    kwh = kwh * rng.lognormal(0, month_noise, months.max() + 1)[months]
    after = np.asarray(days >= pd.Timestamp("2025-01-11"))
    actual = np.where(after, kwh * (1 - saving), kwh)
    starts = days.tz_localize("Europe/Copenhagen").tz_convert(UTC)
    ends = (days + pd.Timedelta(days=1)).tz_localize("Europe/Copenhagen").tz_convert(UTC)
    per_unit = {"kWh": 1.0, "MWh": 1000.0, "GJ": 1 / 0.0036}[unit]
    frames = {
        "campuses": pd.DataFrame([("C", "Campus", "Vej 1", 56.6, 9.8)],
                                 columns=["campus_id", "name", "address", "lat", "lon"]),
        "buildings": pd.DataFrame([("C-A", "C", "Hus", "teaching", 1990, 1000.0, 1, "C", "in_use", dt.date(1990, 1, 1),
                                    None)], columns=sample_data.DATASETS["buildings"].column_names),
        "meters": pd.DataFrame([("C-A-FV", "C-A", "district_heating", unit, None, None)],
                               columns=sample_data.DATASETS["meters"].column_names),
        "weather": pd.DataFrame({"campus_id": "C", "date": days.date, "mean_temp_c": temp}),
        "readings": pd.DataFrame({"meter_id": "C-A-FV", "start": starts, "end": ends, "value": actual / per_unit,
                                  "quality": "measured"}),
        "initiatives": pd.DataFrame([(
            "S1", "Ny varmestyring", "Eva", "done", dt.date(2025, 1, 6), None, "faciliteter", None,
            "district_heating", "C-A-FV", dt.date(2025, 1, 6), dt.date(2025, 1, 10), 20.0, None)],
            columns=[c for c in sample_data.DATASETS["initiatives"].column_names if c != "title_en"],
        ).reindex(columns=sample_data.DATASETS["initiatives"].column_names),
    }
    with db.transaction() as con:
        batch = db.new_batch(con, "test", "import", user="test")
        for name, frame in frames.items():
            sample_data.insert_frame(con, name, frame, batch, refresh_rollup=False)
        rollup.rebuild(con)
    rep = after & np.asarray(days <= pd.Timestamp("2025-12-31"))
    return {"avoided_kwh": float((kwh[rep] - actual[rep]).sum()), "actual_kwh": float(actual[rep].sum())}


def test_a_synthetic_meter_in_gj_with_a_known_saving(empty_db):
    truth = _school(heat_noise=0.04, saving=0.20, unit="GJ")
    [item] = ks.savings()
    assert item["meets_guideline14"] is True and item["model"]["balance_point_c"] == pytest.approx(15, abs=2)
    assert abs(item["avoided_kwh"] - truth["avoided_kwh"]) <= item["uncertainty_90_kwh"]
    assert item["avoided_pct"] == pytest.approx(20, abs=2)
    assert item["actual_kwh"] == pytest.approx(truth["actual_kwh"], rel=1e-9), "in kWh, not the meter's GJ"
    # Nothing priced and no factors stored: null (never 0) and the reason.
    assert item["avoided_dkk"] is None and item["avoided_co2e_kg"] is None and item["reason"] == "no_price"


def test_a_noisy_meter_fails_the_fit_criteria_and_is_called_uncertain(empty_db):
    _school(heat_noise=0.1, saving=0.10, month_noise=0.3)
    [m] = ks.measured.uncached()
    assert m.contract["meets_guideline14"] is False and m.contract["model"]["cv_rmse_monthly"] > 15
    assert m.contract["avoided_pct"] is not None, "the estimate is still given"
    assert m.verdict == "model_untrusted"
    assert verdict_text(m).startswith("⚠ Usikkert: modellen af basisperioden opfylder ikke ASHRAE Guideline 14")
