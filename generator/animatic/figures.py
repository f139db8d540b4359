"""Characters as figures: where each stands, how big the shot size makes them, and how they are drawn.

Why figures and not stick men: the point of an animatic is to judge the plan — who is where, who looks
at whom, how tight the shot is — and who talks. Each character gets a body colour, a build, a hair style
and a costume cut derived from its id (``palette``), a name tag, and a face that shows its facing: a nose
and eye toward the side it looks at plus an arrow over the head; a back of the head for ``away``. The
mouth is painted closed with the figure; a speaker's open mouth is drawn over it frame by frame
(``Figure.mouth``, ``draw_mouth``; ``frame.ShotDrawing`` follows ``RenderRequest.speech``).

Sizes follow the shot-size grammar: an extreme wide shows small full figures on the ground line, a wide
full figures with room around them, a medium shot from the waist up, a close-up head and shoulders,
an extreme close-up the face. All geometry is in units of the figure's height ``u`` from the top of
its head, so one drawing routine serves every size.

The camera's height (``camera.ANGLES``) scales the figures and foreshortens them: ``Figure.at`` maps a point of
the figure (in figure heights) to the canvas, squeezing the head and widening the feet for a camera below
(``lean`` > 0), the other way round for one above. At eye level (``lean`` 0) it is the plain mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageDraw, ImageFont

from generator.animatic.camera import ANGLES, Canvas
from generator.animatic.palette import (
    RGB,
    ScenePalette,
    character_colour,
    hair_colour,
    lit,
    skin_tone,
    spread,
    variant,
)
from generator.base import RenderRequest

#: Figure height as a multiple of the frame height, per shot size.
SIZE_SCALE: dict[str, float] = {
    "EWS": 0.16, "WS": 0.36, "FS": 0.8, "MWS": 1.25, "MS": 1.7, "MCU": 2.3, "CU": 3.3, "ECU": 5.5, "INSERT": 5.5,
}  # fmt: skip
#: Wide sizes stand on a ground line (fraction of frame height); the others put the eyes on the eye line
#: (``camera.Angle.eye_line``: the upper third at eye level).
GROUND_LINE: dict[str, float] = {"EWS": 0.8, "WS": 0.86, "FS": 0.93}
HEADROOM = 0.03  # a wide seen from below keeps at least this much of the frame's height over the heads
EYE_DEPTH = 0.065  # eyes sit this far below the top of the head, in figure heights
MOUTH_DEPTH = 0.1  # the mouth's centre, in figure heights below the top of the head
#: Lips as a closed line, and the inside of an open mouth.
LIPS: RGB = (96, 36, 40)
MOUTH_INSIDE: RGB = (40, 10, 16)


def bend(y: float, lean: float) -> float:
    """Where a point ``y`` figure heights below the top of the head lands once foreshortened by ``lean``:
    the head and feet stay where they are, the body between them slides toward the far end."""
    return y - lean * y * (1 - y)


def widen(y: float, lean: float) -> float:
    """How much wider the figure is drawn at ``y`` figure heights below the top of its head (1 at eye level)."""
    return 1 + lean * (y - 0.5)


@dataclass(frozen=True)
class Mouth:
    """Where a figure's mouth is on the canvas: its centre, half its width, and its height wide open (pixels)."""

    x: float
    y: float
    half_width: float
    open_height: float


