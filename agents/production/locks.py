"""One worker at a time per project, across threads and processes.

Why: two concurrent ``Command(resume=…)`` on one LangGraph thread both run (a double-clicked Approve
would record two decisions and render twice), and ``SqliteSaver`` is single-writer. Every run of a
project's graph holds this lock; the second caller waits, then finds the decision already taken.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from agents.errors import ProjectBusy


@contextmanager
def project_lock(folder: Path, project: str, *, timeout_s: float = 3600.0) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{project}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ProjectBusy(f"project {project!r} is busy in another worker; try again when it finishes") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_lock(folder: Path, project: str) -> bool:
    """Remove a deleted project's lock file (called while holding it); returns whether there was one.

    A worker already waiting on the old file gets it once the deleter lets go, then finds the project
    gone (``NotFound``); a later caller opens a fresh file. Nothing is left behind per deleted project.
    """
    path = folder / f"{project}.lock"
    if path.resolve().parent != folder.resolve():
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def remove_stale_locks(folder: Path, exists: Callable[[str], bool]) -> list[str]:
    """At start-up: remove the lock files of projects that no longer exist (deleted before deletion removed
    them, or by another tool); returns their project ids. A lock someone holds right now is left alone."""
    removed: list[str] = []
    if not folder.is_dir():
        return removed
    for path in folder.glob("*.lock"):
        if exists(path.stem):
            continue
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            path.unlink(missing_ok=True)
            removed.append(path.stem)
        finally:
            os.close(fd)
    return removed
