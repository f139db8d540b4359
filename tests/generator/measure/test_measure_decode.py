"""Decoding for measurement: scaled frames, the tail of a previous shot, and unreadable files named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from measure_clips import FPS, H, W, pan

from generator.errors import GeneratorError, UnreadableMedia
from generator.measure import decode_clip, measure_take
from generator.measure.decode import scaled_size

Encode = Callable[..., Path]


def test_decode_scales_down_and_keeps_every_frame(encode: Encode) -> None:
    clip = decode_clip(encode(pan(30)), max_width=80)
    assert clip.frames.shape == (30, H // 2, W // 2, 3)
    assert clip.fps == FPS and clip.source_size == (W, H)
    assert clip.duration_s == pytest.approx(30 / FPS)


def test_decode_last_frames_returns_the_tail(encode: Encode) -> None:
    frames = pan(60)
    path = encode(frames)
    tail = decode_clip(path, max_width=None, last_frames=6)
    whole = decode_clip(path, max_width=None)
    assert tail.frames.shape[0] == 6
    assert abs(tail.frames.astype(int) - whole.frames[-6:].astype(int)).mean() < 1.0


def test_scaled_size_is_even_and_keeps_the_aspect() -> None:
    assert scaled_size(640, 360, 320) == (320, 180)
    assert scaled_size(1920, 1080, 321) == (320, 180)
    assert scaled_size(100, 50, 320) == (100, 50)


def test_unreadable_and_missing_files_are_named(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video" * 10)
    with pytest.raises(UnreadableMedia, match=r"junk\.mp4"):
        measure_take(junk)
    with pytest.raises(UnreadableMedia, match=r"nothing\.mp4"):
        measure_take(tmp_path / "nothing.mp4")
    assert issubclass(UnreadableMedia, GeneratorError)