@dataclass(frozen=True)
class Figure:
    """One character as placed on the canvas (canvas pixels)."""

    id: str
    name: str
    facing: str
    colour: RGB  # body colour as lit by the scene (what the frame shows)
    cx: float  # centre line
    top: float  # top of the head
    unit: float  # figure height in pixels
    build: float
    lean: float = 0.0  # foreshortening by the camera's height (``camera.Angle.lean``); 0 at eye level

    def at(self, x: float, y: float) -> tuple[float, float]:
        """Canvas pixels of the point ``x`` figure heights right of the centre line and ``y`` below the head's top."""
        if self.lean == 0.0:
            return self.cx + x * self.unit, self.top + y * self.unit
        return self.cx + x * widen(y, self.lean) * self.unit, self.top + bend(y, self.lean) * self.unit

    def _widest(self, y0: float, y1: float) -> float:
        return max(widen(y0, self.lean), widen(y1, self.lean))

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The whole figure (head to feet, shoulder to shoulder)."""
        half = 0.16 * self.build * self.unit * self._widest(0.0, 1.0)
        return self.cx - half, self.top, self.cx + half, self.top + self.unit

    @property
    def torso(self) -> tuple[float, float, float, float]:
        """The torso: the largest patch of the body colour."""
        half = 0.1 * self.build * self.unit * self._widest(0.2, 0.52)
        _, y0 = self.at(0.0, 0.2)
        _, y1 = self.at(0.0, 0.52)
        return self.cx - half, y0, self.cx + half, y1

    @property
    def mouth(self) -> Mouth | None:
        """The mouth: under the eyes facing the camera, toward the nose in profile; None from behind."""
        _, y = self.at(0.0, MOUTH_DEPTH)
        u = self.unit * widen(MOUTH_DEPTH, self.lean)  # the face's scale where the mouth is
        if self.facing == "camera":
            return Mouth(self.cx, y, 0.015 * u, 0.03 * u)
        if self.facing in ("left", "right"):
            s = 1 if self.facing == "right" else -1
            return Mouth(self.cx + s * 0.03 * u, y, 0.011 * u, 0.024 * u)
        return None


def draw_mouth(draw: ImageDraw.ImageDraw, x: float, y: float, half_width: float, height: float) -> None:
    """A mouth centred at (x, y): a line of lips when ``height`` is no more than the lips' thickness, else
    an open mouth that tall (canvas or frame pixels, whichever ``draw`` draws on)."""
    lips = max(1.0, 0.3 * half_width)
    half_width = max(1.0, half_width)
    if height <= lips:
        draw.rectangle((x - half_width, y - lips / 2, x + half_width, y + lips / 2), fill=(*LIPS, 255))
        return
    draw.ellipse((x - half_width, y - height / 2, x + half_width, y + height / 2), fill=(*MOUTH_INSIDE, 255))


def layout(request: RenderRequest, canvas: Canvas, palette: ScenePalette) -> list[Figure]:
    """Place every staged character on the canvas at its planned ``x``, scaled by the shot size and the
    camera's height (taller and foreshortened from below, smaller from above)."""
    angle = ANGLES[request.camera_height]
    unit = SIZE_SCALE[request.shot_size] * canvas.height
    figures = []
    for staged in request.staging:
        height = unit * spread(staged.id, "height", 0.93, 1.04) * angle.scale
        if request.shot_size in GROUND_LINE:
            feet = canvas.oy + (GROUND_LINE[request.shot_size] + angle.ground_drop) * canvas.height
            if angle.scale > 1.0:  # looming, but the head stays in a wide frame
                height = min(height, feet - canvas.oy - HEADROOM * canvas.height)
            top = feet - height
        else:
            top = canvas.oy + angle.eye_line * canvas.height - bend(EYE_DEPTH, angle.lean) * height
        figures.append(
            Figure(
                id=staged.id, name=staged.name or staged.id, facing=staged.facing,
                colour=lit(character_colour(staged.id, staged.colour), palette),
                cx=canvas.ox + staged.x * canvas.width, top=top, unit=height,
                build=spread(staged.id, "build", 0.85, 1.15), lean=angle.lean,
            )
        )  # fmt: skip
    return figures


def _dark(c: RGB, k: float = 0.55) -> RGB:
    return (round(c[0] * k), round(c[1] * k), round(c[2] * k))


