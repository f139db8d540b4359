"""Reading a shot-list file (``*.shots.json``) without trusting it.

Shot lists come from creators' editors, from other tools and from language models, so a file is refused
*early and cheaply* when it is not what it claims to be, with a message that names the place:

- the file itself (not a regular file, too big: default cap 20 MB, checked before a byte is read; not
  UTF-8), not JSON, ``NaN``/``Infinity``/numbers beyond ±2^64, nesting deeper than 64 levels: refused by
  ``memory.safe_read``, the one hardened reader every import uses, with the line and column;
- the wrong shape (a list at the top, a string where a shot belongs): the JSON path, e.g.
  ``scenes[2].shots[0].duration_s``, taken from pydantic's error;
- an id the store would refuse (``../../etc/evil``, a NUL byte, 500 characters): ``check_key``'s words.

Values that are merely *out of range* (a negative duration, ``x`` of 1.4, an unknown size) are not
refused here: they are grammar findings (``bad_value``) that ``dailies check`` explains in film language.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from memory.errors import FormatError, InvalidValue
from memory.safe_read import MAX_ABS_NUMBER, MAX_DEPTH, decode, load_json, megabytes, read_bytes, values_for
from memory.shotlist import FORMAT, ShotList
from memory.store.keys import check_key

MAX_BYTES: Final = 20_000_000
_MAX_ERRORS_SHOWN: Final = 3
__all__ = ["MAX_ABS_NUMBER", "MAX_BYTES", "MAX_DEPTH", "collector_paused", "json_path", "parse_shotlist", "read_shotlist"]


def read_shotlist(path: str | Path, *, max_bytes: int = MAX_BYTES) -> ShotList:
    """Read and validate a shot-list file (through ``memory.safe_read``); every failure is a ``FormatError``
    that names the file and place."""
    path = Path(path)
    text = decode(read_bytes(path, max_bytes=max_bytes, what="a shot list"), path.name)
    try:
        return parse_shotlist(text, max_bytes=max_bytes)
    except FormatError as exc:
        raise FormatError(f"{path.name}: {exc}") from exc


def parse_shotlist(text: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> ShotList:
    """Parse a shot list from JSON text; a ``FormatError`` names the JSON line/column or path on failure."""
    if len(text) > max_bytes:
        raise FormatError(f"the text is {megabytes(len(text))}, larger than the {megabytes(max_bytes)} a shot list may be")
    with collector_paused():
        data = load_json(text, max_depth=max_depth, what="a shot list", max_values=values_for(max_bytes))
    if not isinstance(data, dict):
        raise FormatError(f"the top level must be a JSON object with 'scenes' and 'characters', found {_kind(data)}")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise FormatError(f"format: expected {FORMAT!r}, found {_short(fmt)} (this version reads only {FORMAT!r} files)")
    try:
        with collector_paused():
            shotlist = ShotList.model_validate(data)
    except ValidationError as exc:
        raise FormatError(_describe_validation(exc)) from None
    _check_ids(shotlist)
    return shotlist


def _check_ids(shotlist: ShotList) -> None:
    """Every id through ``check_key``, the store's own rule: a file ``dailies check`` passes is one
    ``dailies import`` accepts, and both refuse ``../x``, a NUL byte or 500 characters in the same words.
    (Here, at the file boundary, not on the models: the planners build shots before they have ids.)"""
    places: list[tuple[str, str, str]] = [(f"characters[{i}].id", "character", c.id) for i, c in enumerate(shotlist.characters)]
    for i, scene in enumerate(shotlist.scenes):
        places.append((f"scenes[{i}].id", "scene", scene.id))
        places += [(f"scenes[{i}].shots[{j}].id", "shot", shot.id) for j, shot in enumerate(scene.shots)]
    for where, kind, key in places:
        try:
            check_key(kind, key)
        except InvalidValue as exc:
            raise FormatError(f"{where}: {exc}") from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a big shot list is built or walked.

    Why: building ~a million acyclic containers triggers repeated full collections that each walk
    everything built so far; for a 10,000-shot file that was 85% of pydantic's time (0.36 s of 0.41 s
    here). Shot lists form no reference cycles, so nothing is left for the collector; it is re-enabled
    (if it was on) when the block ends. Also used by ``agents.grammar.check`` and ``dailies check``.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _describe_validation(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    parts = [f"{json_path(err['loc']) or '(top level)'}: {err['msg']}{_got(err)}" for err in errors[:_MAX_ERRORS_SHOWN]]
    more = len(errors) - _MAX_ERRORS_SHOWN
    return "; ".join(parts) + (f"; and {more} more problem{'s' * (more > 1)}" if more > 0 else "")


def json_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """``('scenes', 2, 'shots', 0, 'duration_s')`` → ``scenes[2].shots[0].duration_s``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _got(err: Any) -> str:
    if err.get("type") == "missing":
        return ""
    return f" (found {_short(err.get('input'))})"


def _short(value: Any, limit: int = 40) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' * (len(value) != 1)}"
    text = repr(value[: limit + 1]) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")

