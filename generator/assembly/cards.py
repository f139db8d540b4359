"""The opening title card and the end credits: a still drawn with Pillow, made a clip by ffmpeg.

Why Pillow and not ffmpeg's ``drawtext``: ``drawtext`` needs a font file path escaped inside a filter
graph and fontconfig set up; Pillow draws the same pixels everywhere from the font ``fonts.find_font``
picks. The still becomes a clip in the intermediate format of the takes (``normalise.py``) with a silent
sound track, so cards join the cut like any take. Cards are cached by the PNG's bytes and the format.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path

import ffmpeg
from PIL import Image, ImageDraw

from generator.assembly import fonts
from generator.assembly.normalise import Conform, cache_key, intermediate_output_args
from generator.ffmpeg_tools import run_ffmpeg, temp_path_for

BACKGROUND = (0, 0, 0)
INK = (235, 235, 235)


def draw_card(
    lines: Sequence[str], width: int, height: int, font: fonts.FontChoice, *, headline: bool
) -> Image.Image:
    """Centred lines of text on black. ``headline``: the first line is drawn twice as large (a title)."""
    image = Image.new("RGB", (width, height), BACKGROUND)
    clean = [" ".join(str(line).split()) for line in lines]
    clean = [line for line in clean if line] or [""]
    draw = ImageDraw.Draw(image)
    size = max(8, height // (10 if headline else max(8, 2 * len(clean) + 2)))
    while True:
        sizes = [size * 2 if headline and i == 0 else size for i in range(len(clean))]
        faces = [fonts.load(font, s) for s in sizes]
        boxes = [draw.textbbox((0, 0), line, font=face) for line, face in zip(clean, faces, strict=True)]
        widest = max(b[2] - b[0] for b in boxes)
        total = sum(int(s * 1.4) for s in sizes)
        if (widest <= width * 0.9 and total <= height * 0.9) or size <= 6:
            break
        size -= 1
    y = (height - total) / 2
    for line, face, box, s in zip(clean, faces, boxes, sizes, strict=True):
        x = (width - (box[2] - box[0])) / 2 - box[0]
        draw.text((x, y), line, font=face, fill=INK)
        y += int(s * 1.4)
    return image


def card_clip(
    name: str, lines: Sequence[str], frames: int, conform: Conform, cache_dir: Path, *,
    font: fonts.FontChoice, headline: bool, ffmpeg_exe: str,
) -> tuple[Path, bool]:  # fmt: skip
    """The cached clip of a card (``frames`` long, silent); True when it was encoded now."""
    image = draw_card(lines, conform.width, conform.height, font, headline=headline)
    png = io.BytesIO()
    image.save(png, format="PNG")
    data = png.getvalue()
    key = cache_key(hashlib.sha256(data).hexdigest(), conform, frames, kind=f"card:{name}")
    target = cache_dir / f"{key}.mov"
    if target.is_file():
        return target, False
    cache_dir.mkdir(parents=True, exist_ok=True)
    still = cache_dir / f"{key}.png"
    still.write_bytes(data)
    video = (
        ffmpeg.input(str(still), loop=1, framerate=conform.fps)
        .video.filter("trim", end_frame=frames)
        .filter("format", "yuv420p")
    )
    audio = ffmpeg.input(f"anullsrc=r={conform.sample_rate}:cl=stereo", f="lavfi").audio.filter(
        "atrim", end_sample=conform.samples(frames)
    )
    tmp = temp_path_for(target)
    args = ffmpeg.output(video, audio, str(tmp), **intermediate_output_args(conform)).compile(cmd="ffmpeg")[
        1:
    ]
    try:
        run_ffmpeg(args, ffmpeg=ffmpeg_exe)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        still.unlink(missing_ok=True)
    return target, True
