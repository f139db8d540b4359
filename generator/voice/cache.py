"""Content-addressed voicing: a line is voiced once per (words, voice, note), then read from disk.

Why on disk and keyed by content: the editor re-cuts often and a voice-bible edit changes one character;
the key (``generator.voice.base.line_key``) changes only for lines whose words, voice or note changed, so
only those are voiced again. Files are ``<key>.f32`` (raw little-endian float32 samples) and ``<key>.json``
(sample rate, model, word timings), written to temporary names and renamed into place, JSON last: a
voicing is complete only when its JSON exists.

``speak_many`` voices a whole plan or film at once: each distinct missing line once, on two threads when
the backend says it may run from several (``thread_safe``; piper's onnxruntime session does, and one
loaded voice serves both threads). On the shared two-core machine this made no measurable difference:
three bench runs of six paired rounds gave 11.4 s against 12.8 s on one thread, then 6.6 against 6.0,
then 3.7 against 3.3 (``bench/results/sound.jsonl``, case ``voice_workers``); the second thread is for
machines with a core to spare, where it has not been measured.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from generator.voice.base import Voice, VoiceBackend, VoicedLine, WordTiming, line_key
from generator.voice.registry import get_voice_backend


class VoiceCache:
    """Voices lines through the registered backends, remembering every result under ``root``.

    ``backends`` maps a backend name to an instance (tests and the bench pass their own); a missing name
    is built from the registry on first use and kept.
    """

    def __init__(self, root: Path, backends: dict[str, VoiceBackend] | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._backends: dict[str, VoiceBackend] = dict(backends or {})
        self._lock = threading.Lock()
        self.voiced = 0  # lines synthesised by this cache object (not read back)

    def backend(self, name: str) -> VoiceBackend:
        with self._lock:
            if name not in self._backends:
                self._backends[name] = get_voice_backend(name)
            return self._backends[name]

    def paths(self, key: str) -> tuple[Path, Path]:
        return self.root / f"{key}.f32", self.root / f"{key}.json"

    def speak(self, line: str, voice: Voice, note: str = "") -> VoicedLine:
        """The voicing of ``line``: from disk when it exists (``reused=True``), else synthesised and stored."""
        key = line_key(line, voice, note)
        found = self.load(key)
        if found is not None:
            return found
        return self._voice_and_store(key, line, voice, note)

    def speak_many(self, requests: Sequence[tuple[str, Voice, str]], *, workers: int = 2) -> list[VoicedLine]:
        """The voicings of every ``(line, voice, note)``, in order; each distinct missing one is voiced once.

        Missing lines run on up to ``workers`` threads per backend that declares ``thread_safe = True``,
        one at a time otherwise. A line asked twice gets the same voicing both times.
        """
        keys = [line_key(line, voice, note) for line, voice, note in requests]
        found: dict[str, VoicedLine] = {}
        missing: dict[str, tuple[str, Voice, str]] = {}
        for key, request in zip(keys, requests, strict=True):
            if key in found or key in missing:
                continue
            loaded = self.load(key)
            if loaded is not None:
                found[key] = loaded
            else:
                missing[key] = request
        by_backend: dict[str, list[str]] = {}
        for key, (_, voice, _) in missing.items():
            by_backend.setdefault(voice.backend, []).append(key)
        for name, group in by_backend.items():
            backend = self.backend(name)
            threads = max(1, workers) if getattr(backend, "thread_safe", False) else 1

            def run(key: str) -> VoicedLine:
                line, v, note = missing[key]
                return self._voice_and_store(key, line, v, note)

            if threads == 1 or len(group) == 1:
                found.update((key, run(key)) for key in group)
            else:
                with ThreadPoolExecutor(min(threads, len(group)), thread_name_prefix="voice") as pool:
                    found.update(zip(group, pool.map(run, group), strict=True))
        return [found[key] for key in keys]

    def _voice_and_store(self, key: str, line: str, voice: Voice, note: str) -> VoicedLine:
        voiced = self.backend(voice.backend).speak(line, voice, note)
        self._store(key, voiced)
        with self._lock:
            self.voiced += 1
        return voiced

    def load(self, key: str) -> VoicedLine | None:
        raw, meta_path = self.paths(key)
        if not meta_path.is_file() or not raw.is_file():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        words = meta.get("words")
        return VoicedLine(
            samples=np.fromfile(raw, dtype="<f4"),
            sample_rate=int(meta["sample_rate"]),
            words=None if words is None else tuple(WordTiming(**w) for w in words),
            model=str(meta.get("model", "")),
            reused=True,
        )

    def _store(self, key: str, voiced: VoicedLine) -> None:
        raw, meta_path = self.paths(key)
        meta = {
            "sample_rate": voiced.sample_rate,
            "model": voiced.model,
            "duration_s": voiced.duration_s,
            "words": None if voiced.words is None else [asdict(w) for w in voiced.words],
        }
        tmp = raw.with_name(f".{raw.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        np.asarray(voiced.samples, dtype="<f4").tofile(tmp)
        os.replace(tmp, raw)
        tmp_meta = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp_meta, meta_path)
