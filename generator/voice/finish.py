"""What every voice backend does around its model: the line's pitch and rate, and the finished samples.

Why one module: each backend speaks slower by the pitch factor and then resamples up (``shift``), trims the
silence around the speech (``trim``) and brings the line to one speaking level plus the note's gain, so
two backends voicing the same line for the same character differ only in the model, never in these steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.voice.base import Voice
from generator.voice.delivery import Prosody, prosody_for
from generator.voice.shift import semitones_to_factor, shift_and_convert
from generator.voice.trim import trim_silence

#: Speaking level of a line with no delivery note: RMS (dBFS) of its voiced 10 ms blocks. Lines were once
#: brought to one peak (−6 dBFS) instead, which left their speaking levels 6 dB apart (a line with one sharp
#: consonant came out quiet); the mix balances the music and beds against this level.
REFERENCE_SPEECH_DB = -24.0
#: No line peaks above this (−1 dBFS), whatever its note's gain: the mix's limiter does the rest.
PEAK_CEILING = 0.89


def speaking_db(samples: np.ndarray, sample_rate: int, *, gate_db: float = 30.0) -> float:
    """RMS in dBFS of the 10 ms blocks within ``gate_db`` of the loudest block (the voice while it speaks)."""
    block = max(1, round(0.01 * sample_rate))
    blocks = len(samples) // block
    if blocks == 0:
        return float("-inf")
    power = np.mean(np.asarray(samples[: blocks * block], dtype=np.float64).reshape(blocks, block) ** 2, axis=1)
    voiced = power[power >= float(power.max()) * 10.0 ** (-gate_db / 10.0)]
    return float(10.0 * np.log10(np.mean(voiced))) if float(power.max()) > 0 else float("-inf")


@dataclass(frozen=True)
class Delivery:
    """How one line is spoken: the pitch factor, the rate, and the note's prosody (level, expressiveness)."""

    pitch: float
    rate: float
    prosody: Prosody


def delivery(voice: Voice, note: str) -> Delivery:
    """The voice's own pitch and rate, changed by the words of the delivery ``note``."""
    prosody = prosody_for(note)
    return Delivery(
        pitch=semitones_to_factor(voice.pitch + prosody.semitones), rate=voice.rate * prosody.rate, prosody=prosody
    )


def finish(raw: np.ndarray, sample_rate: int, spoken: Delivery) -> np.ndarray:
    """The model's samples raised by the pitch factor, trimmed to the speech, at the speaking level + gain."""
    samples = trim_silence(shift_and_convert(raw, sample_rate, sample_rate, spoken.pitch), sample_rate)
    level = speaking_db(samples, sample_rate)
    if not np.isfinite(level):
        return samples
    samples *= np.float32(10.0 ** ((REFERENCE_SPEECH_DB + spoken.prosody.gain_db - level) / 20.0))
    peak = float(np.max(np.abs(samples)))
    if peak > PEAK_CEILING:
        samples *= np.float32(PEAK_CEILING / peak)
    return samples
