"""A real voice backend wrapped to count what it synthesises (the cache tests prove it is skipped)."""

from __future__ import annotations

from generator.voice.base import Voice, VoicedLine
from generator.voice.piper_backend import PiperBackend


class Counting:
    """A real backend that counts the lines it really synthesised (to prove the cache skips it)."""

    def __init__(self, inner: PiperBackend) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list[str] = []

    def speak(self, line: str, voice: Voice, note: str = "") -> VoicedLine:
        self.calls.append(line)
        return self.inner.speak(line, voice, note)
