"""The command line as cron and shell users meet it (issue 19): installed as ``heg-dash``, from any directory,
through a pipe, in one language per run; nothing overwritten by surprise; readable without ``--json``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def heg_dash() -> str:
    """The installed console script beside this Python (README's install command puts it there)."""
    found = shutil.which("heg-dash", path=str(Path(sys.executable).parent))
    assert found, "heg-dash is not installed: README's command installs the project (pip install -e .)"
    return found


def run(*args: str, db: Path, lang: str | None = None, cwd: Path | None = None, shell: str | None = None
        ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HEG_DASH_LANG"}
    env["HEG_DASH_DB"] = str(db)
    if lang:
        env["HEG_DASH_LANG"] = lang
    command = shell if shell is not None else [heg_dash(), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd or db.parent, timeout=300,
                          shell=shell is not None, executable="/bin/bash" if shell else None)


def test_installed_and_working_from_any_directory(sample_db, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("kpis", "--year", "2024", "--json", db=sample_db, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert '"year": 2024' in result.stdout


def test_a_pipe_that_closes_early_ends_quietly(sample_db):
    result = run(db=sample_db, shell=f"set -o pipefail; '{heg_dash()}' batches | head -1")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize(("lang", "header", "prefix"), [(None, "tidspunkt (dansk tid)", "fejl:"),
                                                        ("en", "time (Danish)", "error:")])
def test_one_language_per_run(sample_db, tmp_path, lang, header, prefix):
    batches = run("batches", db=sample_db, lang=lang)
    first = batches.stdout.splitlines()[0]
    assert header in first and "batch" in first  # a header row
    assert "+01:00" in batches.stdout or "+02:00" in batches.stdout  # Copenhagen time with its offset
    wrong = run("kpis", "--year", "2024", "--campus", "XYZ", db=sample_db, lang=lang)
    assert wrong.returncode == 2 and wrong.stderr.startswith(prefix)
    missing = run("kpis", db=sample_db, lang=lang)
    assert missing.returncode == 2
    assert ("disse argumenter mangler" if lang is None else "the following arguments are required") in missing.stderr
    report = run("report", "energy", "--year", "2024", "--format", "csv", "--out", str(tmp_path / "e.csv"),
                 db=sample_db, lang=lang)
    assert report.returncode == 0 and report.stdout.startswith("skrev" if lang is None else "wrote")


def test_backup_refuses_to_overwrite_without_force(sample_db, tmp_path):
    out = tmp_path / "kopi.duckdb"
    out.write_bytes(b"the only copy of something")
    refused = run("backup", "--out", str(out), db=sample_db)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert out.read_bytes() == b"the only copy of something"
    assert run("backup", "--out", str(out), "--force", db=sample_db).returncode == 0
    assert out.stat().st_size > 1000


def test_init_says_what_it_replaces(sample_db):
    result = run("init", "--empty", db=sample_db)
    assert result.returncode == 0, result.stderr
    assert "erstatter" in result.stderr and "kun har eksempeldata" in result.stderr


def test_kpis_without_json_is_a_table_and_a_year_without_data_says_so(sample_db):
    table = run("kpis", "--year", "2024", db=sample_db)
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["afsnit", "nøgletal", "værdi"]
    assert any(line.split()[:2] == ["energy", "electricity_kwh"] for line in lines)
    empty = run("kpis", "--year", "1999", "--json", db=sample_db)
    assert empty.returncode == 0 and "ingen data for 1999" in empty.stderr
    assert '"electricity_kwh": null' in empty.stdout
