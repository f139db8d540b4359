"""Procedural music cues: a mood, a tempo and an in/out point become a short piece of underscore.

Why procedural for the default: it runs offline on a CPU in milliseconds, it is ours to license, and it
follows the director's cue exactly (tempo, in, out, fades). No royalty-free loop package on PyPI ships
audio worth scoring a film with, and a MusicGen backend needs a GPU and hub weights (a later backend).

A mood picks a key, a mode, a four-chord progression and an arrangement: a pad (detuned partials with a
slow attack), a bass note per bar, an arpeggio on the beat subdivisions, and for driving moods a soft
kick and hat. Same cue and seed → the same samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.sound.spectra import band, set_rms_db, shaped_noise

Mood = Literal["tense", "sad", "warm", "hopeful", "mysterious", "action", "calm"]
MOODS: tuple[Mood, ...] = ("tense", "sad", "warm", "hopeful", "mysterious", "action", "calm")


class MusicCue(BaseModel):
    """One cue the director places on a scene: mood, tempo, where it comes in and goes out."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mood: Mood = Field(description="tense, sad, warm, hopeful, mysterious, action or calm.")
    tempo_bpm: float = Field(90.0, ge=40, le=200, description="Beats per minute.")
    start_s: float = Field(0.0, ge=0, description="Music in, seconds from the start of the film.")
    end_s: float = Field(gt=0, description="Music out, seconds from the start of the film.")
    fade_in_s: float = Field(1.0, ge=0, le=20)
    fade_out_s: float = Field(2.0, ge=0, le=20)
    level_db: float = Field(
        -33.0, ge=-80, le=-6,
        description="RMS level in dBFS before ducking and loudness: ~8 dB under the lines (see generator.sound.mix).",
    )
    seed: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> MusicCue:
        if self.end_s <= self.start_s:
            raise ValueError(f"end_s ({self.end_s}) must be after start_s ({self.start_s})")
        return self


@dataclass(frozen=True)
class _Style:
    root_midi: int  # the key's root, as a MIDI note (57 = A3)
    minor: bool
    progression: tuple[int, int, int, int]  # scale degrees (0-based) of the four chords
    subdivision: int  # arpeggio notes per beat (0 = none)
    drums: bool
    brightness: float  # 0 dark … 1 bright (how many partials the pad keeps)


_STYLES: dict[str, _Style] = {
    "tense": _Style(57, True, (0, 0, 5, 4), 2, False, 0.4),
    "sad": _Style(57, True, (0, 5, 2, 6), 0, False, 0.3),
    "warm": _Style(53, False, (0, 3, 5, 4), 1, False, 0.5),
    "hopeful": _Style(55, False, (0, 4, 5, 3), 2, False, 0.7),
    "mysterious": _Style(50, True, (0, 1, 0, 6), 1, False, 0.3),
    "action": _Style(52, True, (0, 5, 6, 4), 4, True, 0.8),
    "calm": _Style(60, False, (0, 3, 0, 4), 0, False, 0.4),
}
_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)


def _hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69) / 12.0)


