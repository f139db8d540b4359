"""Trim the silence a TTS model leaves before and after a line, so a line's audio starts with its speech.

Why: the editor times shots and subtitles from a voicing's length, and the critic checks that the voice is
inside its planned cue; piper pads each line with a fifth of a second or so of near-silence at each end,
which would make every line start late and end late. A short pad (``keep_s``) is kept so consonants are
not clipped.
"""

from __future__ import annotations

import numpy as np


def trim_silence(
    samples: np.ndarray, sample_rate: int, *, floor_db: float = -40.0, keep_s: float = 0.02
) -> np.ndarray:
    """``samples`` without the leading and trailing stretch quieter than ``floor_db`` below the peak (10 ms RMS)."""
    x = np.asarray(samples, dtype=np.float32)
    block = max(1, round(0.01 * sample_rate))
    blocks = len(x) // block
    if blocks == 0:
        return x
    rms = np.sqrt(np.mean(x[: blocks * block].reshape(blocks, block) ** 2, axis=1))
    loud = np.flatnonzero(rms > float(np.max(rms)) * 10.0 ** (floor_db / 20.0))
    if loud.size == 0:
        return x
    keep = round(keep_s * sample_rate)
    start = max(0, loud[0] * block - keep)
    end = min(len(x), (loud[-1] + 1) * block + keep)
    return x[start:end]
