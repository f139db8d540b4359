"""Casting voices: every character gets a voice from their character sheet, told apart from the others.

Why deterministic rules and not the LLM: a voice must be stable (it is part of the key every line is
voiced under) and it must be *measurably* distinct from the voices it shares a scene with; both are
properties of arithmetic, not of a model's mood. The sheet's words give each character a preferred
pitch and rate (a man lower, a woman higher, a child much higher, an old voice lower and slower, a
nervous one faster, a calm one slower); the cast then sits on pitches at least ``MIN_APART_ST``
semitones from every other voice (4 semitones is 26 % on paper; the default piper voice measured
20–26 % apart in median pitch, README "Sound"), moving as little as possible from each preference.

Voices already cast (by the creator or an earlier run) are kept; only characters without one are cast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from memory.models import Character
from memory.store import Store
from memory.story import CharacterVoice

#: Characters closer than this in pitch are hard to tell apart with one voice model.
MIN_APART_ST = 4.0
#: Pitches a cast may use, in semitones: wide enough for six voices 4 apart, narrow enough to stay human.
PITCH_RANGE_ST = (-10.0, 10.0)

_WORDS: tuple[tuple[str, float, float], ...] = (
    # (pattern, pitch in semitones, rate factor) — the first matching age and sex words count
    (r"girl|boy|child|kid|toddler|\b(?:[4-9]|1[0-2])\b|\b(?:four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]year", 6.0, 1.08),
    (r"woman|girl|female|she|her|mother|grandmother|daughter|sister|wife|queen|aunt", 3.0, 1.0),
    (r"man|male|he|his|father|grandfather|son|brother|husband|king|uncle", -3.0, 1.0),
)
_AGE = re.compile(r"\b([1-9]0)s\b|\b([1-9]\d)\b")
_TEMPER: tuple[tuple[str, float, float], ...] = (
    (r"nervous|anxious|excit|eager|restless|quick|jittery|young", 0.0, 1.1),
    (r"calm|tired|weary|gentle|slow|patient|sad|grave|stern|old|elderly|weathered", -0.5, 0.92),
    (r"booming|gruff|deep|big|burly|huge", -2.0, 0.97),
    (r"small|tiny|shy|soft|timid|slight", 1.0, 1.0),
)


@dataclass(frozen=True)
class Preference:
    """What a character's sheet asks of their voice, before the cast is spread apart."""

    pitch: float
    rate: float


def preference(description: str) -> Preference:
    """A preferred pitch and rate from the sheet's words (age, sex, temperament)."""
    text = description.lower()
    pitch, rate = 0.0, 1.0
    child = re.search(rf"\b(?:{_WORDS[0][0]})", text)
    if child:
        pitch, rate = _WORDS[0][1], _WORDS[0][2]
    woman = re.search(rf"\b(?:{_WORDS[1][0]})\b", text)
    man = re.search(rf"\b(?:{_WORDS[2][0]})\b", text)
    if woman and (not man or woman.start() < man.start()):
        pitch += _WORDS[1][1]
    elif man:
        pitch += _WORDS[2][1]
    age = _AGE.search(text)
    years = int(age.group(1) or age.group(2)) if age else None
    if years is not None and years >= 60:
        pitch, rate = pitch - 1.0, rate * 0.93
    for pattern, shift, factor in _TEMPER:
        if re.search(rf"\b(?:{pattern})", text):
            pitch, rate = pitch + shift, rate * factor
    return Preference(pitch=max(PITCH_RANGE_ST[0], min(PITCH_RANGE_ST[1], pitch)), rate=round(max(0.8, min(1.25, rate)), 3))


def _candidates() -> list[float]:
    low, high = PITCH_RANGE_ST
    return [low + 0.5 * i for i in range(int((high - low) / 0.5) + 1)]


def _isotonic(values: Sequence[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` in least squares (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [sum, count]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    return [total / count for total, count in blocks for _ in range(int(count))]


def _sorted_spread(preferred: Sequence[float]) -> list[float]:
    """Pitches ≥ ``MIN_APART_ST`` apart nearest ``preferred`` (least squares), order kept, inside the range."""
    low, high = PITCH_RANGE_ST
    order = sorted(range(len(preferred)), key=lambda i: (preferred[i], i))
    gap = min(MIN_APART_ST, (high - low) / max(1, len(preferred) - 1))
    # p_k = q_k + k·gap with q non-decreasing ⇔ p_{k+1} − p_k ≥ gap.
    q = _isotonic([preferred[i] - k * gap for k, i in enumerate(order)])
    q = [round(v * 2) / 2 for v in q]  # the 0.5-semitone grid; rounding keeps q non-decreasing
    pitches = [v + k * gap for k, v in enumerate(q)]
    shift = max(0.0, low - pitches[0]) - max(0.0, pitches[-1] - high) if pitches else 0.0
    out = [0.0] * len(preferred)
    for k, i in enumerate(order):
        out[i] = pitches[k] + shift
    return out


def spread(preferred: Sequence[float], fixed: Sequence[float] = ()) -> list[float]:
    """Pitches near ``preferred`` (in order), each ≥ ``MIN_APART_ST`` from the others and from ``fixed``.

    Without ``fixed`` voices the whole set is placed at once (nearest in least squares, order kept). Around
    voices already cast, each new one takes the allowed pitch nearest its preference in turn; when none is
    left (more voices than the range holds), the pitch farthest from all others.
    """
    if not fixed:
        return _sorted_spread(preferred)
    taken = list(fixed)
    chosen: list[float] = []
    for want in preferred:
        options = [p for p in _candidates() if all(abs(p - t) >= MIN_APART_ST for t in taken)]
        if options:
            pick = min(options, key=lambda p: (abs(p - want), p))
        else:
            pick = max(_candidates(), key=lambda p: (min((abs(p - t) for t in taken), default=99.0), -abs(p - want)))
        taken.append(pick)
        chosen.append(pick)
    return chosen


def cast(characters: Sequence[Character]) -> dict[str, CharacterVoice]:
    """A voice for every character without one (key → voice), spread apart from all the others."""
    fixed = [c.voice.pitch for c in characters if c.voice is not None and c.voice.backend == "piper"]
    uncast = [c for c in characters if c.voice is None]
    prefs = [preference(f"{c.description} {c.voice_notes}") for c in uncast]
    pitches = spread([p.pitch for p in prefs], fixed)
    return {
        c.key: CharacterVoice(pitch=pitch, rate=pref.rate)
        for c, pref, pitch in zip(uncast, prefs, pitches, strict=True)
    }


def cast_voices(store: Store, project: str) -> dict[str, CharacterVoice]:
    """Cast every character of ``project`` who has no voice yet; returns the voices given."""
    given = cast(store.characters(project))
    for key, voice in given.items():
        store.upsert_character(project, key, voice=voice)
    return given


def voice_of(character: Character | None) -> CharacterVoice:
    """The character's voice; one cast from their sheet when none is stored (e.g. a line by an unknown key)."""
    if character is not None and character.voice is not None:
        return character.voice
    pref = preference(character.description if character else "")
    return CharacterVoice(pitch=pref.pitch, rate=pref.rate)
