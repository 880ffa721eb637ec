"""The CLI as a user runs it: a subprocess with HEG_DASH_DB set, exit codes, JSON on stdout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HEG_DASH_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "heg_dash", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def test_kpis_2023_reports_the_real_anchor_and_its_target_path(sample_db):
    result = run_cli("kpis", "--year", "2023", "--json", db=sample_db)
    assert result.returncode == 0, result.stderr
    kpis = json.loads(result.stdout)
    assert kpis["year"] == 2023 and kpis["campus"] is None and kpis["partial_year"] is False
    assert kpis["aarselever"]["value"] == 1384
    assert kpis["aarselever"]["target"] == pytest.approx(1800 / 1.05**5)  # 1,410.35
    assert kpis["m2_per_aarselev"]["target"] == 25
    assert kpis["aarselever"]["status"] == "no_data"  # 2023 is the baseline year: no growth to observe yet


def test_kpis_for_a_campus_have_no_school_target(sample_db):
    kpis = json.loads(run_cli("kpis", "--year", "2025", "--campus", "AAR", "--json", db=sample_db).stdout)
    assert kpis["campus"] == "AAR"
    assert kpis["aarselever"]["target"] is None
    assert 0 < kpis["aarselever"]["value"] < 1468


def test_partial_year_and_missing_values_are_null_not_zero(sample_db):
    kpis = json.loads(run_cli("kpis", "--year", "2026", "--json", db=sample_db).stdout)
    assert kpis["partial_year"] is True
    assert kpis["aarselever"]["value"] is None and kpis["aarselever"]["status"] == "no_data"


def test_unknown_campus_and_bad_arguments_exit_2(sample_db):
    assert run_cli("kpis", "--year", "2025", "--campus", "XX", "--json", db=sample_db).returncode == 2
    assert run_cli("kpis", "--json", db=sample_db).returncode == 2
    assert run_cli("frobnicate", db=sample_db).returncode == 2


def test_init_empty_then_kpis_are_null(tmp_path):
    db = tmp_path / "x.duckdb"
    assert run_cli("init", "--empty", db=db).returncode == 0
    kpis = json.loads(run_cli("kpis", "--year", "2025", "--json", db=db).stdout)
    empty = {"value": None, "target": None, "status": "no_data"}
    assert kpis["aarselever"] == empty and kpis["m2_per_aarselev"] == empty


@pytest.mark.parametrize(("setting", "value"), [("HEG_DASH_DUCKDB_MEMORY", "lots"),
                                                ("HEG_DASH_LOCK_TIMEOUT_S", "soon")])
def test_an_unusable_setting_is_named_in_one_line_and_exits_2(tmp_path, setting, value):
    target = tmp_path / "not-created.duckdb"
    env = {**os.environ, "HEG_DASH_DB": str(target), setting: value, "HEG_DASH_LANG": "en"}
    result = subprocess.run([sys.executable, "-m", "heg_dash", "kpis", "--year", "2025", "--json"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {setting}={value!r}: give " + (
        "a size such as 512MB or 2GB" if setting.endswith("MEMORY") else "a number")
    assert not target.exists()
