"""Larger voices through transformers: VITS-family text-to-speech models (MMS-TTS, fine-tuned VITS) on a GPU.

Why VITS: it is the text-to-speech family transformers runs end to end (text → waveform in one model,
no separate vocoder), from 40 M-parameter MMS voices for 1,100 languages to fine-tuned character voices.
``voice_id`` is a hub id or a local folder (``facebook/mms-tts-eng``); weights load once per backend. On
a machine without CUDA it runs on the CPU, slowly. Tests build a tiny random VITS from its config, save it
to a folder and load it through exactly this code (no download).

Pitch and rate as for piper: the model's ``speaking_rate`` slows it by the pitch factor, then the samples
are resampled (``generator.voice.shift``). Sampling noise is seeded from the line's content key, so the
same request always gives the same samples (the cache and the tests rely on it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from generator.errors import BackendUnavailable, BadRequest, RenderFailed
from generator.voice.base import Voice, VoicedLine, line_key
from generator.voice.finish import delivery, finish


@dataclass
class _Loaded:
    model: Any  # transformers.VitsModel (imported lazily: torch loads only when this backend is used)
    tokenizer: Any
    device: str


class TransformersBackend:
    """VITS models from the hub or a folder; ``device`` None picks CUDA when present, else the CPU."""

    name = "transformers"

    def __init__(self, device: str | None = None, dtype: str = "float32") -> None:
        self.device = device
        self.dtype = dtype
        self._models: dict[str, _Loaded] = {}
        self._lock = threading.Lock()

    def load(self, voice_id: str) -> _Loaded:
        """Load (once) the model and tokenizer of ``voice_id``; errors name the id and the reason."""
        with self._lock:
            found = self._models.get(voice_id)
            if found is not None:
                return found
            try:
                import torch
                from transformers import AutoTokenizer, VitsModel
            except ImportError as exc:
                raise BackendUnavailable("the transformers voice needs torch and transformers") from exc
            device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            try:
                model: Any = VitsModel.from_pretrained(voice_id, dtype=getattr(torch, self.dtype))
                tokenizer = AutoTokenizer.from_pretrained(voice_id)
            except OSError as exc:
                raise BackendUnavailable(
                    f"voice.voice_id: cannot load VITS voice {voice_id!r}: {exc}"
                ) from exc
            model.to(device)  # in place for torch modules
            model.eval()
            found = _Loaded(model=model, tokenizer=tokenizer, device=device)
            self._models[voice_id] = found
            return found

    def speak(self, line: str, voice: Voice, note: str = "") -> VoicedLine:
        if not line.strip():
            raise BadRequest("line: nothing to say (empty text)")
        import torch

        loaded = self.load(voice.voice_id)
        spoken = delivery(voice, note)
        inputs = loaded.tokenizer(line, return_tensors="pt").to(loaded.device)
        if inputs["input_ids"].shape[-1] == 0:
            raise BadRequest(f"line: the voice {voice.voice_id!r} has no symbols for {line[:60]!r}")
        # Seeded by what is said and how, and by the model's name — not by the folder it was loaded from, so
        # the same voice moved to another folder (or a test's temporary one) speaks the same line the same way.
        placed = voice.model_copy(update={"voice_id": Path(voice.voice_id).name})
        seed = int(line_key(line, placed, note)[:15], 16)
        model = loaded.model
        model.speaking_rate = spoken.rate / spoken.pitch
        model.noise_scale_duration = 0.8 * spoken.prosody.expressive
        with torch.random.fork_rng(devices=[]), torch.inference_mode():
            torch.manual_seed(seed)
            if loaded.device.startswith("cuda"):
                torch.cuda.manual_seed_all(seed)
            wave = model(**inputs).waveform[0].float().cpu().numpy()
        if wave.size == 0 or not np.isfinite(wave).all():
            raise RenderFailed(
                f"the VITS voice {voice.voice_id!r} returned no usable samples for {line[:60]!r}"
            )
        rate_hz = int(model.config.sampling_rate)
        samples = finish(wave, rate_hz, spoken)
        return VoicedLine(samples=samples, sample_rate=rate_hz, words=None, model=f"vits/{voice.voice_id}")
