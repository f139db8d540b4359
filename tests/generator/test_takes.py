"""A crash while a take is written leaves a ``.part`` file; the next render in that folder removes it, and
leaves alone the part files of writers that are still alive."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from generator.animatic.backend import AnimaticBackend
from generator.base import RenderRequest
from generator.takes import remove_orphaned_parts, remove_orphaned_parts_under

CRASHING_WRITER = """
import os, sys
import numpy as np
from generator.ffmpeg_tools import Mp4Writer
writer = Mp4Writer(sys.argv[1], 64, 64, 24).__enter__()
for _ in range(12):
    writer.write(np.zeros((64, 64, 3), np.uint8))
writer._proc.stdin.flush()
os._exit(9)  # killed mid-take: no rename, no cleanup
"""


def crash_while_writing(folder: Path) -> Path:
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(folder / "take.mp4")], timeout=120, check=False)
    deadline = time.monotonic() + 10
    while not list(folder.glob(".take.*.part.mp4")) and time.monotonic() < deadline:
        time.sleep(0.05)  # ffmpeg (its child) finishes the part file after the writer died
    (part,) = folder.glob(".take.*.part.mp4")
    return part


def test_a_crashed_writers_part_file_is_removed_by_the_next_render(tmp_path: Path) -> None:
    part = crash_while_writing(tmp_path)
    live = tmp_path / f".other.{os.getpid()}.part.mp4"  # a writer of this (live) process
    live.write_bytes(b"in progress")
    take = AnimaticBackend().render(RenderRequest(prompt="a lighthouse", width=64, height=64, frames=9), tmp_path)
    assert take.path.is_file()
    assert not part.exists(), "the orphaned part file is still there"
    assert live.exists(), "a live writer's part file was removed"
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name and p != live]


def test_only_part_files_of_dead_processes_match(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    names = [f".a.{dead}.part.mp4", f".a.json.{dead}.part", "a.mp4", f"a.{dead}.part.mp4", f".b.{os.getpid()}.part.mp4"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = {p.name for p in remove_orphaned_parts(tmp_path)}
    assert removed == {f".a.{dead}.part.mp4", f".a.json.{dead}.part"}
    assert remove_orphaned_parts(tmp_path / "missing") == []


def test_parts_are_removed_in_every_folder_below_a_root_but_not_through_links(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    root, outside = tmp_path / "takes", tmp_path / "outside"
    deep = root / "project-1" / "s1-01"
    deep.mkdir(parents=True)
    outside.mkdir()
    crashed = [root / f".a.{dead}.part.mp4", deep / f".b.{dead}.part.mp4"]
    kept = [deep / "b.mp4", deep / f".c.{os.getpid()}.part.mp4", outside / f".d.{dead}.part.mp4"]
    for path in crashed + kept:
        path.write_bytes(b"x")
    (root / "project-2").symlink_to(outside, target_is_directory=True)

    assert sorted(remove_orphaned_parts_under(root)) == sorted(crashed)
    assert all(path.exists() for path in kept)
    assert remove_orphaned_parts_under(tmp_path / "missing") == []
