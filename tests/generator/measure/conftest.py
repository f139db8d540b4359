"""Fixtures for the measurement tests: ``encode`` writes numpy frames to an H.264 file (libx264, yuv420p).

Every clip goes through a real encode and decode, so the measurements see compression noise and chroma
subsampling just as they would on a rendered take. The pictures themselves are in ``measure_clips.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from measure_clips import FPS

from generator.ffmpeg_tools import write_mp4


@pytest.fixture
def encode(tmp_path: Path) -> Callable[..., Path]:
    """Encode frames to ``tmp_path/NAME.mp4`` with libx264/yuv420p and return the path."""

    def _encode(frames: np.ndarray, name: str = "take", fps: float = FPS) -> Path:
        return write_mp4(iter(frames), tmp_path / f"{name}.mp4", width=frames.shape[2], height=frames.shape[1], fps=fps, crf=18)

    return _encode
