"""The film's sound: ambience beds, music cues, ducking, loudness, and the mix with its three stems.

    from generator.sound import DialogueCue, AmbienceBed, MusicCue, mix_film
    result = mix_film([DialogueCue(start_s=1.0, line="Who's there?")], ambience=[AmbienceBed(kind="rain")],
                      music=[MusicCue(mood="tense", end_s=8.0)], duration_s=8.0, out_dir=out, voices=cache)

- ``mix``: ``mix_film`` (the editor's one call) and ``MixSettings`` (−16 LUFS, −1 dBTP by default);
- ``dialogue``: timed cues voiced through ``generator.voice`` and placed; the real end of each line;
- ``ambience`` / ``music``: offline synthesis of beds per location kind and of cues per mood and tempo;
- ``duck``: sidechain compression of the music under the dialogue; ``limiter``: peaks under the ceiling;
- ``loudness``: ffmpeg ``loudnorm`` in two passes, and the ``ebur128`` meter; ``wav``: float WAV in and out.
"""

from __future__ import annotations

from generator.sound.ambience import (
    AMBIENCE_KINDS,
    AmbienceBed,
    AmbienceKind,
    kind_for_location,
    synthesise_bed,
)
from generator.sound.dialogue import DialogueCue, PlacedLine, place_dialogue
from generator.sound.duck import DuckSettings, duck_gain
from generator.sound.loudness import Loudness, measure, meter, normalise
from generator.sound.mix import STEMS, MixResult, MixSettings, mix_film
from generator.sound.music import MOODS, Mood, MusicCue, synthesise_cue
from generator.sound.wav import read_audio, write_wav

__all__ = [
    "AMBIENCE_KINDS",
    "MOODS",
    "STEMS",
    "AmbienceBed",
    "AmbienceKind",
    "DialogueCue",
    "DuckSettings",
    "Loudness",
    "MixResult",
    "MixSettings",
    "Mood",
    "MusicCue",
    "PlacedLine",
    "duck_gain",
    "kind_for_location",
    "measure",
    "meter",
    "mix_film",
    "normalise",
    "place_dialogue",
    "read_audio",
    "synthesise_bed",
    "synthesise_cue",
    "write_wav",
]
