"""One animatic shot: drawn once, then every frame is a cheap crop of the drawing.

Why this shape: a 60-second film is 1,440 frames; redrawing each with Pillow would cost more than the
budget (under 15 s for the whole film on two cores). So ``ShotDrawing`` paints the background and the
figures once on a canvas larger than the frame (``camera.Canvas``), pre-renders the caption and slate,
and ``frame(i)`` only crops or scales a window (``camera.CameraPath``) and pastes the overlays. A speaker's
open mouth (``RenderRequest.speech``) is the one thing drawn per frame: a small ellipse over the closed
mouth painted with the figure, as tall as the speech envelope says for that frame.

``draw_frame(request, t)``, ``figure_boxes(request, t)`` and ``prop_boxes(request, t)`` are the
test-facing views: a frame as an array, where each figure's body, torso and mouth land in it, and where
each prop (``props.py``) is drawn.
"""

from __future__ import annotations

import math
import random
import textwrap
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from generator.animatic.camera import ANGLES, Angle, CameraPath, Canvas, View
from generator.animatic.figures import Figure, FigurePainter, Mouth, draw_mouth, layout
from generator.animatic.palette import RGB, ScenePalette, scene_palette
from generator.animatic.props import PropMark, layout_props, paint_props
from generator.base import RenderRequest

Box = tuple[float, float, float, float]


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> np.ndarray:
    w, h = size
    k = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    rows = np.asarray(top, np.float32) * (1 - k) + np.asarray(bottom, np.float32) * k
    return np.repeat(rows[:, None, :], w, axis=1).round().astype(np.uint8)


def _mix(a: RGB, b: RGB, t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def paint_background(canvas: Canvas, palette: ScenePalette, location: str, angle: Angle = ANGLES["eye"]) -> Image.Image:
    """The set: sky, horizon and skyline outdoors; wall, floor, window and door indoors. The camera's height
    (``angle``) moves the horizon and the floor line: low for a low camera, high for a high one."""
    cw, ch = canvas.size
    rng = random.Random(f"set:{location}")
    horizon = round(canvas.oy + angle.horizon * canvas.height)
    if palette.exterior:
        pixels = _gradient((cw, horizon), palette.sky_top, palette.sky_bottom)
        ground = _gradient((cw, ch - horizon), palette.ground, _mix(palette.ground, (0, 0, 0), 0.35))
        img = Image.fromarray(np.concatenate([pixels, ground], axis=0))
        draw = ImageDraw.Draw(img)
        if palette.stars:
            for _ in range(120):
                x, y = rng.uniform(0, cw), rng.uniform(0, horizon * 0.8)
                draw.point((x, y), fill=(230, 230, 255))
        sx, sy, r = rng.uniform(0.15, 0.85) * cw, (0.12 + 0.1 * rng.random()) * ch, 0.045 * canvas.height
        if sy + r < horizon:  # a high camera can look down past where the sun or moon would be
            draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=palette.accent)
        skyline = _mix(palette.sky_bottom, palette.ground, 0.6)
        x = 0.0
        while x < cw:  # buildings or hills on the horizon, from the location's name
            w = rng.uniform(0.04, 0.12) * cw
            h = rng.uniform(0.03, 0.14) * canvas.height
            if rng.random() < 0.5:
                draw.rectangle((x, horizon - h, x + w, horizon), fill=skyline)
            else:
                draw.ellipse((x - w * 0.3, horizon - h, x + w * 1.3, horizon + h), fill=skyline)
            x += w * rng.uniform(0.8, 1.4)
        draw.rectangle((0, horizon, cw, horizon + 1), fill=_mix(palette.ground, (0, 0, 0), 0.2))
        return img
    floor_y = round(canvas.oy + angle.floor * canvas.height)
    shift = (angle.floor - ANGLES["eye"].floor) * canvas.height  # the wall's fixtures move with the floor line
    wall = _gradient((cw, floor_y), _mix(palette.wall, (0, 0, 0), 0.15), palette.wall)
    floor = _gradient((cw, ch - floor_y), palette.floor, _mix(palette.floor, (0, 0, 0), 0.4))
    img = Image.fromarray(np.concatenate([wall, floor], axis=0))
    draw = ImageDraw.Draw(img)
    wx = rng.uniform(0.1, 0.6) * cw
    ww, wh, wy = 0.22 * canvas.width, 0.26 * canvas.height, canvas.oy + 0.14 * canvas.height + shift
    frame_colour = _mix(palette.wall, (0, 0, 0), 0.45)
    draw.rectangle((wx - 4, wy - 4, wx + ww + 4, wy + wh + 4), fill=frame_colour)
    draw.rectangle((wx, wy, wx + ww, wy + wh), fill=_mix(palette.sky_top, palette.sky_bottom, 0.5))
    draw.line((wx + ww / 2, wy, wx + ww / 2, wy + wh), fill=frame_colour, width=3)
    dx = (wx + ww + rng.uniform(0.08, 0.3) * cw) % (cw - 0.15 * canvas.width)
    draw.rectangle(
        (dx, floor_y - 0.45 * canvas.height, dx + 0.13 * canvas.width, floor_y),
        fill=_mix(palette.wall, (60, 40, 20), 0.5),
    )
    draw.rectangle((0, floor_y - 2, cw, floor_y + 2), fill=_mix(palette.floor, (0, 0, 0), 0.3))
    if palette.time_of_day in ("night", "dusk"):  # a practical lamp
        lx, ly, r = rng.uniform(0.2, 0.8) * cw, canvas.oy + 0.3 * canvas.height + shift, 0.03 * canvas.height
        draw.ellipse(
            (lx - 3 * r, ly - 3 * r, lx + 3 * r, ly + 3 * r), fill=_mix(palette.wall, palette.accent, 0.35)
        )
        draw.ellipse((lx - r, ly - r, lx + r, ly + r), fill=palette.accent)
    return img


