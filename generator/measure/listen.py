"""The critic listens to a written mix: ``speech`` on the dialogue stem, ``clipping`` on the mix.

One call for the reshoot ladder (re-voice before re-render): it takes the files the mix wrote and the
planned cues, decodes them through ffmpeg and runs both checks.

    findings = listen(result.stems["dialogue"], result.mix, [(c.start_s, c.end_s) for c in result.lines])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.measure.clipping import check_clipping
from generator.measure.sound_findings import SoundFinding
from generator.measure.speech import check_speech
from generator.sound.wav import read_audio


def listen(
    dialogue: Path,
    mix: Path,
    cues: Sequence[tuple[float, float]],
    *,
    sample_rate: int = 48_000,
    ffmpeg: str | None = None,
) -> list[SoundFinding]:
    """Speech findings (per cue, then stray voice) followed by clipping findings."""
    speech = check_speech(read_audio(dialogue, sample_rate, ffmpeg=ffmpeg), sample_rate, cues)
    return speech + check_clipping(read_audio(mix, sample_rate, ffmpeg=ffmpeg), sample_rate)
