"""Voice backends by name, one line each; factories import lazily (listing voices loads no model).

Adding a voice backend: a class implementing ``generator.voice.base.VoiceBackend`` in its own file and one
``VoiceEntry`` line in ``VOICES``. The contract test runs every entry with ``needs_gpu=False``. An entry may
name a ``check_voice`` that refuses a voice id the backend cannot have, without loading a model: a creator
who types a voice id in the bible hears at once that it is unknown, instead of at the next voicing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.errors import BackendUnavailable, BadRequest
from generator.voice.base import VoiceBackend


def _piper() -> VoiceBackend:
    from generator.voice.piper_backend import PiperBackend

    return PiperBackend()


def _piper_voice(voice_id: str) -> None:
    from generator.voice.piper_backend import voice_file

    voice_file(voice_id)  # a known voice package or a path to a piper .onnx file


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
    #: Raises ``BadRequest`` (or ``BackendUnavailable``) for a voice id this backend cannot have; None: any id
    #: is tried when a line is spoken (a hub model id cannot be checked offline).
    check_voice: Callable[[str], None] | None = None


VOICES: dict[str, VoiceEntry] = {
    e.name: e
    for e in (
        VoiceEntry("piper", _piper, "piper-tts on the CPU, voice from PyPI (default)", "en_US-joe-medium", needs_gpu=False,
                   check_voice=_piper_voice),
        VoiceEntry("transformers", _transformers, "VITS/MMS-TTS models through transformers", "facebook/mms-tts-eng", needs_gpu=True),
    )
}  # fmt: skip


def check_voice(backend: str, voice_id: str) -> None:
    """Refuse ``voice_id`` when ``backend`` is unknown or cannot have it (``BackendUnavailable``/``BadRequest``
    naming the known ones); loads no model."""
    entry = VOICES.get(backend.strip().lower())
    if entry is None:
        raise BackendUnavailable(f"unknown voice backend {backend!r}; available: {', '.join(VOICES)}")
    if not voice_id.strip():
        raise BadRequest("voice.voice_id: empty")
    if entry.check_voice is not None:
        entry.check_voice(voice_id)


def get_voice_backend(name: str) -> VoiceBackend:
    """Build the backend ``name``; an unknown name raises ``BackendUnavailable`` listing the known ones."""
    entry = VOICES.get(name.strip().lower())
    if entry is None:
        raise BackendUnavailable(f"unknown voice backend {name!r}; available: {', '.join(VOICES)}")
    return entry.factory()
