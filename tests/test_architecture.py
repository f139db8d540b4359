"""The layering of DESIGN.md holds: ui → agents → {memory, generator}, memory and generator independent."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_top_level_layout_is_the_one_the_user_fixed() -> None:
    for name in ("agents", "generator", "memory", "ui", "tests", "pyproject.toml", "README.md"):
        assert (ROOT / name).exists(), name
