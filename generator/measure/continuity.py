"""Continuity across a cut: does this shot's colour and exposure match the end of the one before it?

Why histograms in CIELAB compared by earth mover's distance: Lab is built so equal distances look equally
different, and the earth mover's distance between two 1-D histograms is how far (in Lab units) the
pixels must move to turn one picture's distribution into the other's. A reframing (wide → close-up)
moves few pixels a little; a grade or exposure jump moves all of them a lot. The result reads as a
colour difference: ~2 just noticeable, 15+ obvious at a cut. Channels are compared separately (L for
exposure, a and b for colour) and combined as a Euclidean norm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.measure.colour import srgb_to_lab
from generator.measure.findings import Finding
from generator.measure.thresholds import Thresholds

# Histogram ranges and bin width (Lab units) per channel: L*, a*, b*.
_RANGES = ((0.0, 100.0), (-128.0, 128.0), (-128.0, 128.0))
_BIN = 1.0


@dataclass(frozen=True)
class ColourDistance:
    """Earth mover's distance per Lab channel, and their Euclidean norm."""

    lightness: float
    a: float
    b: float

    @property
    def total(self) -> float:
        return float(np.sqrt(self.lightness**2 + self.a**2 + self.b**2))


def _emd_1d(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> float:
    bins = np.arange(lo, hi + _BIN, _BIN)
    hx, _ = np.histogram(x, bins=bins)
    hy, _ = np.histogram(y, bins=bins)
    cx = np.cumsum(hx) / max(1, hx.sum())
    cy = np.cumsum(hy) / max(1, hy.sum())
    return float(np.abs(cx - cy).sum() * _BIN)


def colour_distance(before: np.ndarray, after: np.ndarray) -> ColourDistance:
    """Distance between the colour distributions of two frame stacks (N×H×W×3 uint8 RGB, any sizes)."""
    lab_before = srgb_to_lab(before).reshape(-1, 3)
    lab_after = srgb_to_lab(after).reshape(-1, 3)
    dists = [_emd_1d(lab_before[:, c], lab_after[:, c], *_RANGES[c]) for c in range(3)]
    return ColourDistance(*dists)


def check_color_jump(prev_frames: np.ndarray, frames: np.ndarray, t: Thresholds) -> tuple[list[Finding], float]:
    """Compare the last ``color_jump_frames`` of the previous shot with the first of this one.

    Returns the findings and the measured distance (so it can be stored as a score even when it passes).
    """
    n = t.color_jump_frames
    tail, head = prev_frames[-n:], frames[:n]
    if len(tail) == 0 or len(head) == 0:
        return [], 0.0
    d = colour_distance(tail, head)
    value = round(d.total, 3)
    if value <= t.color_jump:
        return [], value
    finding = Finding(
        check="color_jump", severity="fail", frames=(0, len(head) - 1), value=value, threshold=t.color_jump,
        message=f"colour/exposure jumps at the cut from the previous shot: distance {d.total:.1f} "
        f"(exposure L {d.lightness:.1f}, colour a {d.a:.1f}, b {d.b:.1f}; allowed {t.color_jump:g})",
    )  # fmt: skip
    return [finding], value
