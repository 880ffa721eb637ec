"""The repository keeps its promises: README's two commands, CI running the same test command, ruff clean."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_starts_with_the_run_and_the_test_command():
    run, test = readme_commands()
    assert run.startswith("python3 -m venv .venv") and "streamlit run app.py" in run
    assert test.startswith("python3 -m venv .venv") and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_exactly():
    _, test = readme_commands()
    assert test in (ROOT / ".ci" / "run").read_text().splitlines()


def test_dependencies_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r", "-c")):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), line


def test_the_lock_files_pin_every_package_the_inputs_need():
    """requirements*.txt are pip-compile's output of requirements*.in: every direct pin is in the lock, and the
    lock names where each package comes from (a hand edit would leave no "via")."""
    for source, lock in (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")):
        text = (ROOT / lock).read_text()
        assert "pip-compile" in text.splitlines()[1]
        pins = {m.group(1).lower(): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}
        for line in (ROOT / source).read_text().splitlines():
            wanted = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
            if wanted:
                assert pins.get(wanted.group(1).lower()) == wanted.group(2), (lock, line)
        assert text.count("==") == text.count("# via"), lock


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