class FigurePainter:
    """Draws figures onto an RGBA layer with Pillow (once per shot)."""

    def __init__(self, draw: ImageDraw.ImageDraw, palette: ScenePalette, canvas: Canvas) -> None:
        self.draw = draw
        self.palette = palette
        self.canvas = canvas
        self._shadow = _dark(palette.ground if palette.exterior else palette.floor, 0.6)

    def _xy(self, f: Figure, x: float, y: float) -> tuple[float, float]:
        return f.at(x, y)

    def _rect(self, f: Figure, x0: float, y0: float, x1: float, y1: float, fill: RGB) -> None:
        if f.lean == 0.0:
            self.draw.rectangle((*self._xy(f, x0, y0), *self._xy(f, x1, y1)), fill=(*fill, 255))
        else:  # foreshortened: a rectangle of the figure becomes a trapezoid on the canvas
            self._poly(f, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill)

    def _ellipse(self, f: Figure, x0: float, y0: float, x1: float, y1: float, fill: RGB) -> None:
        if f.lean != 0.0:  # scaled across by the width at its middle, squeezed or stretched down its height
            k = widen((y0 + y1) / 2, f.lean)
            x0, x1 = x0 * k, x1 * k
            (left, top), (right, bottom) = f.at(0.0, y0), f.at(0.0, y1)
            self.draw.ellipse((left + x0 * f.unit, top, right + x1 * f.unit, bottom), fill=(*fill, 255))
            return
        self.draw.ellipse((*self._xy(f, x0, y0), *self._xy(f, x1, y1)), fill=(*fill, 255))

    def _poly(self, f: Figure, points: list[tuple[float, float]], fill: RGB) -> None:
        self.draw.polygon([self._xy(f, x, y) for x, y in points], fill=(*fill, 255))

    def paint(self, f: Figure) -> None:
        b = f.build
        body, dark = f.colour, _dark(f.colour)
        skin, hair = lit(skin_tone(f.id), self.palette), lit(hair_colour(f.id), self.palette)
        style = variant(f.id, "costume", 3)
        if f.lean < 0:  # seen from above: the ground around the feet shows, and the figure's shadow on it
            self._ellipse(f, -0.2 * b, 0.95, 0.2 * b, 1.0 - 0.1 * f.lean, self._shadow)
        # legs and shoes
        self._rect(f, -0.085 * b, 0.5, -0.012, 0.97, dark)
        self._rect(f, 0.012, 0.5, 0.085 * b, 0.97, dark)
        self._rect(f, -0.1 * b, 0.96, -0.005, 1.0, (30, 30, 30))
        self._rect(f, 0.005, 0.96, 0.1 * b, 1.0, (30, 30, 30))
        # arms
        self._rect(f, -0.16 * b, 0.17, -0.11 * b, 0.52, dark)
        self._rect(f, 0.11 * b, 0.17, 0.16 * b, 0.52, dark)
        self._ellipse(f, -0.165 * b, 0.5, -0.105 * b, 0.56, skin)
        self._ellipse(f, 0.105 * b, 0.5, 0.165 * b, 0.56, skin)
        # torso, cut by costume: coat, jacket, long dress
        if style == 0:
            self._poly(f, [(-0.13 * b, 0.16), (0.13 * b, 0.16), (0.15 * b, 0.68), (-0.15 * b, 0.68)], body)
        elif style == 1:
            self._rect(f, -0.12 * b, 0.16, 0.12 * b, 0.55, body)
        else:
            self._poly(f, [(-0.11 * b, 0.16), (0.11 * b, 0.16), (0.2 * b, 0.9), (-0.2 * b, 0.9)], body)
        # neck and head
        self._rect(f, -0.022, 0.11, 0.022, 0.17, skin)
        self._head(f, skin, hair)
        self._tag(f)

    def _head(self, f: Figure, skin: RGB, hair: RGB) -> None:
        hair_style = variant(f.id, "hair", 4)
        if hair_style == 1:  # long hair behind the head
            self._rect(f, -0.058, 0.03, 0.058, 0.2, hair)
        self._ellipse(f, -0.05, 0.0, 0.05, 0.13, skin)
        if f.facing == "away":
            self._ellipse(f, -0.052, -0.004, 0.052, 0.134, hair)
        elif hair_style == 3:  # hat
            self._rect(f, -0.075, 0.018, 0.075, 0.03, _dark(f.colour, 0.4))
            self._rect(f, -0.045, -0.02, 0.045, 0.025, _dark(f.colour, 0.4))
        else:
            self._ellipse(f, -0.052, -0.006, 0.052, 0.05, hair)
            if hair_style == 2:  # bun
                self._ellipse(f, -0.022, -0.035, 0.022, 0.005, hair)
        eye = (20, 20, 28)
        if f.facing in ("left", "right"):
            s = 1 if f.facing == "right" else -1
            self._poly(f, [(s * 0.045, 0.06), (s * 0.072, 0.082), (s * 0.045, 0.092)], skin)  # nose
            near, far = sorted((s * 0.018, s * 0.034))
            self._ellipse(f, near, 0.055, far, 0.07, eye)
            self._arrow(f, s)
        elif f.facing == "camera":
            self._ellipse(f, -0.03, 0.055, -0.014, 0.07, eye)
            self._ellipse(f, 0.014, 0.055, 0.03, 0.07, eye)
        mouth = f.mouth
        if mouth is not None:  # closed; a speaker's frames draw it open over this
            draw_mouth(self.draw, mouth.x, mouth.y, mouth.half_width, 0.0)

    def _arrow(self, f: Figure, s: int) -> None:
        """A small arrow over the head pointing where the character looks (readable even in a wide)."""
        size = min(max(7.0, 0.05 * f.unit), 0.035 * self.canvas.height)
        x, y = f.cx, f.top - 0.8 * size
        points = [(x - s * size, y - size / 2), (x + s * size, y), (x - s * size, y + size / 2)]
        self.draw.polygon(points, fill=(255, 255, 255, 255), outline=(0, 0, 0, 255))

    def _tag(self, f: Figure) -> None:
        """The name on a dark tag at chest height, kept inside the planned frame."""
        size = int(min(22, max(11, 0.045 * f.unit)))
        font = ImageFont.load_default(size=size)
        c = self.canvas
        y = min(max(f.top + 0.3 * f.unit, c.oy + 0.12 * c.height), c.oy + 0.68 * c.height)
        left, top, right, bottom = self.draw.textbbox((f.cx, y), f.name, font=font, anchor="mm")
        self.draw.rectangle((left - 4, top - 3, right + 4, bottom + 3), fill=(0, 0, 0, 200))
        self.draw.text((f.cx, y), f.name, font=font, anchor="mm", fill=(255, 255, 255, 255))
