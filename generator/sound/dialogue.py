"""The dialogue stem: each timed cue voiced (through the cache) and placed at its start time.

A cue says when a line starts; its end comes from the real speech (``PlacedLine.end_s``), which is what
the editor needs for shot lengths and subtitle timing. Lines are resampled to the mix's rate.

All the lines are asked of the cache at once (``VoiceCache.speak_many``), so a film's missing lines are
voiced two at a time by a backend that allows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from generator.errors import BadRequest
from generator.voice.base import Voice, WordTiming, line_key
from generator.voice.cache import VoiceCache
from generator.voice.shift import resample


class DialogueCue(BaseModel):
    """One line to be spoken: when it starts, what is said, by which voice, how."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start_s: float = Field(ge=0, description="When the line starts, seconds from the start of the film.")
    line: str = Field(min_length=1, description="The words, as spoken.")
    voice: Voice = Field(default_factory=Voice)
    note: str = Field("", description="Delivery note: 'whispered', 'angry', 'slowly' … (see voice.delivery).")
    character: str = Field(
        "", description="Who speaks (for reports and subtitles; the voice decides the sound)."
    )


@dataclass(frozen=True)
class PlacedLine:
    """A voiced cue on the timeline: where its audio really starts and ends."""

    index: int
    character: str
    line: str
    start_s: float
    end_s: float
    key: str  # the voicing's content key (generator.voice.base.line_key)
    reused: bool  # True when the voicing came from the cache
    words: tuple[WordTiming, ...] | None


def place_dialogue(
    cues: Sequence[DialogueCue], voices: VoiceCache, duration_s: float, sample_rate: int
) -> tuple[np.ndarray, list[PlacedLine]]:
    """The dialogue stem (mono float32, ``duration_s`` long) and where each line landed.

    A line that would run past ``duration_s`` is refused (``BadRequest`` naming the cue): the editor
    lengthens the shot, the mixer does not cut words off.
    """
    n = round(duration_s * sample_rate)
    stem = np.zeros(n, dtype=np.float32)
    placed: list[PlacedLine] = []
    voicings = voices.speak_many([(cue.line, cue.voice, cue.note) for cue in cues])
    for i, (cue, voiced) in enumerate(zip(cues, voicings, strict=True)):
        samples = resample(voiced.samples, sample_rate / voiced.sample_rate)
        at = round(cue.start_s * sample_rate)
        end = at + len(samples)
        if end > n:
            raise BadRequest(
                f"cues[{i}]: the line {cue.line[:40]!r} ends at {end / sample_rate:.2f} s, "
                f"after the film's {duration_s:.2f} s"
            )
        stem[at:end] += samples
        placed.append(PlacedLine(
            index=i, character=cue.character, line=cue.line, start_s=at / sample_rate, end_s=end / sample_rate,
            key=line_key(cue.line, cue.voice, cue.note), reused=voiced.reused, words=voiced.words,
        ))  # fmt: skip
    return stem, placed
