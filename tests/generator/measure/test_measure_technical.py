"""Technical checks: each planted defect is caught by its own check, at its frames; clean moves pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from measure_clips import FPS, pan, zoom

from generator.measure import Thresholds, decode_clip, measure_frames, measure_take
from generator.measure.colour import luma
from generator.measure.technical import _CHUNK, _rolling_median, frame_stats

Encode = Callable[..., Path]


def checks(findings: list) -> list[tuple[str, tuple[int, int]]]:
    return [(f.check, f.frames) for f in findings]


@pytest.mark.parametrize("clip", [pan, zoom, lambda: pan(speed=0.5)], ids=["pan", "zoom", "slow-pan"])
def test_clean_camera_moves_pass_every_check(encode: Encode, clip: Callable[[], np.ndarray]) -> None:
    findings = measure_take(encode(clip()), planned_duration=3.0)
    assert findings == []


def test_a_black_frame_is_found_at_its_frame_and_only_as_black(encode: Encode) -> None:
    frames = pan()
    frames[30] = 0
    findings = measure_take(encode(frames), planned_duration=3.0)
    assert checks(findings) == [("black_frames", (30, 30))]
    assert findings[0].severity == "fail" and findings[0].value >= Thresholds().black_ratio


def test_blown_out_frames_are_found_as_a_run(encode: Encode) -> None:
    frames = pan()
    frames[50:53] = 255
    findings = measure_take(encode(frames))
    assert checks(findings) == [("blown_out", (50, 52))]


def test_a_frozen_second_is_found_with_its_span(encode: Encode) -> None:
    frames = pan()
    frames[24:48] = frames[24]
    findings = measure_take(encode(frames), planned_duration=3.0)
    assert checks(findings) == [("frozen", (24, 47))]
    assert findings[0].value == pytest.approx(1.0)


def test_a_short_hold_is_not_frozen(encode: Encode) -> None:
    frames = pan()
    frames[24:40] = frames[24]  # two thirds of a second
    assert measure_take(encode(frames)) == []


def test_a_flicker_burst_is_found_and_spans_the_burst(encode: Encode) -> None:
    frames = pan().astype(np.float32)
    for i in range(30, 38):
        frames[i] *= 1.5 if i % 2 else 0.6
    findings = measure_take(encode(np.clip(frames, 0, 255).astype(np.uint8)), planned_duration=3.0)
    assert [f.check for f in findings] == ["flicker"]
    first, last = findings[0].frames
    assert 30 <= first <= 31 and 36 <= last <= 37
    assert findings[0].value > Thresholds().flicker_luma


def test_a_single_frame_flash_is_flicker(encode: Encode) -> None:
    frames = pan().astype(np.float32)
    frames[40] = frames[40] * 1.3 + 15
    findings = measure_take(encode(np.clip(frames, 0, 255).astype(np.uint8)))
    assert checks(findings) == [("flicker", (40, 40))]


def test_lights_coming_on_for_good_is_not_flicker(encode: Encode) -> None:
    frames = pan().astype(np.float32)
    frames[36:] = frames[36:] * 1.3 + 10
    assert measure_take(encode(np.clip(frames, 0, 255).astype(np.uint8))) == []


def test_wrong_duration_names_the_missing_frames(encode: Encode) -> None:
    path = encode(pan(48))  # 2 s rendered, 3 s planned
    findings = measure_take(path, planned_duration=3.0)
    assert checks(findings) == [("duration", (48, 71))]
    assert findings[0].value == pytest.approx(2.0) and findings[0].threshold == 3.0
    clip = decode_clip(path)
    assert measure_frames(clip.frames, clip.fps, planned_duration=2.0).findings == []
    assert measure_frames(clip.frames, clip.fps, planned_duration=49 / FPS).findings == []  # within ±1 frame
    assert checks(measure_frames(clip.frames, clip.fps, planned_duration=46 / FPS).findings) == [("duration", (46, 47))]


def test_skipped_checks_do_not_run() -> None:
    frames = pan(48)
    frames[10:40] = frames[10]
    assert [f.check for f in measure_frames(frames, FPS).findings] == ["frozen"]
    assert measure_frames(frames, FPS, thresholds=Thresholds(skip=frozenset({"frozen"}))).findings == []


def test_scores_are_kept_even_when_the_take_passes() -> None:
    report = measure_frames(pan(48), FPS, planned_duration=2.0)
    assert not report.fails and report.frame_count == 48
    assert report.scores["duration_s"] == pytest.approx(2.0)
    assert report.scores["black_frames"] == 0 and report.scores["flicker"] < Thresholds().flicker_luma


def test_rolling_median_follows_a_ramp_to_the_edges_and_ignores_a_spike() -> None:
    ramp = np.arange(20, dtype=float) * 3
    assert np.allclose(_rolling_median(ramp, 5), ramp)
    spiky = ramp.copy()
    spiky[7] += 50
    departure = np.abs(spiky - _rolling_median(spiky, 5))
    assert departure[7] >= 45  # the spike stands out by (nearly) its full height
    assert np.delete(departure, 7).max() <= 3  # elsewhere the baseline moves by one step of the ramp at most


@pytest.mark.parametrize("count", [1, 2, 3])
def test_very_short_takes_are_measured_without_errors(count: int) -> None:
    report = measure_frames(pan(count), FPS, planned_duration=count / FPS)
    assert report.frame_count == count and report.findings == []


def test_a_frame_that_pops_is_structure_flicker_even_at_the_same_brightness(encode: Encode) -> None:
    frames = pan()
    frames[40] = pan(72, seed=5)[40]  # a frame from another world, same brightness range
    findings = measure_take(encode(frames))
    assert checks(findings) == [("flicker", (40, 40))]
    assert "pops" in findings[0].message and findings[0].value > Thresholds().flicker_pop_ratio


def _frame_stats_whole(frames: np.ndarray, t: Thresholds) -> dict[str, np.ndarray]:
    """The frame statistics computed on the whole take at once (the definition the chunked code must keep)."""
    flat = luma(frames).reshape(len(frames), -1)
    pixels = float(flat.shape[1])
    step = np.abs(np.diff(flat, axis=0))
    changed = np.ones(len(frames))
    changed[1:] = np.count_nonzero(step > t.frozen_pixel_delta, axis=1) / pixels
    pop_diff, pop_ratio = np.zeros(len(frames)), np.zeros(len(frames))
    if len(frames) > 2:
        step_mean = step.sum(axis=1, dtype=np.int64) / pixels
        skip = np.abs(flat[2:] - flat[:-2]).sum(axis=1, dtype=np.int64) / pixels
        pop_diff[1:-1] = np.minimum(step_mean[:-1], step_mean[1:])
        pop_ratio[1:-1] = pop_diff[1:-1] / (skip + 0.5)
    return {
        "mean_luma": flat.sum(axis=1, dtype=np.int64) / pixels,
        "dark_ratio": np.count_nonzero(flat < t.black_pixel_luma, axis=1) / pixels,
        "clipped_ratio": np.count_nonzero(flat > t.blown_pixel_luma, axis=1) / pixels,
        "changed_ratio": changed,
        "pop_diff": pop_diff,
        "pop_ratio": pop_ratio,
    }


@pytest.mark.parametrize("count", [1, 2, 3, _CHUNK - 1, _CHUNK, _CHUNK + 1, _CHUNK + 2, 2 * _CHUNK + 3])
def test_frame_stats_in_chunks_equal_the_whole_take_at_once(count: int) -> None:
    t = Thresholds()
    rng = np.random.default_rng(count)
    frames = pan(count)
    frames[count // 2] = rng.integers(0, 256, frames[0].shape, dtype=np.uint8)  # a pop that straddles chunks
    stats = frame_stats(frames, t)
    for name, expected in _frame_stats_whole(frames, t).items():
        assert np.array_equal(getattr(stats, name), expected), name
