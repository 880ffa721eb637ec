"""The co2e_t and sdg KPI sections through the CLI on the sample database, as a scheduled job reads them."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import run_cli

SCOPES = ["scope1", "scope2_location", "scope2_market", "scope3", "total_location"]


def _kpis(db, *args: str) -> dict:
    result = run_cli("kpis", *args, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.engines
def test_co2e_section_on_the_sample(sample_db):
    kpis = _kpis(sample_db, "--year", "2025")
    co2e = kpis["co2e_t"]
    assert list(co2e) == SCOPES
    assert all(isinstance(v, float) and v > 0 for v in co2e.values())
    assert co2e["total_location"] == pytest.approx(co2e["scope1"] + co2e["scope2_location"] + co2e["scope3"])
    # The market-based residual mix is dirtier than the grid average in the sample (0.2867 against ≈ 0.09 kg/kWh).
    assert co2e["scope2_market"] > co2e["scope2_location"]
    # The sample's gas forge in Aars: ≈ 10,200 Nm3 × 2.18 kg = ≈ 22 t.
    assert 15 < co2e["scope1"] < 30
    # Keys follow the contract's order: co2e_t after m2_per_aarselev, sdg after co2e_t.
    keys = list(kpis)
    assert keys.index("co2e_t") > keys.index("m2_per_aarselev") and keys.index("sdg") == keys.index("co2e_t") + 1


def test_co2e_section_follows_the_campus(sample_db):
    school = _kpis(sample_db, "--year", "2025")["co2e_t"]
    parts = [_kpis(sample_db, "--year", "2025", "--campus", c)["co2e_t"] for c in ("HOB", "AAR")]
    # The only gas meter (scope 1) is in Aars: Hobro has nothing stored for scope 1, so null, not 0.
    assert parts[0]["scope1"] is None and parts[1]["scope1"] == school["scope1"]
    for key in SCOPES[1:]:
        assert parts[0][key] + parts[1][key] == pytest.approx(school[key])


def test_sdg_section_on_the_sample(sample_db):
    sdg = _kpis(sample_db, "--year", "2025", "--campus", "AAR")["sdg"]
    assert [g["goal"] for g in sdg] == list(range(1, 18))
    by_goal = {g["goal"]: g for g in sdg}
    # Goal 13's one indicator, CO₂e per årselev: (309.6 / 688.6)^(1/6) − 1 = −12.47 %/yr observed against
    # (167 / 688.6)^(1/9) − 1 = −14.56 %/yr needed → R = 0.856 → acceleration_needed; 348.3 → 309.6 improving.
    assert by_goal[13] == {"goal": 13, "status": "acceleration_needed", "trend": "improving"}
    # Goal 7's one indicator (own PV share): (2.6 / 1.5)^(1/4) − 1 = 14.7 % against (8 / 1.5)^(1/7) − 1 = 27.0 %
    # → R = 0.55 → limited_progress; 2.5 → 2.6 is +4 %: improving.
    assert by_goal[7] == {"goal": 7, "status": "limited_progress", "trend": "improving"}
    for goal in (1, 2, 3, 6, 9, 10, 11, 14, 15, 16):
        assert by_goal[goal] == {"goal": goal, "status": "no_data", "trend": "no_data"}


def test_empty_database_gives_nulls_and_seventeen_no_data_goals(tmp_path):
    db = tmp_path / "x.duckdb"
    assert run_cli("init", "--empty", db=db).returncode == 0
    kpis = _kpis(db, "--year", "2025")
    assert kpis["co2e_t"] == dict.fromkeys(SCOPES)
    assert kpis["sdg"] == [{"goal": n, "status": "no_data", "trend": "no_data"} for n in range(1, 18)]
