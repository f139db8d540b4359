"""The voice protocol: a line, a voice and a delivery note go in; audio samples (and word timings where the
backend knows them) come out.

Why a protocol of its own beside ``generator.base.Generator``: a voice backend renders seconds of audio, not
a take, and the editor asks for hundreds of lines per film, so it is called with plain values and answers
with samples in memory; ``generator.voice.cache`` makes the answers content-addressed on disk.

Adding a backend: a class with ``name`` and ``speak(line, voice, note)`` returning a ``VoicedLine``, plus one
line in ``generator/voice/registry.py``. The contract test (``tests/generator/voice/test_voice_contract.py``)
runs every backend that can run on a CPU.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

#: Bumped when the way a line is turned into samples changes, so cached voicings are not reused wrongly.
VOICING_VERSION = 3


class Voice(BaseModel):
    """Who speaks: a backend, one of its voices, and how this character shifts it.

    With one voice model (the default piper voice) characters are told apart by ``pitch`` and ``rate``:
    a pitch 2 semitones apart is 12 % apart in median pitch, which the speech measurements resolve.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: str = Field(
        "piper", min_length=1, description="Voice registry name, e.g. 'piper' or 'transformers'."
    )
    voice_id: str = Field(
        "en_US-joe-medium", min_length=1, description="The backend's voice: a piper voice name or a model id."
    )
    pitch: float = Field(
        0.0, ge=-12.0, le=12.0, description="Pitch shift in semitones (+2 ≈ 12 % higher), formants included."
    )
    rate: float = Field(
        1.0, ge=0.5, le=2.0, description="Speaking rate: 1.2 speaks 20 % faster (shorter line)."
    )
    speaker: int | None = Field(
        None, ge=0, description="Speaker index of a multi-speaker model; None = default."
    )

    def key_data(self) -> dict[str, object]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class WordTiming:
    """One word's place in the voiced line, in seconds from the line's first sample."""

    word: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class VoicedLine:
    """Mono float32 samples in −1…1 at ``sample_rate``; ``words`` is None when the backend cannot time words."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[WordTiming, ...] | None = None
    model: str = ""
    reused: bool = field(default=False, compare=False)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


@runtime_checkable
class VoiceBackend(Protocol):
    """A text-to-speech backend. Samples start and end with the speech (no padding silence).

    A backend may sample noise (piper does, unseeded), so two calls can differ slightly: the cache
    (``generator.voice.cache``) is what makes a line's voicing, and so its length, stable.

    A backend whose ``speak`` may run from several threads at once sets a class attribute
    ``thread_safe = True``; ``VoiceCache.speak_many`` then voices lines on two threads (absent: one).
    """

    name: str

    def speak(self, line: str, voice: Voice, note: str = "") -> VoicedLine:
        """Voice ``line`` as ``voice`` with the delivery ``note`` ('whispered', 'angry', …; may be empty)."""
        ...


def line_key(line: str, voice: Voice, note: str) -> str:
    """sha256 of everything that changes the samples: the words, the voice, the note and ``VOICING_VERSION``."""
    data = {"line": line, "voice": voice.key_data(), "note": note.strip().lower(), "v": VOICING_VERSION}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
