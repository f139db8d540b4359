"""Start-up housekeeping: a deleted project's lock file is gone (on delete and at start-up), and so are the
``.part`` files that renders and cuts killed mid-way left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agents.production.locks import project_lock
from agents.settings import load_settings
from agents.studio import Studio


def test_start_up_removes_the_locks_of_projects_that_no_longer_exist(dailies_home: Path) -> None:
    studio = Studio(settings=load_settings())
    live = studio.new("A keeper and her son in a storm").id
    locks = dailies_home / "locks"
    with studio._lock(live):
        pass
    (locks / "deleted-long-ago-1a2b.lock").write_text("")
    studio.close()

    with project_lock(locks, "deleted-but-busy-3c4d", timeout_s=1):  # someone holds it right now
        again = Studio(settings=load_settings())
        again.close()
        assert (locks / "deleted-but-busy-3c4d.lock").exists()
    assert (locks / f"{live}.lock").exists()
    assert not (locks / "deleted-long-ago-1a2b.lock").exists()


def test_start_up_removes_the_part_files_of_renders_and_cuts_that_crashed(dailies_home: Path) -> None:
    """A crash mid-render leaves ``.<take>.<pid>.part.mp4`` in the shot's folder; start-up removes it even
    if that folder is never rendered into again. Parts of a live writer, finished takes and anything a link
    points to outside the data folders stay."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    outside = dailies_home.parent / "outside"
    outside.mkdir()
    crashed = [
        dailies_home / "takes" / "lighthouse-1a2b" / f".animatic-0123.{dead}.part.mp4",
        dailies_home / "takes" / "lighthouse-1a2b" / "final" / f".diffusers-4567.{dead}.part.mp4",
        dailies_home / "cuts" / "lighthouse-1a2b" / f".film.{dead}.part.mp4",
        dailies_home / "cuts" / "lighthouse-1a2b" / ".cache" / f".conformed-s1-01.{dead}.part.mp4",
        dailies_home / "references" / "lighthouse-1a2b" / f".ada.png.{dead}.part",
        dailies_home / "voices" / f".line-89ab.wav.{dead}.part",
    ]
    kept = [
        dailies_home / "takes" / "lighthouse-1a2b" / "animatic-0123.mp4",
        dailies_home / "takes" / "lighthouse-1a2b" / f".animatic-cdef.{os.getpid()}.part.mp4",  # being written now
        outside / f".elsewhere.{dead}.part.mp4",
    ]
    for path in crashed + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    (dailies_home / "takes" / "linked-5e6f").symlink_to(outside, target_is_directory=True)

    Studio(settings=load_settings()).close()

    assert [path for path in crashed if path.exists()] == []
    assert [path for path in kept if not path.exists()] == []
