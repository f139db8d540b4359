"""Reading a shot-list file (``*.shots.json``) without trusting it.

Shot lists come from creators' editors, from other tools and from language models, so a file is refused
*early and cheaply* when it is not what it claims to be, with a message that names the place:

- too big: the size is checked from the file system before a byte is read (default cap 20 MB), so a
  50 MB file fails in microseconds;
- not JSON: the JSON line and column;
- ``NaN``, ``Infinity``, a number that overflows to infinity (``1e400``) or an integer beyond 64 bits:
  refused where they stand, because arithmetic on them (runtime sums, angle differences) is meaningless;
- nested deeper than any shot list needs (default 64 levels): refused before anything walks it;
- the wrong shape (a list at the top, a string where a shot belongs): the JSON path, e.g.
  ``scenes[2].shots[0].duration_s``, taken from pydantic's error.

Values that are merely *out of range* (a negative duration, ``x`` of 1.4, an unknown size) are not
refused here: they are grammar findings (``bad_value``) that ``dailies check`` explains in film language.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from memory.errors import FormatError
from memory.shotlist import FORMAT, ShotList

MAX_BYTES: Final = 20_000_000
MAX_DEPTH: Final = 64
#: Largest magnitude a number may have: room for any 64-bit seed, far beyond any duration or angle.
MAX_ABS_NUMBER: Final = 2**64
_MAX_INT_DIGITS: Final = 21
_MAX_ERRORS_SHOWN: Final = 3

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class _RefusedNumber(ValueError):
    def __init__(self, literal: str, why: str) -> None:
        super().__init__(literal)
        self.literal, self.why = literal, why


def read_shotlist(path: str | Path, *, max_bytes: int = MAX_BYTES) -> ShotList:
    """Read and validate a shot-list file; every failure is a ``FormatError`` that names the file and place."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FormatError(f"{path}: not a regular file")
            if info.st_size > max_bytes:
                raise FormatError(f"{path.name}: the file is {_megabytes(info.st_size)}, larger than the {_megabytes(max_bytes)} a shot list may be")
            data = handle.read(max_bytes + 1)  # bounded even if the file grows while we read
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise FormatError(f"{path.name}: the file grew past the {_megabytes(max_bytes)} a shot list may be while it was read")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name}: not UTF-8 text (byte {exc.start} cannot be decoded)") from exc
    try:
        return parse_shotlist(text, max_bytes=max_bytes)
    except FormatError as exc:
        raise FormatError(f"{path.name}: {exc}") from exc


def parse_shotlist(text: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> ShotList:
    """Parse a shot list from JSON text; a ``FormatError`` names the JSON line/column or path on failure."""
    if len(text) > max_bytes:
        raise FormatError(f"the text is {_megabytes(len(text))}, larger than the {_megabytes(max_bytes)} a shot list may be")
    with collector_paused():
        data = _load_json(text, max_depth)
    if not isinstance(data, dict):
        raise FormatError(f"the top level must be a JSON object with 'scenes' and 'characters', found {_kind(data)}")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise FormatError(f"format: expected {FORMAT!r}, found {_short(fmt)} (this version reads only {FORMAT!r} files)")
    try:
        with collector_paused():
            return ShotList.model_validate(data)
    except ValidationError as exc:
        raise FormatError(_describe_validation(exc)) from None


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


def _load_json(text: str, max_depth: int) -> Any:
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_parse_float, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except _RefusedNumber as exc:
        raise FormatError(f"{_where_literal(text, exc.literal)}: {exc.why}") from None
    except RecursionError:
        raise FormatError(f"nested more than {max_depth} levels deep at {_where_too_deep(text, max_depth)}") from None
    if isinstance(data, dict | list) and _too_deep(data, max_depth):
        raise FormatError(f"nested more than {max_depth} levels deep at {_where_too_deep(text, max_depth)}")
    return data


def _refuse_constant(name: str) -> Any:
    raise _RefusedNumber(name, f"{name} is not a number a shot list can use")


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _RefusedNumber(literal, f"the number {_clip(literal)} is too large (it overflows to infinity)")
    if abs(value) > MAX_ABS_NUMBER:
        raise _RefusedNumber(literal, f"the number {_clip(literal)} is too large (the limit is ±2^64)")
    return value


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > _MAX_INT_DIGITS or abs(value := int(literal)) > MAX_ABS_NUMBER:
        raise _RefusedNumber(literal, f"the number {_clip(literal)} is too large (the limit is ±2^64)")
    return value


def _too_deep(data: Any, max_depth: int) -> bool:
    """Whether parsed JSON nests deeper than ``max_depth``: one breadth-first pass over the containers only."""
    level, depth = [data], 1
    while level:
        if depth > max_depth:
            return True
        below = []
        for node in level:
            for value in node.values() if node.__class__ is dict else node:
                if value.__class__ is dict or value.__class__ is list:
                    below.append(value)
        level, depth = below, depth + 1
    return False


def _where_too_deep(text: str, max_depth: int) -> str:
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return _line_col(text, match.start())
        elif token in "]}":
            depth -= 1
    return "an unknown place"


def _where_literal(text: str, literal: str) -> str:
    match = re.search(r"(?<![\w.\"+-])" + re.escape(literal) + r"(?![\w.])", text)
    return _line_col(text, match.start()) if match else "somewhere in the file"


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


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


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _clip(literal: str, limit: int = 30) -> str:
    return literal if len(literal) <= limit else literal[:limit] + f"… ({len(literal)} characters)"
