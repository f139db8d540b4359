"""A pitch tracker in numpy: which frames are voiced, and at what fundamental frequency.

Why our own: the critic must tell that a line is audible where it was planned and that two characters
sound different, on a CPU, with no extra dependency. This is YIN (de Cheveigné & Kawahara, 2002): the
cumulative-mean-normalised difference function per 40 ms frame, every 10 ms, computed with FFTs for a
block of frames at a time (a ten-minute stem in one block held ~3 GB). A frame is voiced when it is loud
enough (within ``floor_db`` of the loudest frames) and periodic (its YIN minimum is below ``threshold``)
with a period between 60 and 500 Hz (speech).
Music is periodic too: run it on the dialogue stem, not on the mix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from generator.voice.shift import resample

ANALYSIS_RATE = 16_000
FRAME_S = 0.040
HOP_S = 0.010
F0_MIN = 60.0
F0_MAX = 500.0
#: Frames analysed at once: ~70 kB of FFT work each, so ~35 MB whatever the signal's length.
FRAMES_PER_BLOCK = 512
#: A long input is resampled to 16 kHz this many seconds at a time, with this margin on each side.
RESAMPLE_BLOCK_S = 20.0
RESAMPLE_MARGIN_S = 0.5


@dataclass(frozen=True)
class PitchTrack:
    """Per analysis frame (every ``hop_s``): voiced or not, and f0 in Hz (NaN where unvoiced)."""

    voiced: np.ndarray  # bool, shape (frames,)
    f0: np.ndarray  # float64 Hz, NaN where unvoiced
    hop_s: float

    def times(self) -> np.ndarray:
        """Centre time of each frame in seconds."""
        return (np.arange(len(self.voiced)) + 0.5) * self.hop_s + FRAME_S / 2 - self.hop_s / 2

    def median_f0(self) -> float:
        """Median f0 of the voiced frames (NaN when nothing is voiced)."""
        values = self.f0[self.voiced]
        return float(np.median(values)) if values.size else float("nan")


def track_pitch(
    samples: np.ndarray, sample_rate: int, *, threshold: float = 0.35, floor_db: float = -35.0
) -> PitchTrack:
    """YIN pitch and voicing of mono ``samples`` (any rate; analysed at 16 kHz).

    Works through the signal ``FRAMES_PER_BLOCK`` frames at a time (and resamples it a block at a time), so
    what it holds beyond the 16 kHz float32 copy of the input (38 MB for ten minutes) and a few numbers a frame
    is the same for a line and for a ten-minute dialogue stem: all frames at once took ~3 GB for 600 s (four
    60,000 × 1,025 complex arrays), the peak of a ten-minute film's cut.
    """
    x = _at_analysis_rate(np.asarray(samples).reshape(-1), sample_rate)
    hop = round(HOP_S * ANALYSIS_RATE)
    window = round(FRAME_S * ANALYSIS_RATE)
    tau_max = int(ANALYSIS_RATE / F0_MIN)
    span = window + tau_max
    if len(x) < span:
        x = np.concatenate([x, np.zeros(span - len(x), dtype=x.dtype)])
    count = 1 + (len(x) - span) // hop
    dip, lag, rms_db = np.empty(count), np.empty(count), np.empty(count)
    for first in range(0, count, FRAMES_PER_BLOCK):
        last = min(count, first + FRAMES_PER_BLOCK)
        part = np.asarray(x[first * hop : (last - 1) * hop + span], dtype=np.float64)
        frames = np.lib.stride_tricks.sliding_window_view(part, span)[::hop][: last - first]
        dip[first:last], lag[first:last], rms_db[first:last] = _yin(frames, window, threshold)

    loud_ref = np.percentile(rms_db, 95)  # over the whole signal: a quiet passage is judged against the film
    voiced = (dip < threshold) & (rms_db > loud_ref + floor_db) & (rms_db > -70.0)
    f0 = np.where(voiced, ANALYSIS_RATE / lag, np.nan)
    return PitchTrack(voiced=voiced, f0=f0, hop_s=HOP_S)


def _yin(frames: np.ndarray, window: int, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per frame (rows of ``window + tau_max`` samples): the YIN dip, the lag it is at (sub-sample), the level in dB."""
    tau_min = int(ANALYSIS_RATE / F0_MAX)
    tau_max = int(ANALYSIS_RATE / F0_MIN)
    count, span = frames.shape
    head = frames[:, :window]

    # r(τ) = Σ_j x_j x_{j+τ} for j < window, via one FFT per frame.
    n = 1 << (span + window - 1).bit_length()
    r = np.fft.irfft(np.fft.rfft(frames, n=n) * np.conj(np.fft.rfft(head, n=n)), n=n)[:, : tau_max + 1]
    energy = np.cumsum(np.concatenate([np.zeros((count, 1)), frames**2], axis=1), axis=1)
    e_head = energy[:, window][:, None]
    taus = np.arange(tau_max + 1)
    e_shift = energy[:, taus + window] - energy[:, taus]
    diff = np.maximum(e_head + e_shift - 2.0 * r, 0.0)
    cumulative = np.cumsum(diff[:, 1:], axis=1)
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] * taus[1:] / np.maximum(cumulative, 1e-12)

    band = cmnd[:, tau_min : tau_max + 1]
    # YIN's "first dip below the threshold", then the local minimum after it; else the global minimum.
    below = band < threshold
    first = np.where(below.any(axis=1), below.argmax(axis=1), band.argmin(axis=1))
    best = first.copy()
    rows = np.arange(count)
    for _ in range(tau_max - tau_min):
        step = np.minimum(best + 1, band.shape[1] - 1)
        better = band[rows, step] < band[rows, best]
        if not better.any():
            break
        best = np.where(better, step, best)
    dip = band[rows, best]
    rms_db = 10.0 * np.log10(np.mean(head**2, axis=1) + 1e-12)

    # Parabolic interpolation around the chosen lag for sub-sample periods.
    lag = (best + tau_min).astype(np.float64)
    left = cmnd[rows, np.clip(best + tau_min - 1, 1, tau_max)]
    mid = cmnd[rows, best + tau_min]
    right = cmnd[rows, np.clip(best + tau_min + 1, 1, tau_max)]
    denom = left - 2 * mid + right
    safe = np.where(np.abs(denom) > 1e-12, denom, 1.0)
    lag = lag + np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / safe, 0.0)
    return dip, lag, rms_db


