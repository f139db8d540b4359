"""Continuity at a cut: a colour/exposure jump against the previous shot is found; a matching cut passes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from measure_clips import pan

from generator.measure import Thresholds, measure_take
from generator.measure.colour import srgb_to_lab
from generator.measure.continuity import colour_distance

Encode = Callable[..., Path]


def regrade(frames: np.ndarray, gain: tuple[float, float, float], lift: float) -> np.ndarray:
    return np.clip(frames.astype(np.float32) * np.array(gain) + lift, 0, 255).astype(np.uint8)


def test_a_colour_jump_at_the_cut_is_found_only_against_prev(encode: Encode) -> None:
    shot = pan(96)
    prev = encode(shot[:48], "prev")
    graded = encode(regrade(shot[48:], (1.25, 1.0, 0.75), 20), "graded")
    assert measure_take(graded) == []  # alone, nothing is wrong with it
    findings = measure_take(graded, prev=prev)
    assert [(f.check, f.frames) for f in findings] == [("color_jump", (0, Thresholds().color_jump_frames - 1))]
    assert findings[0].value > Thresholds().color_jump
    assert "exposure" in findings[0].message


def test_a_matching_cut_passes_and_keeps_its_score(encode: Encode) -> None:
    from generator.measure import measure_report

    shot = pan(96)
    prev = encode(shot[:48], "prev")
    report = measure_report(encode(shot[48:], "next"), prev=prev)
    assert report.findings == []
    assert 0 <= report.scores["color_jump"] < Thresholds().color_jump / 2


def test_lab_of_known_colours() -> None:
    lab = srgb_to_lab(np.array([[255, 255, 255], [0, 0, 0], [255, 0, 0], [128, 128, 128]], dtype=np.uint8))
    assert lab[0] == pytest.approx([100, 0, 0], abs=0.05)
    assert lab[1] == pytest.approx([0, 0, 0], abs=0.05)
    assert lab[2] == pytest.approx([53.24, 80.09, 67.20], abs=0.1)
    assert lab[3] == pytest.approx([53.59, 0, 0], abs=0.05)


def test_colour_distance_separates_exposure_from_colour() -> None:
    grey = np.full((2, 8, 8, 3), 100, dtype=np.uint8)
    brighter = np.full((2, 8, 8, 3), 150, dtype=np.uint8)
    d = colour_distance(grey, brighter)
    assert d.lightness > 15 and d.a < 1 and d.b < 1
    assert colour_distance(grey, grey).total == 0
