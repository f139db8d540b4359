"""What every voice backend does around its model: the line's pitch and rate, and the finished samples.

Why one module: each backend speaks slower by the pitch factor and then resamples up (``shift``), trims the
silence around the speech (``trim``) and brings the line to one reference level plus the note's gain, so
two backends voicing the same line for the same character differ only in the model, never in these steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.voice.base import Voice
from generator.voice.delivery import Prosody, prosody_for
from generator.voice.shift import semitones_to_factor, shift_and_convert
from generator.voice.trim import trim_silence

#: Peak level of a line spoken with no delivery note (−6 dBFS): shouts have headroom above it.
REFERENCE_PEAK = 0.5


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
    """The model's samples raised by the pitch factor, trimmed to the speech, at the reference level + gain."""
    samples = trim_silence(shift_and_convert(raw, sample_rate, sample_rate, spoken.pitch), sample_rate)
    peak = float(np.max(np.abs(samples))) or 1.0
    samples *= REFERENCE_PEAK * 10.0 ** (spoken.prosody.gain_db / 20.0) / peak
    return samples
