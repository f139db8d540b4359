"""Has this exact cut been made already? A stamp in the cache says so, and repeating a cut costs nothing.

Why: cutting is the last step of a production, and a resumed or repeated run (``dailies make`` after a
crash, ``dailies cut`` twice) must not re-encode a film that is already there (DESIGN: nothing finished
is redone). The stamp records a key of everything that decides the output — the whole edit list, the
conformed files it was made from (their names are content hashes), the options, the font used for
burning in, the timeline formats written — and the size and modification time of every file written.
A later cut with the same key whose files are all still there, unchanged, returns the recorded result.
Deleting or editing any output (or ``rm -r .cache``) makes the next cut encode again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.assembly.edit_list import EditList
from generator.ffmpeg_tools import temp_path_for

#: Bump when the final encode changes, so films cut the old way are cut again.
ASSEMBLY_VERSION = 1


def cut_key(edit: EditList, inputs: Mapping[str, Path], options: Mapping[str, Any]) -> str:
    data = {
        "v": ASSEMBLY_VERSION,
        "edit": json.loads(edit.model_dump_json()),
        "inputs": {name: path.name for name, path in inputs.items()},
        "options": dict(options),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def stamp_path(cache_dir: Path, video: Path) -> Path:
    """One stamp per film path, kept with the conformed takes."""
    return cache_dir / f"cut-{hashlib.sha256(str(video.resolve()).encode()).hexdigest()[:16]}.json"


def _fingerprint(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def read_stamp(stamp: Path, key: str) -> dict[str, Any] | None:
    """The recorded result when the stamp's key is ``key`` and every file it lists is unchanged; else None."""
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        for name, print_ in data["files"].items():
            if _fingerprint(Path(name)) != print_:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return data if isinstance(data.get("result"), dict) else None


def write_stamp(stamp: Path, key: str, files: Iterable[Path], result: Mapping[str, Any]) -> None:
    """Record a finished cut (written atomically, after the outputs are in place)."""
    data = {"key": key, "files": {str(p): _fingerprint(p) for p in files}, "result": dict(result)}
    tmp = temp_path_for(stamp)
    try:
        tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
        os.replace(tmp, stamp)
    finally:
        tmp.unlink(missing_ok=True)
