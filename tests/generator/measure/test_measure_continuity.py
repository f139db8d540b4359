"""Continuity at a cut: exposure and colour-cast jumps against the previous shot are found; matching
cuts pass, including cuts between shot sizes of one scene (reframing is not a colour jump)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from measure_clips import pan

from generator.measure import Thresholds, measure_frames, measure_report, measure_take
from generator.measure.colour import srgb_to_lab
from generator.measure.continuity import _histogram, colour_distance

Encode = Callable[..., Path]


def regrade(frames: np.ndarray, gain: tuple[float, float, float], lift: float = 0.0) -> np.ndarray:
    return np.clip(frames.astype(np.float32) * np.array(gain) + lift, 0, 255).astype(np.uint8)


def test_a_colour_jump_at_the_cut_is_found_only_against_prev(encode: Encode) -> None:
    shot = pan(96)
    prev = encode(shot[:48], "prev")
    graded = encode(regrade(shot[48:], (1.25, 1.0, 0.75), 20), "graded")
    assert measure_take(graded) == []  # alone, nothing is wrong with it
    findings = measure_take(graded, prev=prev)
    assert [(f.check, f.frames) for f in findings] == [("color_jump", (0, Thresholds().color_jump_frames - 1))]
    assert findings[0].value > findings[0].threshold
    assert findings[0].message.startswith("colour cast jumps")


def test_an_exposure_jump_is_found() -> None:
    shot = pan(60)
    findings = measure_frames(regrade(shot[30:], (1.5, 1.5, 1.5)), 24, prev_frames=shot[:30]).findings
    assert [f.check for f in findings] == ["color_jump"]
    assert findings[0].message.startswith("exposure jumps") and findings[0].threshold == Thresholds().color_jump_exposure


def test_a_matching_cut_passes_and_keeps_its_scores(encode: Encode) -> None:
    shot = pan(96)
    prev = encode(shot[:48], "prev")
    report = measure_report(encode(shot[48:], "next"), prev=prev)
    assert report.findings == []
    t = Thresholds()
    assert report.scores["color_jump_exposure"] < t.color_jump_exposure / 2
    assert report.scores["color_jump_cast"] < t.color_jump_cast / 2
    assert report.scores["color_jump"] < t.color_jump / 2


def test_cutting_between_shot_sizes_of_one_animatic_scene_is_not_a_colour_jump(tmp_path: Path) -> None:
    from generator.animatic.backend import AnimaticBackend
    from generator.base import RenderRequest, StagedCharacter
    from generator.measure import decode_clip

    backend = AnimaticBackend()
    two = (StagedCharacter(id="mara", x=0.3, facing="right"), StagedCharacter(id="tom", x=0.7, facing="left"))
    clips = {}
    for size, staging in (("EWS", two), ("MS", two), ("ECU", two[:1])):
        request = RenderRequest(prompt="harbour", staging=staging, shot_size=size, width=160, height=96, frames=8, location="EXT. HARBOUR")
        clips[size] = decode_clip(backend.render(request, tmp_path).path).frames
    for before, after in (("EWS", "MS"), ("MS", "ECU"), ("ECU", "EWS")):
        report = measure_frames(clips[after], 24, prev_frames=clips[before], thresholds=Thresholds(skip=frozenset({"frozen"})))
        assert report.findings == [], (before, after, report.scores)
    graded = regrade(clips["MS"], (0.85, 1.0, 1.2))  # the same MS, graded cooler: a real jump
    report = measure_frames(graded, 24, prev_frames=clips["EWS"], thresholds=Thresholds(skip=frozenset({"frozen"})))
    assert [f.check for f in report.findings] == ["color_jump"]


def test_lab_of_known_colours() -> None:
    lab = srgb_to_lab(np.array([[255, 255, 255], [0, 0, 0], [255, 0, 0], [128, 128, 128]], dtype=np.uint8))
    assert lab[0] == pytest.approx([100, 0, 0], abs=0.05)
    assert lab[1] == pytest.approx([0, 0, 0], abs=0.05)
    assert lab[2] == pytest.approx([53.24, 80.09, 67.20], abs=0.1)
    assert lab[3] == pytest.approx([53.59, 0, 0], abs=0.05)


def test_colour_distance_separates_exposure_from_cast() -> None:
    grey = np.full((2, 8, 8, 3), 100, dtype=np.uint8)
    brighter = np.full((2, 8, 8, 3), 150, dtype=np.uint8)
    warm = regrade(grey, (1.1, 1.0, 0.85))
    d = colour_distance(grey, brighter)
    assert d.lightness > 15 and d.a < 1 and d.b < 1 and d.cast is not None and d.cast < 0.5
    w = colour_distance(grey, warm)
    assert w.cast is not None and w.cast > 3
    assert colour_distance(grey, grey).total == 0
    saturated = np.zeros((1, 4, 4, 3), dtype=np.uint8)
    saturated[..., 0] = 255
    assert colour_distance(saturated, grey).cast is None  # no neutral pixels on one side: cast unknown


@pytest.mark.parametrize(("lo", "hi"), [(0.0, 100.0), (-128.0, 128.0)])
def test_histogram_counts_as_numpy_does_at_the_edges(lo: float, hi: float) -> None:
    rng = np.random.default_rng(3)
    edges = np.arange(lo, hi + 1.0, 1.0)
    e32 = edges.astype(np.float32)
    values = np.concatenate([
        rng.uniform(lo - 5, hi + 5, 20_000).astype(np.float32),
        e32,  # every edge exactly: half-open bins, the last one closed
        np.nextafter(e32, np.float32(-np.inf)), np.nextafter(e32, np.float32(np.inf)),
    ])  # fmt: skip
    assert values.dtype == np.float32  # what srgb_to_lab gives
    expected, _ = np.histogram(values, bins=edges)
    assert np.array_equal(_histogram(values, lo, hi), expected)
