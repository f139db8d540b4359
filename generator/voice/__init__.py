"""Voices for the dialogue: a backend protocol, a registry, and a content-addressed cache.

    from generator.voice import Voice, VoiceCache
    cache = VoiceCache(Path("voices"))
    line = cache.speak("The tide is turning.", Voice(pitch=-2.0, rate=0.95), note="quietly")
    line.samples, line.sample_rate, line.duration_s   # float32 mono; reused=True the second time

- ``base``: ``Voice`` (backend, voice id, pitch, rate), ``VoicedLine``, the ``VoiceBackend`` protocol;
- ``registry``: backends by name (``piper`` by default, ``transformers`` for VITS models);
- ``piper_backend`` / ``transformers_backend``: the backends; ``shift``: pitch and rate by resampling;
- ``delivery``: delivery notes ('whispered', 'angry') as rate, pitch and level;
- ``envelope``: a voiced line's loudness per picture frame, as a mouth's openness (the animatic's speakers);
- ``cache``: every voicing stored under the hash of its line, voice and note.

Importing this package loads no model (piper and torch load on the first line spoken).
"""

from __future__ import annotations

from generator.voice.base import VOICING_VERSION, Voice, VoiceBackend, VoicedLine, WordTiming, line_key
from generator.voice.cache import VoiceCache
from generator.voice.delivery import Prosody, known_words, prosody_for
from generator.voice.envelope import mouth_openness
from generator.voice.registry import VOICES, VoiceEntry, check_voice, get_voice_backend

__all__ = [
    "VOICES",
    "VOICING_VERSION",
    "Prosody",
    "Voice",
    "VoiceBackend",
    "VoiceCache",
    "VoiceEntry",
    "VoicedLine",
    "WordTiming",
    "check_voice",
    "get_voice_backend",
    "known_words",
    "line_key",
    "mouth_openness",
    "prosody_for",
]
