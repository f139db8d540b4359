"""Files in and out of the story memory: which format a file is, reading it safely, writing atomically.

Why here and not in the CLI: the Gradio studio and the command line import and export the same three
formats (Fountain screenplay, story bible, shot list); one place decides what a file is and refuses a
broken one with a ``FormatError`` that names the file and the place in it. Every file is read through
``memory.safe_read`` (regular files only, a size cap per kind, bounded reads, hardened JSON).

Writing never leaves a half-written file: the text goes to a temporary file in the same folder, which
is then renamed over the target (atomic on POSIX and Windows). An existing file is only replaced when
``force=True``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final, Literal

from memory import bible, fountain
from memory import shotlist as sl
from memory.errors import Duplicate, FormatError
from memory.models import Project
from memory.safe_read import decode, load_json, read_bytes
from memory.shotlist_file import read_shotlist
from memory.shotlist_io import create_project_from_shotlist, export_shotlist
from memory.store import Store

Kind = Literal["fountain", "bible", "shotlist"]
#: Largest JSON file read, the shot lists' cap: an exported bible takes ~2 KB a shot with its take, so
#: 20 MB holds ~10,000 shots, far beyond a feature film; junk just under the 200 MB cap this replaced had
#: to be read and parsed in full before it was refused.
MAX_BYTES: Final = 20_000_000
#: Largest screenplay read: a feature film is ~200 KB; 5 MB of headings made 66,000 scenes in a minute.
FOUNTAIN_MAX_BYTES: Final = 2_000_000
FOUNTAIN_SUFFIXES: Final = (".fountain", ".spmd")


def import_path(store: Store, path: Path, *, project_id: str | None = None, owner: str | None = None) -> tuple[Kind, Project]:
    """Import a ``.fountain`` screenplay, a story bible or a ``.shots.json`` shot list as a new project."""
    path = Path(path)
    kind = _kind_by_name(path)
    if kind == "fountain":
        text = read_text(path, max_bytes=FOUNTAIN_MAX_BYTES, what="a screenplay")
        stem = path.name.removesuffix(path.suffix)
        return kind, fountain.import_fountain(store, text, project_id=project_id, owner=owner, name=stem)
    if kind is None:  # a .json: the kind is in the document, which is read and parsed once
        data = read_json(path)
        if _json_kind(data, path) == "bible":
            return "bible", bible.import_bible(store, data, project_id=project_id, owner=owner)
    _check_file(path)  # the same missing-file and folder errors as the other kinds
    # The grammar engine's hardened reader: NaN, overflowing numbers and absurd nesting are refused by place.
    return "shotlist", create_project_from_shotlist(store, read_shotlist(path), project_id=project_id, owner=owner)


def _kind_by_name(path: Path) -> Kind | None:
    """The kind a file's name says, or None for a ``.json`` that must be read to tell."""
    name = Path(path).name.lower()
    if name.endswith(FOUNTAIN_SUFFIXES):
        return "fountain"
    if name.endswith(".shots.json"):
        return "shotlist"
    if name.endswith(".json"):
        return None
    raise FormatError(f"{path}: unknown kind of file; import reads .fountain screenplays, story bible .json and .shots.json shot lists")


def detect_kind(path: Path) -> Kind:
    """By name first (``.fountain``, ``.shots.json``), else by a JSON file's ``format`` field."""
    kind = _kind_by_name(path)
    return kind if kind is not None else _json_kind(read_json(path), path)


def _json_kind(data: Any, path: Path) -> Kind:
    found = data.get("format") if isinstance(data, dict) else None
    if found == bible.FORMAT:
        return "bible"
    if isinstance(found, str) and found.startswith("dailies.shotlist/"):
        return "shotlist"
    raise FormatError(f"{path}: JSON with 'format' {found!r} is neither a story bible ({bible.FORMAT!r}) nor a shot list ({sl.FORMAT!r})")


def read_text(path: Path, *, max_bytes: int = MAX_BYTES, what: str = "an import") -> str:
    _check_file(path)
    return decode(read_bytes(path, max_bytes=max_bytes, what=what), str(path))


def read_json(path: Path) -> Any:
    text = read_text(path, what="a JSON file")
    try:
        return load_json(text, what="a JSON file")
    except FormatError as exc:
        raise FormatError(f"{path}: {exc}") from exc


def export_bible_file(store: Store, project_id: str, path: Path, *, force: bool = False) -> Path:
    text = json.dumps(bible.export_bible(store, project_id), indent=2, ensure_ascii=False) + "\n"
    return write_text(path, text, force=force)


def export_shots_file(store: Store, project_id: str, path: Path, *, force: bool = False) -> Path:
    return write_text(path, export_shotlist(store, project_id).to_json(), force=force)


def write_text(path: Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename; refuse to replace a file unless ``force``."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise Duplicate(f"{path} is a folder; give a file name")
    if path.exists() and not force:
        raise Duplicate(f"{path} already exists; use --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode a plain open() would
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path.resolve()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_file(path: Path) -> Path:
    """The missing-file and folder errors every kind gives (the rest is ``safe_read``'s)."""
    path = Path(path).expanduser()
    if not path.exists() and not path.is_symlink():
        raise FileNotFoundError(f"no such file: {path}")
    if path.is_dir() and not path.is_symlink():
        raise IsADirectoryError(f"{path} is a folder, not a file")
    return path