def _at_analysis_rate(x: np.ndarray, sample_rate: int) -> np.ndarray:
    """``x`` at ``ANALYSIS_RATE``: one Fourier resample when short, else block by block with a margin each side.

    Why blocks: one FFT of a ten-minute stem holds several copies of it in float64 and complex. Blocks start
    on a whole number of output samples (a multiple of ``sample_rate / gcd``), so they join without a seam;
    the margin (``RESAMPLE_MARGIN_S``) keeps each block's wrap-around ringing out of what is kept.
    """
    if sample_rate == ANALYSIS_RATE:
        return x
    factor = ANALYSIS_RATE / sample_rate
    g = math.gcd(ANALYSIS_RATE, sample_rate)
    p, q = ANALYSIS_RATE // g, sample_rate // g
    block = q * max(1, round(RESAMPLE_BLOCK_S * sample_rate) // q)
    margin = q * max(1, round(RESAMPLE_MARGIN_S * sample_rate) // q)
    if len(x) <= block + 2 * margin:
        return resample(x, factor)
    total = round(len(x) * factor)
    out = np.empty(total, dtype=np.float32)
    for start in range(0, len(x), block):
        lo, hi = max(0, start - margin), min(len(x), start + block + margin)
        y = resample(x[lo:hi], factor)
        at, end = start * p // q, min(total, (start + block) * p // q)
        skip = (start - lo) * p // q
        out[at:end] = y[skip : skip + end - at]
    return out
