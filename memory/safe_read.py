"""The one hardened reader every import goes through (story bible, shot list, Fountain, reference images).

Files come from creators, other tools, language models and strangers, so a file is refused *early and
cheaply* when it is not what it claims to be, with one ``FormatError`` that names the file and the place,
before anything is written:

- not a regular file: a FIFO would block forever, ``/dev/zero`` never ends, a symlink may point anywhere
  (``O_NOFOLLOW``; the file is opened ``O_NONBLOCK`` so even the open of a FIFO returns at once);
- too big: the size comes from ``fstat`` before a byte is read, and the read itself is bounded, so a file
  that grows while it is read cannot run past the cap;
- not UTF-8 text;
- JSON: not valid (line and column); ``NaN``, ``Infinity``, a number that overflows to infinity
  (``1e400``) or beyond ±2^64 (a 5,000-digit integer would otherwise hit Python's int-parsing limit);
  nested deeper than ``max_depth`` (200,000 levels would otherwise be a ``RecursionError``); more than
  ``MAX_VALUES`` values (commas, counted before parsing).
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any, Final

from memory.errors import FormatError

MAX_DEPTH: Final = 64
#: Most values (counted by their separating commas) a JSON import may hold: a bible holds about 64 per shot
#: with its take, so a feature film's 2,000 shots are ~130,000; 10 million numbers under the size cap took
#: seconds to parse and walk before they could be refused.
MAX_VALUES: Final = 1_000_000
#: Bytes allowed per value when a caller raises the size cap past ``_DEFAULT_CAP_BYTES`` (``values_for``):
#: a compact shot list has ~22.
_BYTES_PER_VALUE: Final = 10
_DEFAULT_CAP_BYTES: Final = 20_000_000
#: Largest magnitude a number may have: room for any 64-bit seed, far beyond any duration or angle.
MAX_ABS_NUMBER: Final = 2**64
_MAX_INT_DIGITS: Final = 21
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
#: Where a number literal could be one to refuse: a run of 20 digits (2^64 has 20) or a number with an
#: exponent. A text without either (strings included, so this errs towards the careful path) holds only
#: numbers under 10^19 in magnitude, finite, and is parsed by the C parser without a Python call per number.
_RISKY_NUMBER = re.compile(r"\d{20}|(?<![\w.])-?\d+(?:\.\d+)?[eE]")


class _RefusedNumber(ValueError):
    def __init__(self, literal: str, why: str) -> None:
        super().__init__(literal)
        self.literal, self.why = literal, why


def read_bytes(path: str | Path, *, max_bytes: int, what: str) -> bytes:
    """A regular file's bytes, at most ``max_bytes``; ``what`` names the kind of file in messages ("a shot list")."""
    path = Path(path).expanduser()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise FormatError(f"{path}: cannot read the file (no such file)") from exc
    except IsADirectoryError as exc:
        raise FormatError(f"{path}: is a folder, not a file") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise FormatError(f"{path}: is a symbolic link; import the file it points to instead") from exc
        raise FormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise FormatError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FormatError(f"{path}: not a regular file (a pipe, device or socket cannot be imported)")
        if info.st_size > max_bytes:
            raise FormatError(f"{path.name}: the file is {megabytes(info.st_size)}, larger than the {megabytes(max_bytes)} {what} may be")
        try:
            data = handle.read(max_bytes + 1)  # bounded even if the file grows while we read
        except OSError as exc:
            raise FormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise FormatError(f"{path.name}: the file grew past the {megabytes(max_bytes)} {what} may be while it was read")
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); ``FormatError`` naming the first bad byte otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{name}: not UTF-8 text (byte {exc.start} cannot be decoded); save the file as UTF-8") from exc


def load_json(text: str, *, max_depth: int = MAX_DEPTH, what: str = "a JSON file", max_values: int = MAX_VALUES) -> Any:
    """Parse JSON text, refusing what no import can use (see the module docstring); errors name line and column."""
    if text.count(",") >= max_values:
        raise FormatError(f"holds more than {max_values:,} values; a story bible or shot list holds about 64 a shot")
    checks: dict[str, Any] = {"parse_float": _parse_float, "parse_int": _parse_int} if _RISKY_NUMBER.search(text) else {}
    try:
        data = json.loads(text, parse_constant=lambda name: _refuse_constant(name, what), **checks)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except _RefusedNumber as exc:
        raise FormatError(f"{_where_literal(text, exc.literal)}: {exc.why}") from None
    except RecursionError:
        raise FormatError(f"nested more than {max_depth} levels deep at {_where_too_deep(text, max_depth)}") from None
    if isinstance(data, dict | list) and _too_deep(data, max_depth):
        raise FormatError(f"nested more than {max_depth} levels deep at {_where_too_deep(text, max_depth)}")
    return data


def values_for(max_bytes: int) -> int:
    """The value count that goes with a size cap: ``MAX_VALUES`` up to the imports' own 20 MB cap, and one
    value per 10 bytes for a caller that raises it (a 50,000-shot plan checked with its ~25 MB compact
    size as the cap holds ~1.1 million values)."""
    return MAX_VALUES if max_bytes <= _DEFAULT_CAP_BYTES else max(MAX_VALUES, max_bytes // _BYTES_PER_VALUE)


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _refuse_constant(name: str, what: str) -> Any:
    raise _RefusedNumber(name, f"{name} is not a number {what} can use")


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


def _clip(literal: str, limit: int = 30) -> str:
    return literal if len(literal) <= limit else literal[:limit] + f"… ({len(literal)} characters)"
