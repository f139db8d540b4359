"""A cut killed (SIGKILL) while it renames its files into place never leaves half a film: the previous film
stays whole until the new one replaces it in one rename, and cutting again finishes the job.

The kill lands at the ``during_cut_rename`` crash point (``generator.faults``): the new subtitles and timeline
are in place, the new film is not.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.assembly import EditClip, EditList, Transition, assemble
from generator.ffmpeg_tools import probe

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[3]

CUT_IN_A_CHILD = """
import json, sys
from pathlib import Path
from generator.assembly import EditClip, EditList, Transition, assemble
spec = json.loads(sys.argv[1])
clips = tuple(EditClip(shot_id=s, path=Path(p), duration_s=d) for s, p, d in spec["clips"])
assemble(EditList(clips=clips, width=160, height=90, title="Again", title_s=0.5, credits_s=0.5,
                  credits_transition=Transition()), Path(spec["out"]))
print("finished")
"""


def edit(clips: list[tuple[str, str, float]]) -> EditList:
    return EditList(
        clips=tuple(EditClip(shot_id=s, path=Path(p), duration_s=d) for s, p, d in clips),
        width=160, height=90, title="Again", title_s=0.5, credits_s=0.5, credits_transition=Transition(),
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_cut_killed_mid_rename_keeps_the_old_film_and_a_new_cut_finishes(tmp_path: Path, takes: dict[str, Path]) -> None:
    own = {shot: Path(shutil.copy(takes[colour], tmp_path / f"{shot}.mp4")) for shot, colour in (("a", "red"), ("b", "blue"))}
    out = tmp_path / "film" / "film.mp4"
    first = [(s, str(p), 0.5) for s, p in own.items()]
    assemble(edit(first), out)
    old = digest(out)

    longer = [(s, str(p), 1.0) for s, p in own.items()]
    killed = subprocess.run(
        [sys.executable, "-c", CUT_IN_A_CHILD, json.dumps({"clips": longer, "out": str(out)})], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DAILIES_FAULT": "during_cut_rename"},
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert "finished" not in killed.stdout
    assert digest(out) == old  # the old film, whole: never half of the new one
    assert out.with_suffix(".srt").is_file()  # the sidecars were already renamed (the point is after them)

    again = assemble(edit(longer), out)
    assert digest(out) != old and probe(out).frames == again.frames  # the longer cut, all of it
    leftovers = sorted(p.name for p in out.parent.iterdir() if ".part" in p.name)
    assert leftovers == [], f"the killed cut's temporary files were left behind: {leftovers}"
