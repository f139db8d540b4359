"""A character's reference image: checked, named by its content, copied into the data folder.

Why here and not in the studio page: what counts as an image, where references live and how they are
named are the production's rules; the studio only passes the file a person chose. Files are named
``<character>-<sha256[:16]>.<ext>`` so the same picture uploaded twice is one file, and a new picture
never overwrites an old one that takes were rendered from.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from PIL import Image

from memory.errors import InvalidValue
from memory.store import Store

#: Image formats a reference may have (Pillow's format names).
FORMATS = frozenset({"png", "jpeg", "webp", "gif"})


def image_kind(image: Path) -> str:
    """The image's format (lower case), or ``InvalidValue`` naming the file when it is not a usable image."""
    try:
        with Image.open(image) as picture:
            picture.verify()
            kind = (picture.format or "").lower()
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidValue(f"{Path(image).name} is not an image we can read ({exc})") from exc
    if kind not in FORMATS:
        raise InvalidValue(f"reference images must be PNG, JPEG, WebP or GIF, not {kind or 'unknown'}")
    return kind


def add_reference_image(store: Store, home: Path, project: str, character: str, image: Path) -> Path:
    """Copy ``image`` into ``home/references/<project>/`` as ``character``'s reference; returns the stored path."""
    row = store.character(project, character)
    kind = image_kind(image)
    digest = hashlib.sha256(Path(image).read_bytes()).hexdigest()[:16]
    folder = home / "references" / project
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{row.key}-{digest}.{'jpg' if kind == 'jpeg' else kind}"
    shutil.copyfile(image, stored)
    if str(stored) not in row.reference_images:
        store.upsert_character(project, character, reference_images=[*row.reference_images, str(stored)])
    return stored
