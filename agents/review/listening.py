"""The critic listens to the cut: every planned line audible inside its cue, nothing clipped.

Why on the cut's stems and not on the takes: a take is pictures (the animatic and the video backends
render no speech); the lines exist only once the editor has voiced and mixed them. The ``speech`` check
runs on the dialogue stem (music is periodic too, and would read as voice), ``clipping`` on the mix.

The ladder for a failing line is the cheap step first: **re-voice** it (its cached voicing is set aside
and the line spoken again, ``revoice``); only a line that still fails is reported to the creator
(re-rendering pictures cannot fix a sound problem).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.measure.clipping import check_clipping
from generator.measure.sound_findings import SoundFinding
from generator.measure.speech import check_speech
from generator.sound import PlacedLine, read_audio
from generator.voice import VoiceCache

SAMPLE_RATE = 48_000


def listen(dialogue: Path, mix: Path, lines: Sequence[PlacedLine], *, ffmpeg: str | None = None) -> list[SoundFinding]:
    """The ``speech`` findings of ``lines`` on the ``dialogue`` stem and the ``clipping`` findings of ``mix``."""
    spans = [(line.start_s, line.end_s) for line in lines]
    findings = check_speech(read_audio(dialogue, SAMPLE_RATE, ffmpeg=ffmpeg), SAMPLE_RATE, spans) if spans else []
    return [*findings, *check_clipping(read_audio(mix, SAMPLE_RATE, ffmpeg=ffmpeg), SAMPLE_RATE)]


def failing_lines(findings: Sequence[SoundFinding], lines: Sequence[PlacedLine]) -> list[PlacedLine]:
    """The lines a speech finding names (by cue index)."""
    named = {f.cue for f in findings if f.check == "speech" and f.fails and f.cue is not None}
    return [line for line in lines if line.index in named]


def revoice(cache: VoiceCache, lines: Sequence[PlacedLine]) -> int:
    """Set aside the cached voicings of ``lines`` so the next mix speaks them again; returns how many."""
    count = 0
    for line in lines:
        for path in cache.paths(line.key):
            if path.exists():
                path.replace(path.with_name(f"{path.name}.failed"))
                count += 1
    return count
