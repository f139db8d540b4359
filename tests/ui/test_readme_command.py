"""README command 1, as a new user types it: ``dailies make "PREMISE" --runtime N --yes`` on the bundled
model and the animatic, end to end; then a second make killed by SIGKILL mid-shooting and finished by
``dailies resume`` without rendering a finished take again.

Real processes (``python -m``-style ``ui.cli.main``), the real bundled SmolLM2 model, the real animatic and
ffmpeg: nothing replaced. The kill lands at the ``after_take_file`` crash point (``generator.faults``), so
it is always mid-shooting. Slow: two plans by the bundled model (~45 s each on an idle 2-core machine).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.requires("bundled_llm"), pytest.mark.timeout(1800)]
PREMISE = "A lighthouse keeper finds a message in a bottle"


def dailies(*args: str, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from ui.cli import main; main()", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture
def env(dailies_home: Path) -> dict[str, str]:
    """The user's environment: the bundled model (the default), the animatic at a small size."""
    out = {k: v for k, v in os.environ.items() if k not in ("DAILIES_LLM", "DAILIES_FAULT", "DAILIES_BACKEND")}
    return {**out, "DAILIES_WIDTH": "320", "DAILIES_HEIGHT": "180", "DAILIES_FPS": "12"}


def test_readme_command_1_then_a_killed_make_resumed(env: dict[str, str], dailies_home: Path) -> None:
    made = dailies("make", PREMISE, "--runtime", "10", "--yes", "--json", env=env)
    assert made.returncode == 0, made.stderr[-3000:]
    done = json.loads(made.stdout)
    film = Path(done["cut"])
    assert done["status"] == "cut" and film.is_file() and film.stat().st_size > 10_000
    assert film.is_relative_to(dailies_home)

    killed = dailies("make", PREMISE, "--runtime", "10", "--yes", env={**env, "DAILIES_FAULT": "after_take_file"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    project = next(line.split()[1] for line in killed.stderr.splitlines() if line.startswith("project "))
    takes = dailies_home / "takes" / project
    before = {p.name: p.stat().st_ino for p in takes.rglob("*.mp4") if not p.name.startswith(".")}
    assert before

    resumed = dailies("resume", project, "--yes", "--json", env=env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert json.loads(resumed.stdout)["status"] == "cut"
    after = {p.name: p.stat().st_ino for p in takes.rglob("*.mp4") if not p.name.startswith(".")}
    assert {name: after.get(name) for name in before} == before  # no finished take rendered again
    shots = json.loads(dailies("show", project, "--json", env=env).stdout)["shots"]
    assert len(after) == len(shots)
