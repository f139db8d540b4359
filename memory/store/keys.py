"""Keys people and files use for rows (``"s1"``, ``"mara"``, a project id): checked and made safe."""

from __future__ import annotations

import re

from memory.errors import InvalidValue

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_key(kind: str, key: str) -> str:
    """Refuse ids that could not be used safely as file names or URL parts."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise InvalidValue(
            f"{kind} id {key!r} is not valid: use 1–64 letters, digits, '-', '_' or '.', starting with a letter or digit"
        )
    return key


def slugify(text: str, limit: int = 32) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
    return slug or "film"
