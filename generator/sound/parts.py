"""The synthesised parts of a mix (ambience beds, music cues) kept on disk, so a re-mix makes only new ones.

Why: re-mixing a film after one change (a line re-voiced, one shot longer) re-synthesised every bed and
cue, which cost more than half of a warm re-mix (``bench/results/sound.jsonl``, case ``film_remix``). A
bed or cue is a function of what it is and how many samples long it is, not of where it sits in the film,
so each is stored under the hash of exactly that (``<key>.f32``, raw float32, written to a temporary name
and renamed). After a mix, ``prune`` removes the parts it did not use, so the folder holds one film's
parts, not every version's.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from generator.sound.ambience import AmbienceBed, synthesise_bed
from generator.sound.music import MusicCue, synthesise_cue

#: Bumped when bed or cue synthesis changes, so stored parts are not reused wrongly.
PARTS_VERSION = 1


class PartCache:
    """Beds and cues under ``root``; ``made`` and ``reused`` count what this object synthesised or read."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.made = 0
        self.reused = 0
        self._used: set[str] = set()

    def bed(self, bed: AmbienceBed, n: int, sample_rate: int) -> np.ndarray:
        """``n`` samples of ``bed`` at −20 dBFS RMS (its level and fades are the mix's)."""
        data: dict[str, object] = {"bed": bed.kind, "seed": bed.seed}
        return self._get(
            data,
            n,
            sample_rate,
            lambda: synthesise_bed(bed.kind, n / sample_rate, sample_rate, seed=bed.seed),
        )

    def cue(self, cue: MusicCue, n: int, sample_rate: int) -> np.ndarray:
        """``n`` samples of ``cue`` as ``synthesise_cue`` makes it (its place in the film is left out)."""
        placed = cue.model_copy(update={"start_s": 0.0, "end_s": n / sample_rate})
        data: dict[str, object] = {"cue": placed.model_dump(mode="json", exclude={"start_s", "end_s"})}
        return self._get(data, n, sample_rate, lambda: synthesise_cue(placed, sample_rate))

    def _get(
        self, data: dict[str, object], n: int, sample_rate: int, make: Callable[[], np.ndarray]
    ) -> np.ndarray:
        key = hashlib.sha256(
            json.dumps({**data, "n": n, "sr": sample_rate, "v": PARTS_VERSION}, sort_keys=True).encode()
        ).hexdigest()
        self._used.add(key)
        path = self.root / f"{key}.f32"
        if path.is_file():
            samples = np.fromfile(path, dtype="<f4")
            if len(samples) == n:
                self.reused += 1
                return samples
        samples = np.asarray(make(), dtype=np.float32)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        samples.astype("<f4").tofile(tmp)
        os.replace(tmp, path)
        self.made += 1
        return samples

    def prune(self) -> int:
        """Remove the stored parts this object did not ask for; returns how many."""
        removed = 0
        for path in self.root.glob("*.f32") if self.root.is_dir() else ():
            if path.stem not in self._used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
