"""Pitch and rate for voices that have neither knob: resample the model's samples.

How: the model is asked to speak ``p / r`` times slower (its own duration knob keeps the phonemes
natural), then the samples are resampled to play ``p`` times faster. The pitch (and the formants, like a
smaller or larger speaker) rise by ``p``; the length ends at the model's length divided by ``r``. The
resampling is a band-limited Fourier resample (numpy only), which also converts to the mix's rate.
"""

from __future__ import annotations

import numpy as np


def semitones_to_factor(semitones: float) -> float:
    """+12 semitones → ×2 frequency."""
    return float(2.0 ** (semitones / 12.0))


def _fast_len(n: int) -> int:
    """The next length ≥ n whose only prime factors are 2, 3 and 5 (fast FFTs)."""
    best = 1 << max(0, (n - 1).bit_length())
    f5 = 1
    while f5 < best:
        f35 = f5
        while f35 < best:
            v = f35
            while v < n:
                v *= 2
            best = min(best, v)
            f35 *= 3
        f5 *= 5
    return best


def resample(samples: np.ndarray, factor: float) -> np.ndarray:
    """Band-limited resample to ``round(len × factor)`` samples (factor > 1 lengthens).

    The signal is zero-padded to a fast FFT length first, so primes in the length cost nothing.
    """
    x = np.asarray(samples, dtype=np.float64)
    n = len(x)
    if n == 0 or abs(factor - 1.0) < 1e-9:
        return x.astype(np.float32)
    padded = _fast_len(n)
    out_len = round(n * factor)
    out_padded = max(2, round(padded * factor))
    spectrum = np.fft.rfft(x, n=padded)
    bins = out_padded // 2 + 1
    if bins <= len(spectrum):
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - len(spectrum), dtype=spectrum.dtype)])
    y = np.fft.irfft(spectrum, n=out_padded) * (out_padded / padded)
    return y[:out_len].astype(np.float32)


def shift_and_convert(samples: np.ndarray, rate_in: int, rate_out: int, pitch_factor: float) -> np.ndarray:
    """Raise pitch by ``pitch_factor`` (shortening by it) and convert ``rate_in`` → ``rate_out`` in one pass."""
    return resample(samples, rate_out / rate_in / pitch_factor)
