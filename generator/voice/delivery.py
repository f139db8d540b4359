"""Delivery notes ('whispered', 'angry', 'slowly') as changes a backend can make: rate, pitch and level.

Why a small word table instead of passing the note to the model: the CPU voices take no style prompt. A
note's words are matched whole; unknown words change nothing (the note still keys the cache, so editing
it re-voices the line). A backend that understands free text (a prompted TTS) may use the note itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Prosody:
    """Multipliers on the voice's own rate and pitch (in semitones added) and a level change in dB."""

    rate: float = 1.0
    semitones: float = 0.0
    gain_db: float = 0.0
    expressive: float = 1.0  # scales the model's variability (piper's noise_w); >1 livelier, <1 flatter


#: One entry per word a note may contain.
_WORDS: dict[str, Prosody] = {
    "whispered": Prosody(rate=0.95, semitones=-0.5, gain_db=-9.0, expressive=0.8),
    "whisper": Prosody(rate=0.95, semitones=-0.5, gain_db=-9.0, expressive=0.8),
    "quietly": Prosody(gain_db=-5.0, expressive=0.9),
    "softly": Prosody(rate=0.95, gain_db=-5.0, expressive=0.9),
    "shouted": Prosody(rate=1.05, semitones=1.5, gain_db=4.0, expressive=1.3),
    "shouting": Prosody(rate=1.05, semitones=1.5, gain_db=4.0, expressive=1.3),
    "angry": Prosody(rate=1.08, semitones=1.0, gain_db=2.0, expressive=1.3),
    "excited": Prosody(rate=1.12, semitones=1.5, gain_db=1.0, expressive=1.3),
    "urgent": Prosody(rate=1.15, semitones=0.5, expressive=1.1),
    "fast": Prosody(rate=1.15),
    "quickly": Prosody(rate=1.15),
    "slowly": Prosody(rate=0.85),
    "slow": Prosody(rate=0.85),
    "sad": Prosody(rate=0.88, semitones=-1.0, gain_db=-2.0, expressive=0.8),
    "tired": Prosody(rate=0.88, semitones=-1.0, gain_db=-2.0, expressive=0.7),
    "calm": Prosody(rate=0.95, expressive=0.8),
    "flat": Prosody(expressive=0.5),
}


def prosody_for(note: str) -> Prosody:
    """Combine every known word of ``note``: rates multiply, semitones and gains add."""
    rate, semitones, gain_db, expressive = 1.0, 0.0, 0.0, 1.0
    for word in re.findall(r"[a-z]+", note.lower()):
        p = _WORDS.get(word)
        if p is None:
            continue
        rate *= p.rate
        semitones += p.semitones
        gain_db += p.gain_db
        expressive *= p.expressive
    return Prosody(rate=rate, semitones=semitones, gain_db=gain_db, expressive=expressive)


def known_words() -> tuple[str, ...]:
    """The note words that change a delivery (shown in the README and to the writer's prompt)."""
    return tuple(sorted(_WORDS))
