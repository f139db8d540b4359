"""Through the real ``dailies`` entry point: a wrong setting is one ``error:`` line naming it, for every
command (even ``list``), with a non-zero exit and no traceback; ``make`` leaves no orphan project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def dailies(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = "from ui.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", script, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DAILIES_WIDTH", "-5"), ("DAILIES_WIDTH", "abc"), ("DAILIES_DATABASE_URL", "nosuch://x"), ("DAILIES_BACKEND", "nonsense")],
)
def test_list_names_the_wrong_setting(variable: str, value: str, dailies_home: Path) -> None:
    result = dailies("list", env={variable: value})
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith(f"error: {variable}=") and "Traceback" not in result.stderr


def test_make_with_a_wrong_backend_makes_no_project(dailies_home: Path) -> None:
    result = dailies("make", "A dog in the snow", "--runtime", "10", "--yes", env={"DAILIES_BACKEND": "nonsense"})
    assert result.returncode != 0 and "DAILIES_BACKEND='nonsense'" in result.stderr
    assert "Traceback" not in result.stderr
    listed = dailies("list", "--json", env={})
    assert listed.returncode == 0, listed.stderr
    assert "A dog in the snow" not in listed.stdout


def test_list_names_a_broken_config_file(dailies_home: Path) -> None:
    """A config file that is not TOML stops every command, even ``list``, with one line naming the file."""
    dailies_home.mkdir()
    (dailies_home / "config.toml").write_text("width = [\n")
    result = dailies("list", env={})
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: the config file ") and "config.toml is not valid TOML" in result.stderr
