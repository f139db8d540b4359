"""Removing what is no longer anyone's: a deleted project's files, and what crashes left behind.

Why so careful: a project id comes from a person. A folder is removed only when it resolves to a
direct child of one of the data roots, so no id (``..``, a symlink, an absolute path) can reach
anything else. At start-up (``clean_at_start_up``) the lock files of projects that no longer exist
and the ``.part`` files of writers that died mid-render or mid-cut are removed; a lock someone holds and
a part whose writer still runs are left alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from agents.production.locks import remove_stale_locks
from generator.takes import remove_orphaned_parts_under


def delete_project_folders(project: str, roots: Iterable[Path]) -> list[Path]:
    """Delete ``<root>/<project>`` under each root where it is a real child folder; returns what went."""
    removed = []
    for root in roots:
        folder = (root / project).resolve()
        if folder.parent == root.resolve() and folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def clean_at_start_up(home: Path, data_roots: Iterable[Path], exists: Callable[[str], bool]) -> tuple[list[str], list[Path]]:
    """Remove the locks of projects that no longer exist and the orphaned ``.part`` files under ``data_roots``.

    Why at start-up: a crash mid-render leaves its part in a take folder that may never be rendered into
    again (only the next render in that same folder would clear it), and a deletion from before deletes
    removed locks left the lock. Returns (project ids whose locks went, part files removed).
    """
    locks = remove_stale_locks(home / "locks", exists)
    parts = [part for root in data_roots for part in remove_orphaned_parts_under(root)]
    return locks, parts
