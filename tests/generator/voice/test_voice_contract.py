"""Every registered voice backend that runs on a CPU honours the protocol on a real line.

The transformers backend runs with a tiny random VITS (its samples are noise, but they come through the
real loading and synthesis code); piper runs its real shipped voice.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from generator.errors import BackendUnavailable, BadRequest
from generator.voice import VOICES, Voice, VoiceBackend, get_voice_backend
from generator.voice.finish import speaking_db
from generator.voice.transformers_backend import TransformersBackend

pytestmark = pytest.mark.slow  # real piper voicing and a tiny VITS through transformers


def _backend_and_voice(name: str, tiny_vits: Path) -> tuple[VoiceBackend, Voice]:
    backend = get_voice_backend(name)
    voice_id = str(tiny_vits) if name == "transformers" else VOICES[name].default_voice
    return backend, Voice(backend=name, voice_id=voice_id)


@pytest.mark.parametrize("name", sorted(VOICES))
def test_backend_speaks_a_line(name: str, tiny_vits: Path) -> None:
    backend, voice = _backend_and_voice(name, tiny_vits)
    assert isinstance(backend, VoiceBackend)
    assert backend.name == name
    out = backend.speak("The tide is turning, Tom.", voice)
    assert out.samples.dtype == np.float32 and out.samples.ndim == 1
    assert out.sample_rate >= 8000
    assert 0.2 < out.duration_s < 10
    assert np.isfinite(out.samples).all() and np.abs(out.samples).max() <= 1.0
    whispered = backend.speak("The tide is turning, Tom.", voice, note="whispered")
    loud, quiet = speaking_db(out.samples, out.sample_rate), speaking_db(whispered.samples, whispered.sample_rate)
    assert loud - quiet == pytest.approx(9.0, abs=1.0)  # a whisper speaks 9 dB lower (lines are levelled by RMS)
    with pytest.raises(BadRequest, match="line"):
        backend.speak("   ", voice)


def test_unknown_backend_names_the_known_ones() -> None:
    with pytest.raises(BackendUnavailable, match="piper"):
        get_voice_backend("nope")


def test_transformers_backend_loads_from_a_folder_and_is_repeatable(tiny_vits: Path) -> None:
    backend = TransformersBackend(device="cpu")
    voice = Voice(backend="transformers", voice_id=str(tiny_vits))
    a = backend.speak("Hello there, Tom.", voice)
    torch.randn(7)  # whatever else ran in between: the voicing's noise does not come from the global state
    b = backend.speak("Hello there, Tom.", voice)
    assert np.array_equal(a.samples, b.samples)  # noise seeded from the line's content key
    assert a.model == f"vits/{tiny_vits}"
    slow = backend.speak("Hello there, Tom.", voice.model_copy(update={"rate": 0.5}))
    assert slow.duration_s > a.duration_s * 1.3
    with pytest.raises(BackendUnavailable, match="voice_id"):
        backend.speak("Hello.", Voice(backend="transformers", voice_id=str(tiny_vits / "missing")))
