"""Long signals a piece at a time: per-block statistics and per-sample gain curves in bounded memory.

Why: the ducker and the limiter reduce a film-length signal to one number per short block (10 ms, 2.5 ms),
run a smoothing recursion over the blocks, and spread the result back to every sample. Done over the whole
array at once, each step held float64 copies of the film (a padded copy, its square, ``arange(n)`` and the
interpolated curve): about 1 GB of temporaries for a ten-minute stem at 48 kHz. Here the signal is read and
the curve written ``CHUNK`` samples at a time; the values are the same as the whole-array computation's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Samples handled at once (a whole number of any block size used here): ~4 MB of float64 temporaries.
CHUNK = 1 << 19


def block_stat(x: np.ndarray, block: int, stat: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``stat`` (e.g. the mean square, the peak) of each ``block`` samples of ``x``, as float64.

    The last block is padded with zeros to full length, as a zero-padded reshape would. ``stat`` takes a
    (blocks, block) float64 array and returns one value per row.
    """
    n = len(x)
    blocks = -(-n // block)
    out = np.empty(blocks)
    step = max(1, CHUNK // block) * block
    for start in range(0, n, step):
        part = np.asarray(x[start : start + step], dtype=np.float64)
        if len(part) % block:
            part = np.concatenate([part, np.zeros(block - len(part) % block)])
        first = start // block
        out[first : first + len(part) // block] = stat(part.reshape(-1, block))
    return out


def per_sample(
    n: int, block: int, values: np.ndarray, to_gain: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """``to_gain`` of ``values`` (one per block) interpolated to every one of ``n`` samples, as float32.

    Linear interpolation between block centres, flat beyond the first and last centre (``np.interp``).
    """
    centres = (np.arange(len(values)) + 0.5) * block
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        out[start:stop] = to_gain(np.interp(np.arange(start, stop), centres, values))
    return out
