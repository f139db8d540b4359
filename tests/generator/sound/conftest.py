"""Fixtures for the sound tests: one real mix of a short scene, voiced by piper, made once per module.

Three lines by two characters over surf and a tense cue, 16 s, with a gap of two seconds or more between lines. The mix goes through everything the editor
will call (voicing, ducking, limiting, two-pass loudnorm, WAV stems), so the tests read real files back.
"""

from __future__ import annotations

import pytest

from generator.sound import AmbienceBed, DialogueCue, MixResult, MusicCue, mix_film
from generator.voice import Voice, VoiceCache

MARA = Voice(pitch=-2.0, rate=0.95)
TOM = Voice(pitch=2.0, rate=1.05)
CUES = (
    DialogueCue(start_s=1.0, line="Who's there? I can hear you breathing.", voice=MARA, character="Mara"),
    DialogueCue(
        start_s=6.5, line="Only me. The tide came in faster than I thought.", voice=TOM, character="Tom"
    ),
    DialogueCue(
        start_s=10.0, line="Then we wait for the morning.", voice=MARA, note="quietly", character="Mara"
    ),
)
DURATION_S = 16.0


@pytest.fixture(scope="session")
def voices(tmp_path_factory: pytest.TempPathFactory) -> VoiceCache:
    return VoiceCache(tmp_path_factory.mktemp("voices"))


@pytest.fixture(scope="module")
def scene_mix(tmp_path_factory: pytest.TempPathFactory, voices: VoiceCache) -> MixResult:
    return mix_film(
        CUES,
        ambience=[AmbienceBed(kind="surf")],
        music=[MusicCue(mood="tense", tempo_bpm=96, start_s=0.5, end_s=DURATION_S)],
        duration_s=DURATION_S,
        out_dir=tmp_path_factory.mktemp("mix"),
        voices=voices,
    )