def _font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(9, round(size)))


def paint_caption(text: str, width: int, height: int) -> tuple[Image.Image, tuple[int, int]] | None:
    """The dialogue as a subtitle: white with a black outline, centred at the bottom, wrapped to fit."""
    if not text.strip():
        return None
    size = max(10, round(height / 18))
    font = _font(size)
    chars = max(10, int(width * 0.9 / (size * 0.55)))
    lines = textwrap.wrap(" ".join(text.split()), chars)[:3]
    line_h = round(size * 1.25)
    strip_h = line_h * len(lines) + size // 2
    img = Image.new("RGBA", (width, strip_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    stroke = max(1, size // 10)
    for n, line in enumerate(lines):
        draw.text((width / 2, n * line_h + line_h / 2 + 2), line, font=font, anchor="mm", fill=(255, 255, 255, 255),
                  stroke_width=stroke, stroke_fill=(0, 0, 0, 255))  # fmt: skip
    return img, (0, height - strip_h - round(height * 0.04))


def paint_slate(request: RenderRequest) -> tuple[Image.Image, tuple[int, int]]:
    """A slate corner: scene / shot / take, then size, move and time of day."""
    size = max(8, round(request.height / 30))
    font = _font(size)
    s = request.slate
    first = "  ".join(
        p for p in (f"SC {s.scene}" if s.scene else "", f"SH {s.shot}" if s.shot else "", f"TK {s.take}") if p
    )
    angle = "" if request.camera_height == "eye" else f" · {request.camera_height} angle"
    second = f"{request.shot_size} · {request.camera_move}{angle} · {request.time_of_day}"
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    w = max(probe.textlength(first, font=font), probe.textlength(second, font=font))
    pad = max(2, size // 3)
    img = Image.new("RGBA", (round(w) + 2 * pad, 2 * round(size * 1.25) + 2 * pad), (0, 0, 0, 190))
    draw = ImageDraw.Draw(img)
    draw.text((pad, pad), first, font=font, fill=(255, 255, 255, 255))
    draw.text((pad, pad + round(size * 1.25)), second, font=font, fill=(255, 220, 120, 255))
    margin = max(2, request.height // 60)
    return img, (margin, margin)


@dataclass(frozen=True)
class FigureBoxes:
    """Where one character landed in a frame (output pixels, clipped to the frame)."""

    id: str
    colour: tuple[int, int, int]
    facing: str
    box: Box
    torso: Box
    mouth: Box | None = None  # the mouth opened wide; None when it is not seen (facing away)


@dataclass(frozen=True)
class PropBoxes:
    """Where one prop landed in a frame (output pixels, clipped to the frame)."""

    label: str
    colour: tuple[int, int, int]
    box: Box


class ShotDrawing:
    """A shot painted once; ``frame(i)`` is a crop/scale of it plus the caption and slate."""

    def __init__(self, request: RenderRequest) -> None:
        self.request = request
        self.width, self.height = request.width, request.height
        self.frames = request.frame_count()
        self.canvas = Canvas(self.width, self.height)
        self.palette = scene_palette(request.location, request.time_of_day)
        self.figures: list[Figure] = layout(request, self.canvas, self.palette)
        self.path = CameraPath(request.camera_move, self.frames, request.seed)
        self.background = paint_background(self.canvas, self.palette, request.location, ANGLES[request.camera_height])
        self.figure_layer = Image.new("RGBA", self.canvas.size, (0, 0, 0, 0))
        painter = FigurePainter(ImageDraw.Draw(self.figure_layer), self.palette, self.canvas)
        for figure in self.figures:
            painter.paint(figure)
        self.props: list[PropMark] = layout_props(request.props, self.canvas, self.palette)
        paint_props(ImageDraw.Draw(self.figure_layer), self.props, self.canvas)  # in front of the set and the people
        if not self.path.parallax:  # one layer is enough: composite once
            self.background.paste(self.figure_layer, (0, 0), self.figure_layer)
        # For parallax moves only the figures' bounding box is scaled and pasted each frame.
        bbox = self.figure_layer.getbbox()
        self._sprite = (self.figure_layer.crop(bbox), bbox) if bbox else None
        self.overlays = [
            o for o in (paint_caption(request.caption, self.width, self.height), paint_slate(request)) if o
        ]
        self._still: np.ndarray | None = None
        self._mouths = _mouth_tracks(request, self.figures, self.frames)

    def speaking(self, index: int) -> list[tuple[Mouth, float]]:
        """The mouths open in frame ``index`` and how far (0…1]; empty in silence."""
        return [(mouth, float(track[index])) for mouth, track in self._mouths if track[index] > 0.0]

    def _window(self, layer: Image.Image, view: View) -> Image.Image:
        left, top, right, bottom = view.box(self.canvas)
        if math.isclose(view.zoom, 1.0):  # a pure shift: an integer crop, no resampling
            x, y = round(left), round(top)
            return layer.crop((x, y, x + self.width, y + self.height))
        return layer.resize(
            (self.width, self.height), Image.Resampling.BILINEAR, box=(left, top, right, bottom)
        )

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an H×W×3 uint8 RGB array."""
        speaking = self.speaking(index)
        if not self.path.moving and not speaking and self._still is not None:
            return self._still
        fig_view, bg_view = self.path.views(index, self.request.fps)
        img = self._window(self.background, bg_view)
        if self.path.parallax and self._sprite is not None:
            self._paste_sprite(img, fig_view)
        elif img.mode != "RGB":
            img = img.convert("RGB")
        if speaking:
            draw, z = ImageDraw.Draw(img), fig_view.zoom
            for mouth, openness in speaking:
                x, y = fig_view.to_frame(self.canvas, mouth.x, mouth.y)
                draw_mouth(draw, x, y, mouth.half_width * z, openness * mouth.open_height * z)
        for overlay, pos in self.overlays:
            img.paste(overlay, pos, overlay)
        out = np.asarray(img)
        if not self.path.moving and not speaking:
            self._still = out
        return out

    def _paste_sprite(self, img: Image.Image, view: View) -> None:
        """Scale the figures' bounding box by ``view`` and paste the visible part onto ``img``."""
        assert self._sprite is not None
        sprite, (x0, y0, x1, y1) = self._sprite
        fx0, fy0 = view.to_frame(self.canvas, x0, y0)
        fx1, fy1 = view.to_frame(self.canvas, x1, y1)
        ix0, iy0 = max(0, math.floor(fx0)), max(0, math.floor(fy0))
        ix1, iy1 = min(self.width, math.ceil(fx1)), min(self.height, math.ceil(fy1))
        if ix1 <= ix0 or iy1 <= iy0:
            return
        left, top, _, _ = view.box(self.canvas)
        z, sw, sh = view.zoom, sprite.width, sprite.height
        src = (
            min(max(left + ix0 / z - x0, 0.0), sw), min(max(top + iy0 / z - y0, 0.0), sh),
            min(max(left + ix1 / z - x0, 0.0), sw), min(max(top + iy1 / z - y0, 0.0), sh),
        )  # fmt: skip
        if src[2] <= src[0] or src[3] <= src[1]:
            return
        part = sprite.resize((ix1 - ix0, iy1 - iy0), Image.Resampling.NEAREST, box=src)
        img.paste(part, (ix0, iy0), part)

    def boxes(self, index: int) -> list[FigureBoxes]:
        """Each figure's whole-body, torso and (wide open) mouth boxes in frame ``index`` (output pixels, clipped)."""
        fig_view, _ = self.path.views(index, self.request.fps)
        out = []
        for f in self.figures:
            m = f.mouth
            mouth = None if m is None else self._map(fig_view, (m.x - m.half_width, m.y - m.open_height / 2,
                                                                m.x + m.half_width, m.y + m.open_height / 2))  # fmt: skip
            out.append(FigureBoxes(f.id, f.colour, f.facing, self._map(fig_view, f.box), self._map(fig_view, f.torso), mouth))
        return out

    def prop_boxes(self, index: int) -> list[PropBoxes]:
        """Each prop's block in frame ``index`` (output pixels, clipped)."""
        fig_view, _ = self.path.views(index, self.request.fps)
        return [PropBoxes(p.label, p.colour, self._map(fig_view, p.box)) for p in self.props]

    def _map(self, view: View, box: Box) -> Box:
        x0, y0 = view.to_frame(self.canvas, box[0], box[1])
        x1, y1 = view.to_frame(self.canvas, box[2], box[3])
        clip_x = lambda v: min(max(v, 0.0), float(self.width))  # noqa: E731
        clip_y = lambda v: min(max(v, 0.0), float(self.height))  # noqa: E731
        return clip_x(x0), clip_y(y0), clip_x(x1), clip_y(y1)


def _mouth_tracks(request: RenderRequest, figures: list[Figure], frames: int) -> list[tuple[Mouth, np.ndarray]]:
    """Per seen speaker, their mouth and its openness in every frame of the shot (the loudest line wins where
    two of theirs overlap). Speakers not staged, or facing away, are heard and not drawn; openness past
    the shot's last frame is dropped."""
    mouths = {f.id: f.mouth for f in figures}
    tracks: dict[str, np.ndarray] = {}
    for line in request.speech:
        mouth = mouths.get(line.character)
        if mouth is None or line.start_frame >= frames:
            continue
        values = np.asarray(line.mouth[: frames - line.start_frame], dtype=np.float32)
        track = tracks.setdefault(line.character, np.zeros(frames, dtype=np.float32))
        window = track[line.start_frame : line.start_frame + values.size]
        np.maximum(window, values, out=window)
    return [(m, tracks[cid]) for cid, m in mouths.items() if m is not None and cid in tracks]


_DRAWINGS: OrderedDict[str, ShotDrawing] = OrderedDict()


def shot_drawing(request: RenderRequest) -> ShotDrawing:
    """The drawing of ``request``, cached for a few requests (keyed by the request's hash)."""
    key = request.key()
    drawing = _DRAWINGS.pop(key, None) or ShotDrawing(request)
    _DRAWINGS[key] = drawing
    while len(_DRAWINGS) > 8:
        _DRAWINGS.popitem(last=False)
    return drawing


def _index(request: RenderRequest, t: float) -> int:
    return min(max(0, round(t * request.fps)), request.frame_count() - 1)


def draw_frame(request: RenderRequest, t: float = 0.0) -> np.ndarray:
    """The animatic frame at ``t`` seconds into the shot (H×W×3 uint8 RGB)."""
    return shot_drawing(request).frame(_index(request, t))


def figure_boxes(request: RenderRequest, t: float = 0.0) -> list[FigureBoxes]:
    """Where each staged character is drawn at ``t`` seconds (output pixels): for tests and overlays."""
    return shot_drawing(request).boxes(_index(request, t))


def prop_boxes(request: RenderRequest, t: float = 0.0) -> list[PropBoxes]:
    """Where each prop is drawn at ``t`` seconds (output pixels): for tests and overlays."""
    return shot_drawing(request).prop_boxes(_index(request, t))
