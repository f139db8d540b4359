"""The critic listens: a line heard in its cue passes, a line missing from its cue fails and is re-voiced."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from agents.review.listening import failing_lines, listen, revoice
from generator.sound import DialogueCue, mix_film
from generator.voice import Voice, VoiceCache

pytestmark = pytest.mark.slow


def test_speech_in_its_cue_passes_and_a_misplaced_line_is_named_and_revoiced(tmp_path: Path) -> None:
    cache = VoiceCache(tmp_path / "voices")
    cues = [DialogueCue(start_s=0.5, line="You came back.", voice=Voice(pitch=2.0)),
            DialogueCue(start_s=3.0, line="The storm brought me.", voice=Voice(pitch=-2.0))]  # fmt: skip
    result = mix_film(cues, duration_s=6.0, out_dir=tmp_path / "sound", voices=cache)
    assert listen(result.stems["dialogue"], result.mix, result.lines) == []
    # the critic is told the second line is somewhere it is not: it is not heard there, and voice is heard elsewhere
    moved = [result.lines[0], dataclasses.replace(result.lines[1], start_s=5.0, end_s=5.9)]
    findings = listen(result.stems["dialogue"], result.mix, moved)
    assert failing_lines(findings, moved) == [moved[1]]
    assert any(f.check == "speech" and f.cue is None for f in findings)  # the stray voice at 3 s
    assert revoice(cache, [moved[1]]) == 2 and cache.load(moved[1].key) is None
    assert cache.load(moved[0].key) is not None  # the other line stays voiced
