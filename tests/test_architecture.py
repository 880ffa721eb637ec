"""The layout shows the architecture: layers import only downwards (the contract in .importlinter, checked by
import-linter), no module imports back into one that imports it, and no module grows past about 400 lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 420


def test_layers_only_import_downwards():
    """A wrong import fails here with import-linter's message, which names the rule and the import."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_import_circles():
    graph = grimp.build_graph("heg_dash")
    circles = sorted({tuple(sorted((a, b))) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
                      if graph.chain_exists(importer=b, imported=a)})
    assert circles == [], f"modules that import each other (directly or through others): {circles}"


def test_no_module_is_much_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "heg_dash").rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, long
