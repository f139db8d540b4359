"""``make``, ``resume``, ``pending``, ``decide`` and ``chat`` through the command line, on a scripted LLM.

The crew's answers come from ``DAILIES_LLM=scripted:FILE.json`` (the roles' example answers, the same the
graph tests use), the renders from the real animatic at 320×180: everything between the command line and
the files is the real code. Each command is a fresh ``Studio`` reading the same script, as separate
invocations of ``dailies`` would be.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel
from studio_doubles import _crew_answers
from typer.testing import CliRunner

from ui.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture
def scripted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    answers = {name: [a.model_dump(mode="json") if isinstance(a, BaseModel) else a for a in queue] for name, queue in _crew_answers().items()}
    answers["Routing"] = [{"intent": "question", "reply": "The storm peaks in scene two."}] * 4
    script = tmp_path / "crew.json"
    script.write_text(json.dumps({"answers": answers, "chat": ["Noted."] * 4}))
    monkeypatch.setenv("DAILIES_LLM", f"scripted:{script}")
    for name, value in {"WIDTH": "320", "HEIGHT": "180", "FPS": "12"}.items():
        monkeypatch.setenv(f"DAILIES_{name}", value)
    return script


def test_make_yes_plans_shoots_and_cuts_and_prints_the_film_last(scripted: Path) -> None:
    result = runner.invoke(app, ["make", "A keeper and her son in a storm", "--runtime", "12", "--yes", "--json"])
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert done["status"] == "cut" and Path(done["cut"]).is_file() and Path(done["cut"]).stat().st_size > 10_000
    shown = json.loads(runner.invoke(app, ["show", done["project"], "--json"]).stdout)
    assert len(shown["shots"]) >= 4


def test_pending_decide_chat_and_resume_by_hand(scripted: Path) -> None:
    project = runner.invoke(app, ["new", "A keeper and her son in a storm", "--runtime", "12"]).stdout.strip().splitlines()[-1]
    # `resume` runs to the plan gate and asks; the person approves the plan (Enter), then stops answering.
    stopped = runner.invoke(app, ["resume", project], input="\n")
    assert stopped.exit_code != 0  # the prompt for the first shot got end-of-input
    waiting = json.loads(runner.invoke(app, ["pending", project, "--json"]).stdout)
    assert waiting["what"] == "shots" and waiting["shots"]
    shots = json.loads(runner.invoke(app, ["show", project, "--json"]).stdout)["shots"]
    assert set(waiting["shots"]) <= {s["key"] for s in shots}

    said = runner.invoke(app, ["chat", project, "When does the storm peak?", "--json"])
    assert said.exit_code == 0, said.output
    assert json.loads(said.stdout)["routing"]["reply"] == "The storm peaks in scene two."

    first = waiting["shots"][0]
    decided = runner.invoke(app, ["decide", project, "approve", "--shot", first, "--json"])
    assert decided.exit_code == 0, decided.output
    after = json.loads(decided.stdout)["pending"]
    assert after is None or first not in after["shots"]
    bad = runner.invoke(app, ["decide", project, "approve", "--shot", "no-such-shot"])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ")

    finished = runner.invoke(app, ["resume", project, "--yes", "--json"])
    assert finished.exit_code == 0, finished.output
    done = json.loads(finished.stdout)
    assert done["status"] == "cut" and Path(done["cut"]).is_file()
    assert json.loads(runner.invoke(app, ["pending", project, "--json"]).stdout) is None


def test_make_killed_mid_shooting_then_resume_finishes_without_reshooting(scripted: Path, dailies_home: Path) -> None:
    """A second process runs ``dailies make --yes`` and is killed (SIGKILL) right after its first take file
    is written, before that take's row (``DAILIES_FAULT=after_take_file``); ``dailies resume`` finishes the
    film, and every take file that existed at the kill is used as it is, not rendered again."""
    env = {**os.environ, "DAILIES_FAULT": "after_take_file"}
    killed = subprocess.run(
        [sys.executable, "-c", "from ui.cli import main; main()", "make", "A keeper and her son in a storm", "--runtime", "12", "--yes"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    project = next(line.split()[1] for line in killed.stderr.splitlines() if line.startswith("project "))
    takes = dailies_home / "takes" / project
    before = _finished_takes(takes)
    assert before, "the kill comes after a take file was written"

    finished = runner.invoke(app, ["resume", project, "--yes", "--json"])
    assert finished.exit_code == 0, finished.output
    assert json.loads(finished.stdout)["status"] == "cut"
    after = _finished_takes(takes)
    assert {name: after.get(name) for name in before} == before  # finished takes were not rendered again
    assert not list(takes.rglob(".*.part.mp4"))  # renders the kill cut short left no partial files
    shown = json.loads(runner.invoke(app, ["show", project, "--json"]).stdout)
    assert len(after) == len(shown["shots"])  # one take per shot, the killed one included


def _finished_takes(folder: Path) -> dict[str, tuple[int, int]]:
    """Finished take files by name → (inode, mtime): a file rendered again gets a new inode (written, then
    renamed). A take is finished when its JSON sidecar exists (generator.takes): a parallel branch killed
    between renaming its video into place and writing the sidecar left an unfinished take, rightly redone."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*.mp4")
        if not p.name.startswith(".") and p.with_suffix(".json").is_file()
    }
