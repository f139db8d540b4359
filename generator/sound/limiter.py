"""A look-ahead peak limiter: a gain curve that keeps sample peaks under a ceiling without clipping.

Why before the loudness gain and not inside it: ffmpeg's ``loudnorm`` stays a single linear gain only if
the loudness target does not push the true peak over its limit; otherwise it switches to dynamic
compression, and the stems no longer sum to the mix. So the mix computes the gain it will need, limits
the peaks that gain would push over ``−1 dBTP`` (with a margin for peaks between samples), and applies the
same gain curve to every stem (a gain curve commutes with the sum, so the stems still add up).

The curve: per 2.5 ms block the gain that brings its peak to the ceiling, the minimum over each block and
its neighbours (so the gain is down before the peak arrives), a 60 ms release, interpolated per sample
(a chunk at a time, ``blocks``: a ten-minute mix costs no float64 copies of itself).
"""

from __future__ import annotations

import numpy as np

from generator.sound.blocks import block_stat, per_sample

BLOCK_S = 0.0025


def limiter_gain(x: np.ndarray, sample_rate: int, ceiling: float, *, release_s: float = 0.06) -> np.ndarray:
    """Per-sample gain in 0…1 so that ``|x × gain| ≤ ceiling`` (linear ceiling, e.g. 0.7)."""
    n = len(x)
    if n == 0:
        return np.ones(0, dtype=np.float32)
    block = max(1, round(BLOCK_S * sample_rate))
    peaks = block_stat(x, block, lambda rows: np.abs(rows).max(axis=1))
    blocks = len(peaks)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    need = np.minimum(need, np.minimum(np.concatenate([[1.0], need[:-1]]), np.concatenate([need[1:], [1.0]])))
    if need.min() >= 1.0:
        return np.ones(n, dtype=np.float32)
    recover = 1.0 - np.exp(-BLOCK_S / release_s)
    gain = np.empty(blocks)
    current = 1.0
    for i, want in enumerate(need.tolist()):
        current = want if want < current else current + (want - current) * recover
        gain[i] = current
    # Release can never undershoot a later block's need, but smoothing may lift a block above its own need
    # between two loud ones: the minimum with ``need`` keeps the guarantee.
    gain = np.minimum(gain, need)
    return per_sample(n, block, gain, lambda g: g)
