"""Coloured noise and envelopes, the raw material of the ambience beds and the music's percussion.

Noise is shaped in the frequency domain (one FFT of white noise times a magnitude curve), so a minute of
48 kHz bed costs a few tenths of a second; envelopes are smooth random curves (noise low-passed the same
way), so gusts, waves and passing cars swell instead of stepping.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Curve = Callable[[np.ndarray], np.ndarray]


def shaped_noise(n: int, sample_rate: int, curve: Curve, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of noise whose magnitude spectrum follows ``curve(freqs_hz)``, normalised to RMS 1."""
    if n <= 0:
        return np.zeros(0, dtype=np.float64)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
    shaped = np.fft.irfft(spectrum * curve(freqs), n=n)
    rms = float(np.sqrt(np.mean(shaped**2)))
    return shaped / rms if rms > 0 else shaped


def pink(freqs: np.ndarray) -> np.ndarray:
    """1/√f (equal energy per octave), flat below 20 Hz."""
    return 1.0 / np.sqrt(np.maximum(freqs, 20.0))


def band(low_hz: float, high_hz: float, order: float = 2.0) -> Curve:
    """A soft band-pass: roll-offs of ``order`` × 6 dB per octave outside ``low_hz``…``high_hz``."""

    def curve(freqs: np.ndarray) -> np.ndarray:
        f = np.maximum(freqs, 1e-3)
        high = 1.0 / np.sqrt(1.0 + (f / high_hz) ** (2 * order))
        low = 1.0 / np.sqrt(1.0 + (low_hz / f) ** (2 * order))
        return high * low

    return curve


def times(*curves: Curve) -> Curve:
    """The product of several curves (e.g. pink noise through a band)."""

    def curve(freqs: np.ndarray) -> np.ndarray:
        out = np.ones_like(freqs)
        for c in curves:
            out = out * c(freqs)
        return out

    return curve


def slow_envelope(n: int, sample_rate: int, cutoff_hz: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth random curve in 0…1 varying slower than ``cutoff_hz`` (computed at 100 Hz, then interpolated)."""
    control_rate = 100
    m = max(4, int(np.ceil(n / sample_rate * control_rate)) + 2)
    raw = shaped_noise(m, control_rate, band(0.001, cutoff_hz, order=3.0), rng)
    raw = (raw - raw.min()) / max(float(raw.max() - raw.min()), 1e-9)
    return np.interp(np.arange(n) / sample_rate * control_rate, np.arange(m), raw)


def rms_db(x: np.ndarray) -> float:
    """RMS level in dBFS (−inf for silence)."""
    rms = float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def set_rms_db(x: np.ndarray, level_db: float) -> np.ndarray:
    """Scale ``x`` to an RMS of ``level_db`` dBFS (silence stays silence)."""
    current = rms_db(x)
    if not np.isfinite(current):
        return x
    return x * 10.0 ** ((level_db - current) / 20.0)
