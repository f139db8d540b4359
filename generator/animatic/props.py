"""Props: the objects the story tracks, drawn as labelled shapes in front of the set.

Why a shape and a label: an animatic judges the plan, not the look. If the continuity ledger says the
lamp is cracked from scene 2 on, every shot that shows the lamp should show *a* lamp, so a reviewer sees
it is there (and a missing one is noticed). Each prop is a block in its colour — a colour word in its
text ('red scarf') wins, else a hue from its name, like a figure's — on the floor line, spread across
the frame in the order given, with its text on a dark tag above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageDraw, ImageFont

from generator.animatic.camera import Canvas
from generator.animatic.palette import RGB, ScenePalette, character_colour, lit

Box = tuple[float, float, float, float]

#: Props drawn per shot; more would crowd the frame (the prompt still names them all).
MAX_PROPS = 4
#: The block's side and its base line, as fractions of the frame height (above the caption strip).
PROP_SIZE, PROP_BASE = 0.11, 0.8
_LABEL_CHARS = 28


@dataclass(frozen=True)
class PropMark:
    """One prop as placed on the canvas (canvas pixels)."""

    label: str
    colour: RGB  # as lit by the scene
    box: Box


def prop_colour(text: str) -> RGB:
    """The colour a prop is drawn in: a colour word in its text, else a stable hue from the text."""
    name = text.partition(":")[0].strip() or text
    return character_colour(f"prop:{name.casefold()}", text)


def layout_props(props: tuple[str, ...], canvas: Canvas, palette: ScenePalette) -> list[PropMark]:
    """Place up to ``MAX_PROPS`` props left to right on the floor line of the planned frame."""
    shown = [p.strip() for p in props if p.strip()][:MAX_PROPS]
    side = PROP_SIZE * canvas.height
    base = canvas.oy + PROP_BASE * canvas.height
    marks = []
    for k, text in enumerate(shown):
        cx = canvas.ox + canvas.width * (k + 1) / (len(shown) + 1)
        label = text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"
        marks.append(PropMark(label, lit(prop_colour(text), palette), (cx - side / 2, base - side, cx + side / 2, base)))
    return marks


def paint_props(draw: ImageDraw.ImageDraw, marks: list[PropMark], canvas: Canvas) -> None:
    """Each prop: a block with a dark outline, and its label on a dark tag just above."""
    size = max(9, round(canvas.height / 30))
    font = ImageFont.load_default(size=size)
    for mark in marks:
        x0, y0, x1, y1 = mark.box
        draw.rectangle((x0, y0, x1, y1), fill=(*mark.colour, 255), outline=(20, 20, 20, 255), width=max(1, size // 6))
        cx, ty = (x0 + x1) / 2, y0 - 0.8 * size
        left, top, right, bottom = draw.textbbox((cx, ty), mark.label, font=font, anchor="mm")
        draw.rectangle((left - 3, top - 2, right + 3, bottom + 2), fill=(0, 0, 0, 200))
        draw.text((cx, ty), mark.label, font=font, anchor="mm", fill=(255, 255, 255, 255))
