"""Kill -9 half-way through shooting a ten-minute film, resume, and nothing is rendered twice (issue 15).

Scripted crew, real animatic at the small test size. The worker process (``crash_worker.py``, with no
crash point set) approves the plan and shoots; this test SIGKILLs it from outside as soon as the render
log holds half the film's shots — wherever that lands (between renders, inside one, between a take's
file and its row). A fresh studio then resumes from the last checkpoint.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from doubles import CountingGenerator, ten_minute_answers

from agents.llm.scripted import ScriptedLLM
from agents.settings import load_settings
from agents.studio import Studio

pytestmark = pytest.mark.slow


def test_kill_9_at_half_of_a_ten_minute_film_then_resume_renders_nothing_twice(
    small_frames: None, tmp_path: Path
) -> None:
    settings = load_settings()
    log = tmp_path / "renders.log"
    studio = Studio(
        settings=settings, llm=ScriptedLLM(ten_minute_answers()), generator=CountingGenerator(log)
    )
    project = studio.new("A keeper and her son in a storm", runtime_s=600).id
    studio.run(project)  # to the plan gate, in this process
    shots = [s.key for s in studio.store.shots(project)]
    assert len(shots) >= 100

    here = Path(__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parents[1])])}
    env.pop("DAILIES_FAULT", None)
    worker = subprocess.Popen([sys.executable, str(here / "crash_worker.py"), str(log), project], env=env)
    deadline = time.monotonic() + 600
    while len(CountingGenerator(log).renders()) < len(shots) // 2:
        assert worker.poll() is None, "the worker ended before half the film was shot"
        assert time.monotonic() < deadline, "half the film was not shot in ten minutes"
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=30) == -signal.SIGKILL
    killed_at = len(CountingGenerator(log).renders())
    assert len(shots) // 2 <= killed_at < len(shots)

    resumed = Studio(
        settings=settings, llm=ScriptedLLM(ten_minute_answers()), generator=CountingGenerator(log)
    )
    pending = resumed.run(project)  # continues the killed run from its last checkpoint
    assert pending is not None and pending.what == "shots" and set(pending.shots) == set(shots)
    rendered = [shot for shot, _ in CountingGenerator(log).renders()]
    assert sorted(rendered) == sorted(shots), "every shot rendered exactly once across the kill"
    for shot in shots:
        takes = resumed.store.takes(project, shot)
        assert len(takes) == 1 and Path(takes[0].path).is_file(), shot
    assert [d.kind for d in resumed.store.decisions(project)] == ["approve_plan"]
