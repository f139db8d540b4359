"""One font file for the title card, the credits and burnt-in subtitles, found the same way everywhere.

Why a file and not a font name: libass (ffmpeg's ``subtitles`` filter) and Pillow both need a font they
can open. A system font (DejaVu, Liberation, Noto…) is used when one is installed; otherwise Pillow's
own bundled font (Aileron, inside Pillow's wheel) is written out to the cache folder, so burnt-in
subtitles and cards render even on a bare machine with no fonts at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

#: Font files tried in order; the first that Pillow can open wins.
SYSTEM_FONTS: tuple[str, ...] = (
    "DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


@dataclass(frozen=True)
class FontChoice:
    """A font file, its family name (what libass's ``FontName`` must say) and where it came from."""

    path: Path
    family: str
    bundled: bool


def find_font(cache_dir: Path) -> FontChoice:
    """A system font if one opens, else Pillow's bundled font written to ``cache_dir/fonts``."""
    for candidate in SYSTEM_FONTS:
        try:
            font = ImageFont.truetype(candidate, 20)
        except OSError:
            continue
        path = Path(font.path) if isinstance(font.path, str) else Path(candidate)
        return FontChoice(path=path, family=font.getname()[0] or "Sans", bundled=False)
    default = ImageFont.load_default(size=20)
    data = getattr(default, "font_bytes", None)
    if (
        not isinstance(default, ImageFont.FreeTypeFont) or not data
    ):  # pragma: no cover - Pillow without FreeType
        raise OSError("no usable font: install a TrueType font (e.g. Debian's fonts-dejavu-core)")
    target = cache_dir / "fonts" / "PillowDefault.ttf"
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return FontChoice(path=target, family=default.getname()[0] or "Aileron", bundled=True)


def load(font: FontChoice, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font.path), size)
