"""The animatic's camera: which window of a larger drawn canvas each frame shows.

Why a window over a canvas: a shot is drawn once (background and figures on a canvas with a margin
around the planned frame); each frame is then a crop-and-scale of that canvas, which costs a fraction
of a millisecond instead of a redraw. A move is a path of windows over the shot's duration, centred
on the plan: halfway through the shot the camera frames exactly what the staging says.

Two layers move differently where a real camera shows parallax: trucking and dollying move the figures
more than the background, an arc swings the background behind nearly still figures. Pans, tilts, zooms
and handheld shake move both layers together (no parallax), so those are rendered from one layer.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

#: Extra canvas around the planned frame, as a fraction of the frame's width/height on each side.
MARGIN = 0.25


@dataclass(frozen=True)
class Canvas:
    """A drawing surface with the planned frame (``width`` × ``height``) in its middle."""

    width: int
    height: int
    margin: float = MARGIN

    @property
    def ox(self) -> int:
        return round(self.width * self.margin)

    @property
    def oy(self) -> int:
        return round(self.height * self.margin)

    @property
    def size(self) -> tuple[int, int]:
        return self.width + 2 * self.ox, self.height + 2 * self.oy


@dataclass(frozen=True)
class View:
    """Where one layer's window sits: offset of its centre (fractions of the frame) and zoom (> 1 = closer)."""

    dx: float = 0.0
    dy: float = 0.0
    zoom: float = 1.0

    def box(self, canvas: Canvas) -> tuple[float, float, float, float]:
        """The window in canvas pixels (left, top, right, bottom)."""
        cx = canvas.ox + canvas.width * (0.5 + self.dx)
        cy = canvas.oy + canvas.height * (0.5 + self.dy)
        half_w, half_h = canvas.width / (2 * self.zoom), canvas.height / (2 * self.zoom)
        return cx - half_w, cy - half_h, cx + half_w, cy + half_h

    def to_frame(self, canvas: Canvas, x: float, y: float) -> tuple[float, float]:
        """Map a canvas point to output-frame pixels under this view."""
        left, top, _, _ = self.box(canvas)
        return (x - left) * self.zoom, (y - top) * self.zoom


def _ease(u: float) -> float:
    """Smooth start and stop (smoothstep), like a fluid head."""
    u = min(1.0, max(0.0, u))
    return u * u * (3 - 2 * u)


# Each move: (figure layer, background layer) as functions of s in [-0.5, 0.5] (eased time, 0 = the plan).
def _pair(fig: View, bg: View | None = None) -> tuple[View, View]:
    return fig, fig if bg is None else bg


_MOVES = {
    "static": lambda s: _pair(View()),
    "pan_left": lambda s: _pair(View(dx=-0.24 * s)),
    "pan_right": lambda s: _pair(View(dx=0.24 * s)),
    "tilt_up": lambda s: _pair(View(dy=-0.2 * s)),
    "tilt_down": lambda s: _pair(View(dy=0.2 * s)),
    "zoom_in": lambda s: _pair(View(zoom=1.0 + 0.3 * s)),
    "zoom_out": lambda s: _pair(View(zoom=1.0 - 0.3 * s)),
    "dolly_in": lambda s: _pair(View(zoom=1.0 + 0.34 * s), View(zoom=1.0 + 0.1 * s)),
    "dolly_out": lambda s: _pair(View(zoom=1.0 - 0.34 * s), View(zoom=1.0 - 0.1 * s)),
    "truck_left": lambda s: _pair(View(dx=-0.24 * s), View(dx=-0.1 * s)),
    "truck_right": lambda s: _pair(View(dx=0.24 * s), View(dx=0.1 * s)),
    "arc_left": lambda s: _pair(View(dx=-0.05 * s, zoom=1.0 + 0.04 * abs(s)), View(dx=0.24 * s)),
    "arc_right": lambda s: _pair(View(dx=0.05 * s, zoom=1.0 + 0.04 * abs(s)), View(dx=-0.24 * s)),
}

#: Moves whose two layers differ (need two crops and a composite per frame).
PARALLAX_MOVES = frozenset({"dolly_in", "dolly_out", "truck_left", "truck_right", "arc_left", "arc_right"})


class CameraPath:
    """The views of both layers at every frame of a shot; handheld shake is seeded and smooth."""

    def __init__(self, move: str, frames: int, seed: int) -> None:
        if move not in _MOVES and move != "handheld":
            raise ValueError(f"unknown camera move {move!r}")
        self.move = move
        self.frames = frames
        rng = random.Random(seed)
        # Handheld: a few slow sines with random phases per axis — smooth, small, repeatable.
        self._shake = [
            [(rng.uniform(0.3, 1.4), rng.uniform(0, 2 * math.pi), rng.uniform(0.3, 1.0)) for _ in range(3)]
            for _ in range(2)
        ]

    @property
    def parallax(self) -> bool:
        return self.move in PARALLAX_MOVES

    @property
    def moving(self) -> bool:
        return self.move != "static"

    def progress(self, index: int) -> float:
        """Eased position in [-0.5, 0.5] of frame ``index`` (0 = the planned framing)."""
        if self.frames <= 1:
            return 0.0
        return _ease(index / (self.frames - 1)) - 0.5

    def views(self, index: int, fps: float = 24.0) -> tuple[View, View]:
        """(figure view, background view) at frame ``index``."""
        if self.move == "handheld":
            t = index / fps
            dx, dy = (
                0.012 * sum(a * math.sin(2 * math.pi * f * t + p) for f, p, a in axis) / 1.5
                for axis in self._shake
            )
            view = View(
                dx=dx, dy=dy
            )  # shifts only: an integer crop per frame (the canvas margin hides the edges)
            return view, view
        return _MOVES[self.move](self.progress(index))


@dataclass(frozen=True)
class Angle:
    """How the camera's height (``RenderRequest.camera_height``) changes the drawing.

    Why these numbers: an animatic needs an angle to read at a glance, not a true projection. A low camera
    drops the horizon (floor line indoors) so the figures stand against the sky or the wall and loom — taller,
    their feet wider and heads smaller, as seen from below; a high camera raises the horizon so the figures
    stand on the ground or floor, smaller, their heads larger and feet smaller, as seen from above. Eye level
    draws exactly what the animatic drew before heights existed.
    """

    horizon: float  # outdoors: the horizon, as a fraction of the frame's height from the top
    floor: float  # indoors: where the wall meets the floor, the same way
    scale: float  # figure height, relative to eye level
    lean: float  # foreshortening: > 0 seen from below (head smaller, feet larger), < 0 from above
    eye_line: float  # medium and closer sizes: where the eyes sit, as a fraction of the frame's height
    ground_drop: float  # wide sizes: how far the feet sit below the eye-level ground line (frame heights)


ANGLES: dict[str, Angle] = {
    "ground": Angle(horizon=0.9, floor=0.94, scale=1.35, lean=0.6, eye_line=0.24, ground_drop=0.06),
    "low": Angle(horizon=0.8, floor=0.87, scale=1.18, lean=0.35, eye_line=0.3, ground_drop=0.04),
    "eye": Angle(horizon=0.6, floor=0.72, scale=1.0, lean=0.0, eye_line=0.38, ground_drop=0.0),
    "high": Angle(horizon=0.3, floor=0.4, scale=0.82, lean=-0.35, eye_line=0.46, ground_drop=0.0),
    "overhead": Angle(horizon=0.05, floor=0.08, scale=0.65, lean=-0.6, eye_line=0.52, ground_drop=-0.03),
}
