"""Content-addressed take files: where a take lives, and "render once, then reuse".

Why here and not in each backend: idempotence is a promise of the protocol, so it is written once.
A take of request R by backend B lives at ``OUT/<B>-<R.key()[:24]>.mp4`` with its ``RenderedTake`` as JSON beside
it (``.json``). The video is written under a temporary name and renamed into place by the writer
(``ffmpeg_tools.Mp4Writer``); the JSON is written the same way *after* the video, so a take whose JSON
exists is complete. A crash leaves at most a hidden ``.part`` file, never a half-written take; the next
render in that folder removes the ``.part`` files whose writing process is gone (``remove_orphaned_parts``),
and so does start-up for every folder below the data roots (``remove_orphaned_parts_under``), since a
project whose shot is never rendered again would otherwise keep its crashed part for good.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from generator.base import RenderedTake, RenderRequest
from generator.errors import RenderFailed

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: Temporary names written by ``ffmpeg_tools.temp_path_for`` and ``save_take``: ``.<name>.<pid>.part[.ext]``.
_PART = re.compile(r"^\..+\.(\d+)\.part(\.[A-Za-z0-9]+)?$")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_orphaned_parts(folder: Path) -> list[Path]:
    """Delete the temporary files that a crashed writer left in ``folder``; returns what was removed.

    A part file names the process that writes it, so one whose process is gone can never be finished
    (renames are atomic: it is not a take) and is removed; parts of live processes — another worker
    rendering into the same folder right now — are left alone.
    """
    removed: list[Path] = []
    if not Path(folder).is_dir():
        return removed
    for entry in Path(folder).iterdir():
        match = _PART.match(entry.name)
        if match and entry.is_file() and not _process_alive(int(match.group(1))):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def remove_orphaned_parts_under(root: Path) -> list[Path]:
    """``remove_orphaned_parts`` in ``root`` and every folder below it; returns what was removed.

    For start-up: a crash mid-render leaves its part in a take folder that may never be rendered into
    again. Symbolic links below ``root`` are not followed, so a link inside a data folder cannot lead the
    walk (and its deletions) anywhere else; ``root`` itself may be a link (a takes folder moved to a
    bigger disk).
    """
    removed: list[Path] = []
    if not Path(root).is_dir():
        return removed
    for folder, _dirs, _files in os.walk(root, followlinks=False):
        removed += remove_orphaned_parts(Path(folder))
    return removed


def backend_slug(backend: str) -> str:
    """A file-name-safe form of a backend spec: 'diffusers:wan2.1-t2v-1.3b' → 'diffusers-wan2.1-t2v-1.3b'."""
    return _UNSAFE.sub("-", backend).strip("-.") or "backend"


def take_path(out_dir: Path, backend: str, request: RenderRequest) -> Path:
    """Where ``backend``'s take of ``request`` lives in ``out_dir``."""
    return Path(out_dir) / f"{backend_slug(backend)}-{request.key()[:24]}.mp4"


def sidecar_path(video: Path) -> Path:
    return video.with_suffix(".json")


def load_take(video: Path) -> RenderedTake | None:
    """The finished take at ``video``, or None when the video or its JSON is missing or unreadable."""
    meta = sidecar_path(video)
    if not (video.is_file() and meta.is_file()):
        return None
    try:
        take = RenderedTake.model_validate_json(meta.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None
    return take.model_copy(update={"path": video, "reused": True})


def save_take(take: RenderedTake) -> None:
    """Write the take's JSON beside its video, atomically."""
    meta = sidecar_path(Path(take.path))
    tmp = meta.with_name(f".{meta.name}.{os.getpid()}.part")
    try:
        tmp.write_text(take.model_dump_json(indent=2, exclude={"reused"}), encoding="utf-8")
        os.replace(tmp, meta)
    finally:
        tmp.unlink(missing_ok=True)


def render_once(backend: str, request: RenderRequest, out_dir: Path, produce: Callable[[Path], RenderedTake]) -> RenderedTake:
    """Return the existing take of ``request`` if there is one, else call ``produce(path)`` and record it.

    ``produce`` must write the video to ``path`` atomically (``Mp4Writer`` does) and return its ``RenderedTake``;
    ``timings['total']`` is filled in here when missing.
    """
    target = take_path(out_dir, backend, request)
    existing = load_take(target)
    if existing is not None:
        return existing
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    remove_orphaned_parts(Path(out_dir))
    started = time.perf_counter()
    take = produce(target)
    if not target.is_file():
        raise RenderFailed(f"{backend} returned without writing {target.name}")
    timings = {**take.timings}
    timings.setdefault("total", round(time.perf_counter() - started, 4))
    take = take.model_copy(update={"timings": timings, "path": target, "reused": False})
    save_take(take)
    return take