def _chord(style: _Style, degree: int) -> list[int]:
    scale = _MINOR if style.minor else _MAJOR
    return [style.root_midi + scale[(degree + k) % 7] + 12 * ((degree + k) // 7) for k in (0, 2, 4)]


#: Samples in one cycle of a tone's wavetable (linear interpolation between them: error under −90 dB).
TABLE_N = 4096


@lru_cache(maxsize=32)
def _table(partials: int) -> np.ndarray:
    """One cycle of ``sum(sin(k·θ + k) / k for k in 1..partials)``, with the first sample repeated at the end."""
    theta = 2 * np.pi * np.arange(TABLE_N + 1) / TABLE_N
    return sum((np.sin(k * theta + k) / k for k in range(1, partials + 1)), np.zeros(TABLE_N + 1))


def _tone(freq: float, n: int, sr: int, partials: int, detune: float = 0.0) -> np.ndarray:
    """``n`` samples of a tone with ``partials`` harmonics (those under Nyquist), read from a wavetable.

    Why a table: a bar of a pad is six tones of up to eight harmonics; one sine per harmonic made the music
    most of the mix's time. The table holds the summed harmonics, so a tone costs one lookup per sample.
    """
    f = freq * (1 + detune)
    below = min(partials, int((sr / 2) / f - 1e-9)) if f > 0 else 0
    if below < 1:
        return np.zeros(n)
    phase = (np.arange(n) * (f / sr)) % 1.0 * TABLE_N
    index = phase.astype(np.int64)
    table = _table(below)
    return table[index] + (phase - index) * (table[index + 1] - table[index])


def _adsr(n: int, sr: int, attack: float, release: float) -> np.ndarray:
    env = np.ones(n)
    a, r = min(n, int(attack * sr)), min(n, int(release * sr))
    if a:
        env[:a] = np.linspace(0, 1, a)
    if r:
        env[n - r :] *= np.linspace(1, 0, r)
    return env


def synthesise_cue(cue: MusicCue, sample_rate: int = 48_000) -> np.ndarray:
    """The cue's samples, ``end_s − start_s`` long, faded in and out, at ``cue.level_db`` RMS."""
    style = _STYLES[cue.mood]
    rng = np.random.default_rng([cue.seed, MOODS.index(cue.mood)])
    sr = sample_rate
    n = round((cue.end_s - cue.start_s) * sr)
    beat = 60.0 / cue.tempo_bpm
    bar_n = round(4 * beat * sr)
    out = np.zeros(n + bar_n)
    partials = 2 + round(6 * style.brightness)
    env = _adsr(bar_n, sr, attack=min(0.8, 2 * beat), release=min(0.8, 2 * beat))
    chords: dict[int, np.ndarray] = {}
    for bar, start in enumerate(range(0, n, bar_n)):
        degree = style.progression[bar % 4]
        notes = _chord(style, degree)
        if degree not in chords:  # a bar's pad and bass depend only on its chord: drawn once per chord
            pad = sum(_tone(_hz(m), bar_n, sr, partials, d) for m in notes for d in (-0.003, 0.003))
            bass = _tone(_hz(notes[0] - 24), bar_n, sr, 3) * _adsr(bar_n, sr, 0.02, 0.3)
            chords[degree] = 0.25 * pad * env + 0.5 * bass
        out[start : start + bar_n] += chords[degree]
        if style.subdivision:
            step_n = round(beat / style.subdivision * sr)
            pattern = rng.permutation([*notes, notes[0] + 12])
            for s in range(4 * style.subdivision):
                at = start + s * step_n
                note = pattern[s % len(pattern)] + 12
                pluck = _tone(_hz(note), step_n, sr, partials) * np.exp(-np.arange(step_n) / (0.15 * sr))
                out[at : at + step_n] += 0.2 * pluck
        if style.drums:
            kick_n = round(0.25 * sr)
            t = np.arange(kick_n) / sr
            kick = np.sin(2 * np.pi * (50 * t + 60 * (1 - np.exp(-t * 30)) / 30)) * np.exp(-t * 14)
            hat = shaped_noise(round(0.05 * sr), sr, band(6000, 14000, 2), rng) * np.exp(
                -np.arange(round(0.05 * sr)) / (0.01 * sr)
            )
            for b in range(4):
                at = start + round(b * beat * sr)
                out[at : at + kick_n] += 0.9 * kick[: max(0, min(kick_n, len(out) - at))]
                hat_at = at + round(beat / 2 * sr)
                out[hat_at : hat_at + len(hat)] += 0.15 * hat[: max(0, min(len(hat), len(out) - hat_at))]
    out = out[:n] * _adsr(n, sr, cue.fade_in_s, cue.fade_out_s)
    return set_rms_db(out, cue.level_db).astype(np.float32)
