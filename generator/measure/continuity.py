"""Continuity across a cut: does this shot's exposure and colour match the end of the one before it?

Everything is measured in CIELAB, where equal distances look equally different (~2 is just noticeable).
A cut between two framings of one scene legitimately changes *what* is in the picture (a close-up fills
the frame with a face, a wide shot with sky), so comparing whole colour distributions flags good cuts.
The measurement therefore separates what a grade or exposure jump changes from what reframing changes:

- **exposure**: the earth mover's distance between the two L* histograms — how far, in L* units, the
  pixels' lightness must move to match. A brightness jump moves all of them; reframing moves some.
- **colour cast**: how far the centre (a*, b*) of the near-neutral pixels (greys, whites, shadows: within
  ``color_jump_neutral_chroma`` of it, found by mean shift from grey) moves. Reframing changes which saturated things are on screen
  but leaves greys grey; a grade shifts the greys. Skipped when either side has almost no neutral pixels.
- **overall**: the earth mover's distances of L*, a* and b* combined (Euclidean) — a backstop with a
  high threshold for a picture that changes in every way at once.

Calibration (animatic scenes — harbour day, kitchen night, beach dusk, office day — cut between every
pair of EWS, WS, MS, MCU, CU, ECU): reframing gave exposure ≤ 9.4, cast ≤ 2.0 and overall ≤ 18.
Planted regrades gave exposure 17–25 (brightness ×1.4, ×0.6) and casts of 8+ (cooler, magenta) or 3.5+
(greener). Known blind spot: a mild warm grade can shift the greys out of the mean-shift window and
measure under 3 — it is caught only when it also moves exposure or the overall distance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.measure.colour import srgb_to_lab
from generator.measure.findings import Finding
from generator.measure.thresholds import Thresholds

# Histogram ranges per channel (Lab units): L*, a*, b*; 1-unit bins.
_RANGES = ((0.0, 100.0), (-128.0, 128.0), (-128.0, 128.0))
_BIN = 1.0


@dataclass(frozen=True)
class ColourDistance:
    """How two frame stacks differ: earth mover's distance per Lab channel, and the neutral cast shift."""

    lightness: float
    a: float
    b: float
    cast: float | None  # None when either side has too few neutral pixels to tell

    @property
    def total(self) -> float:
        return float(np.sqrt(self.lightness**2 + self.a**2 + self.b**2))


def _histogram(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``np.histogram(x, bins=np.arange(lo, hi + _BIN, _BIN))`` counted with ``bincount`` (no sort).

    Same bins as numpy's: integer edges, each bin half-open except the last, which holds ``hi``; values
    outside ``[lo, hi]`` are not counted. ``v - lo`` is taken in float64, where it can only round *up* onto
    an edge (a value a hair below an edge, e.g. -1e-45 against the edge 0); the one comparison against the
    edge itself puts such a value back in the bin below, as numpy does.
    """
    edges = round((hi - lo) / _BIN)
    v = np.asarray(x, dtype=np.float64).ravel()
    v = v[(v >= lo) & (v <= hi)]
    idx = np.floor((v - lo) / _BIN).astype(np.intp)
    idx -= v < lo + idx * _BIN
    np.minimum(idx, edges - 1, out=idx)
    return np.bincount(idx, minlength=edges)


def _emd_1d(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> float:
    hx = _histogram(x, lo, hi)
    hy = _histogram(y, lo, hi)
    cx = np.cumsum(hx) / max(1, hx.sum())
    cy = np.cumsum(hy) / max(1, hy.sum())
    return float(np.abs(cx - cy).sum() * _BIN)


def _neutral_mean(lab: np.ndarray, radius: float, min_share: float) -> np.ndarray | None:
    """The (a*, b*) centre of the picture's near-neutral pixels, found by mean shift from grey.

    Selecting "pixels with chroma below r" once would be biased: a cast pushes the greys out of that
    circle and leaves behind the pixels it happened to neutralise. Moving the circle to the mean of
    what it holds, a few times, follows the grey cluster wherever a cast has taken it (up to ~r away).
    """
    ab = lab[:, 1:]
    centre = np.zeros(2, dtype=ab.dtype)
    for _ in range(6):
        inside = np.hypot(ab[:, 0] - centre[0], ab[:, 1] - centre[1]) < radius
        if inside.mean() < min_share:
            return None
        moved = ab[inside].mean(axis=0)
        if np.allclose(moved, centre, atol=0.05):
            break
        centre = moved
    return centre


def colour_distance(
    before: np.ndarray, after: np.ndarray, *, neutral_chroma: float = 12.0, neutral_share: float = 0.02
) -> ColourDistance:
    """Distance between two frame stacks (N×H×W×3 uint8 RGB, any sizes)."""
    lab_before = srgb_to_lab(before).reshape(-1, 3)
    lab_after = srgb_to_lab(after).reshape(-1, 3)
    dists = [_emd_1d(lab_before[:, c], lab_after[:, c], *_RANGES[c]) for c in range(3)]
    cast_before = _neutral_mean(lab_before, neutral_chroma, neutral_share)
    cast_after = _neutral_mean(lab_after, neutral_chroma, neutral_share)
    cast = None if cast_before is None or cast_after is None else float(np.linalg.norm(cast_before - cast_after))
    return ColourDistance(lightness=dists[0], a=dists[1], b=dists[2], cast=cast)


def check_color_jump(prev_frames: np.ndarray, frames: np.ndarray, t: Thresholds) -> tuple[list[Finding], dict[str, float]]:
    """Compare the last ``color_jump_frames`` of the previous shot with the first of this one.

    Returns the findings and the measured scores (``color_jump`` overall, ``color_jump_exposure``,
    ``color_jump_cast`` when measurable), so they can be stored even when the cut passes. The finding's
    value and threshold are those of the component that crossed its threshold by the widest margin.
    """
    n = t.color_jump_frames
    tail, head = prev_frames[-n:], frames[:n]
    if len(tail) == 0 or len(head) == 0:
        return [], {}
    d = colour_distance(tail, head, neutral_chroma=t.color_jump_neutral_chroma)
    scores = {"color_jump": round(d.total, 3), "color_jump_exposure": round(d.lightness, 3)}
    parts = [("overall", d.total, t.color_jump), ("exposure", d.lightness, t.color_jump_exposure)]
    if d.cast is not None:
        scores["color_jump_cast"] = round(d.cast, 3)
        parts.append(("colour cast", d.cast, t.color_jump_cast))
    crossed = [p for p in parts if p[1] > p[2]]
    if not crossed:
        return [], scores
    what, value, threshold = max(crossed, key=lambda p: p[1] / p[2])
    cast = f"{d.cast:.1f}" if d.cast is not None else "n/a"
    finding = Finding(
        check="color_jump", severity="fail", frames=(0, len(head) - 1), value=round(value, 3), threshold=threshold,
        message=f"{what} jumps at the cut from the previous shot: exposure {d.lightness:.1f} (allowed {t.color_jump_exposure:g}), "
        f"colour cast {cast} (allowed {t.color_jump_cast:g}), overall {d.total:.1f} (allowed {t.color_jump:g})",
    )  # fmt: skip
    return [finding], scores
