"""A character's reference image: checked, named by its content, copied into the data folder.

Why here and not in the studio page: what counts as an image, where references live and how they are
named are the production's rules; the studio only passes the file a person chose. Files are named
``<character>-<sha256[:16]>.<ext>`` so the same picture uploaded twice is one file, and a new picture
never overwrites an old one that takes were rendered from.

The file is read once, through ``memory.safe_read`` (the reader every import uses): a symlink, a FIFO or
``/dev/zero`` is refused before a byte is read, the size is capped, and the bytes that were checked are
the bytes that are hashed and stored (no second read that could see a different file).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Final

from PIL import Image

from memory.errors import InvalidValue
from memory.safe_read import read_bytes
from memory.store import Store

#: Largest reference image accepted: a full-resolution photo fits; a stray video or disk image does not.
MAX_BYTES: Final = 25_000_000

#: Image formats a reference may have (Pillow's format names).
FORMATS = frozenset({"png", "jpeg", "webp", "gif"})


def image_kind(data: bytes, name: str) -> str:
    """The image's format (lower case), or ``InvalidValue`` naming the file when it is not a usable image."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
            kind = (picture.format or "").lower()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidValue(f"{name} is not an image we can read ({exc})") from exc
    if kind not in FORMATS:
        raise InvalidValue(f"reference images must be PNG, JPEG, WebP or GIF, not {kind or 'unknown'}")
    return kind


def add_reference_image(store: Store, home: Path, project: str, character: str, image: Path) -> Path:
    """Copy ``image`` into ``home/references/<project>/`` as ``character``'s reference; returns the stored path."""
    row = store.character(project, character)
    data = read_bytes(image, max_bytes=MAX_BYTES, what="a reference image")
    kind = image_kind(data, Path(image).name)
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = home / "references" / project
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{row.key}-{digest}.{'jpg' if kind == 'jpeg' else kind}"
    _write(stored, data)
    if str(stored) not in row.reference_images:
        store.upsert_character(project, character, reference_images=[*row.reference_images, str(stored)])
    return stored


def _write(path: Path, data: bytes) -> None:
    """Write beside the final name and rename, so a crash never leaves half a picture under its hash."""
    fd, tmp = tempfile.mkstemp(prefix=".ref-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
