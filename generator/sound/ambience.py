"""Ambience beds synthesised offline: room tone, wind, rain, surf and traffic, one per location.

Why synthesis for the default: it needs no sample library and no download, it loops forever without a
seam, and it is deterministic (a bed is a function of its kind, length and seed, so a re-cut re-makes the
same bed). Each recipe is a few layers of shaped noise with slow envelopes; ``AmbienceBed.level_db`` sets
the bed's RMS before the mix (lines speak at −24 dBFS RMS; the default −41 dBFS is "heard, not
noticed": with the music at −33, every line stands ≥ 6 dB over both, ``tests/generator/sound/test_mix.py``). ``kind_for_location`` picks a kind from a location's words, for callers that have no explicit one.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.sound.spectra import band, pink, set_rms_db, shaped_noise, slow_envelope, times

AmbienceKind = Literal["room", "wind", "rain", "surf", "traffic"]
AMBIENCE_KINDS: tuple[AmbienceKind, ...] = ("room", "wind", "rain", "surf", "traffic")


class AmbienceBed(BaseModel):
    """One bed under part of the film (usually one scene at one location)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: AmbienceKind = Field(description="room (interior tone), wind, rain, surf or traffic.")
    start_s: float = Field(0.0, ge=0, description="Where the bed starts in the film, seconds.")
    end_s: float | None = Field(None, gt=0, description="Where it ends; None = the end of the film.")
    level_db: float = Field(
        -41.0, ge=-80, le=-6, description="RMS level in dBFS before the final loudness gain."
    )
    fade_s: float = Field(0.5, ge=0, le=10, description="Fade in and out at the bed's edges, seconds.")
    seed: int = Field(0, ge=0, description="Same seed, same bed.")

    @model_validator(mode="after")
    def _ordered(self) -> AmbienceBed:
        if self.end_s is not None and self.end_s <= self.start_s:
            raise ValueError(f"end_s ({self.end_s}) must be after start_s ({self.start_s})")
        return self


def _room(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    air = shaped_noise(n, sr, times(pink, band(40, 3000, 1.5)), rng)
    t = np.arange(n) / sr
    hum = 0.08 * (np.sin(2 * np.pi * 50 * t) + 0.4 * np.sin(2 * np.pi * 100 * t + 0.3))
    return air + hum


def _wind(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    body = shaped_noise(n, sr, times(pink, band(60, 600, 2)), rng) * (0.3 + slow_envelope(n, sr, 0.15, rng))
    whistle = shaped_noise(n, sr, band(500, 1400, 4), rng) * slow_envelope(n, sr, 0.3, rng) ** 2
    return body + 0.35 * whistle


def _rain(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    hiss = shaped_noise(n, sr, times(pink, band(800, 9000, 1.5)), rng)
    drops = np.zeros(n)
    count = int(n / sr * 120)
    where = rng.integers(0, max(1, n - 400), size=count)
    decay = np.exp(-np.arange(400) / 40.0) * np.sin(np.arange(400) * 2 * np.pi * 2500 / sr)
    for i, gain in zip(where, rng.uniform(0.5, 3.0, size=count), strict=True):
        drops[i : i + 400] += gain * decay
    return hiss + 0.8 * drops


def _surf(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(n) / sr
    period = rng.uniform(7.0, 10.0)
    swell = (0.5 + 0.5 * np.sin(2 * np.pi * t / period - np.pi / 2)) ** 3
    wash = shaped_noise(n, sr, times(pink, band(100, 4000, 1.5)), rng)
    rumble = shaped_noise(n, sr, band(30, 200, 2), rng)
    return wash * (0.15 + swell) + 0.5 * rumble


def _traffic(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    rumble = shaped_noise(n, sr, times(pink, band(30, 400, 2)), rng)
    t = np.arange(n) / sr
    passes = np.zeros(n)
    for centre in rng.uniform(0, n / sr, size=max(1, int(n / sr / 4))):
        passes += np.exp(-(((t - centre) / rng.uniform(0.8, 1.6)) ** 2))
    tyres = shaped_noise(n, sr, band(300, 3000, 1.5), rng)
    return rumble * 0.6 + tyres * (0.1 + passes)


_RECIPES = {"room": _room, "wind": _wind, "rain": _rain, "surf": _surf, "traffic": _traffic}


def synthesise_bed(
    kind: AmbienceKind, duration_s: float, sample_rate: int = 48_000, *, seed: int = 0
) -> np.ndarray:
    """A bed of ``kind``, ``duration_s`` long, at RMS −20 dBFS (the mix sets its final level)."""
    if kind not in _RECIPES:
        raise ValueError(f"kind: unknown ambience {kind!r}; known: {', '.join(AMBIENCE_KINDS)}")
    n = round(duration_s * sample_rate)
    rng = np.random.default_rng([seed, AMBIENCE_KINDS.index(kind)])
    return set_rms_db(_RECIPES[kind](n, sample_rate, rng), -20.0).astype(np.float32)


_WORDS: tuple[tuple[AmbienceKind, str], ...] = (
    ("rain", r"rain|storm|downpour|drizzle"),
    ("surf", r"beach|shore|sea|ocean|harbou?r|pier|coast|cove|surf|dock"),
    ("traffic", r"street|road|city|traffic|highway|car park|parking|town|avenue|station"),
    ("wind", r"moor|hill|cliff|field|desert|mountain|roof|plain|heath|wind|forest|woods?"),
)


def kind_for_location(location: str, *, interior: bool | None = None) -> AmbienceKind:
    """A bed for a location: an interior is room tone; an exterior by its words (rain, sea, street, open land)."""
    if interior:
        return "room"
    text = location.lower()
    for kind, pattern in _WORDS:
        if re.search(rf"\b(?:{pattern})\b", text):
            return kind
    return "room" if interior is None else "wind"
