"""Removing a project's files: its takes, cuts and references, each under its own root.

Why so careful: a project id comes from a person. A folder is removed only when it resolves to a
direct child of one of the data roots, so no id (``..``, a symlink, an absolute path) can reach
anything else.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path


def delete_project_folders(project: str, roots: Iterable[Path]) -> list[Path]:
    """Delete ``<root>/<project>`` under each root where it is a real child folder; returns what went."""
    removed = []
    for root in roots:
        folder = (root / project).resolve()
        if folder.parent == root.resolve() and folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
