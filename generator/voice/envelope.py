"""The speech envelope as a mouth: how open a speaker's mouth is in each picture frame while a line sounds.

Why loudness and not word timings: every backend returns samples, few return word timings (piper does
not), and an animatic only has to show who talks and when, not lip shapes. Each frame's RMS over the
samples that sound during that frame is compared with the line's loudest frame: ``CLOSED_DB`` or more
below it the mouth is shut (the pauses between words and phrases), ``OPEN_DB`` or less below it wide
open, linear in dB between. Relative to the line's own loudest frame, a whispered line moves the mouth
as much as a shouted one.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

#: A frame this many dB under the line's loudest frame shows a closed mouth.
CLOSED_DB = 30.0
#: A frame within this many dB of the line's loudest frame shows the mouth wide open.
OPEN_DB = 6.0


def mouth_openness(samples: np.ndarray, sample_rate: int, fps: float, start_s: float = 0.0) -> tuple[int, tuple[float, ...]]:
    """(first frame, openness 0…1 per frame from it) of a line whose first sample sounds at ``start_s``.

    Frame ``k`` of the shot covers ``[k / fps, (k + 1) / fps)``; each frame that overlaps the line gets the
    openness of the samples inside it (rounded to 0.01, so the values are stable and a request stays small).
    An empty or silent line gives ``(first frame, ())``.
    """
    if sample_rate <= 0 or fps <= 0 or start_s < 0:
        raise ValueError(f"sample_rate and fps must be positive and start_s not negative, got {sample_rate}, {fps}, {start_s}")
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    first = math.floor(start_s * fps + 1e-9)
    if x.size == 0:
        return first, ()
    end_s = start_s + x.size / sample_rate
    last = math.ceil(end_s * fps - 1e-9)  # exclusive
    bounds = [min(x.size, max(0, round((k / fps - start_s) * sample_rate))) for k in range(first, last + 1)]
    rms = np.array([
        math.sqrt(float(np.mean(x[a:b] ** 2))) if b > a else 0.0 for a, b in itertools.pairwise(bounds)
    ])  # fmt: skip
    loudest = float(rms.max())
    if loudest <= 0.0:
        return first, tuple(0.0 for _ in rms)
    level_db = 20.0 * np.log10(np.maximum(rms, 1e-12) / loudest)  # 0 at the loudest frame, negative below
    openness = np.clip((level_db + CLOSED_DB) / (CLOSED_DB - OPEN_DB), 0.0, 1.0)
    return first, tuple(round(float(v), 2) for v in openness)
