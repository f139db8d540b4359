"""Real voice backends wrapped to count what they synthesise (the cache tests prove it is skipped) and how
many of their calls run at once (the voicing tests prove lines are voiced together).

Shared by tests/generator/voice, tests/generator/sound and tests/agents/production (the latter two put this
folder on ``sys.path``).
"""

from __future__ import annotations

import threading

from generator.voice.base import Voice, VoiceBackend, VoicedLine
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


class InFlight:
    """A real backend wrapped to record the most of its ``speak`` calls that ran at once (``most``).

    ``thread_safe`` is what the wrapper declares to ``VoiceCache`` (which runs a backend from several threads
    only when it says so), so a test can check both sides with the same inner backend.
    """

    def __init__(self, inner: VoiceBackend | Counting, thread_safe: bool = True) -> None:
        self.inner, self.name, self.thread_safe = inner, inner.name, thread_safe
        self.now = self.most = 0
        self._lock = threading.Lock()

    def speak(self, line: str, voice: Voice, note: str = "") -> VoicedLine:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self.inner.speak(line, voice, note)
        finally:
            with self._lock:
                self.now -= 1
