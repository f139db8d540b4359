"""The ``clipping`` check: runs of samples stuck at full scale, and peaks above the ceiling.

A clipped sample is one at |x| ≥ ``full_scale`` (0.999 of digital full scale). One such sample can be a
legitimate peak; ``min_run`` consecutive ones (default 3) are a flattened waveform, which is audible.
Also fails when the sample peak exceeds ``ceiling_db`` (dBFS): a mix meant for −1 dBTP that peaks at
−0.2 dBFS has been pushed past its limiter. (True peak is measured by ffmpeg in ``generator.sound.loudness``.)
"""

from __future__ import annotations

import numpy as np

from generator.measure.sound_findings import SoundFinding


def check_clipping(
    samples: np.ndarray,
    sample_rate: int,
    *,
    full_scale: float = 0.999,
    min_run: int = 3,
    ceiling_db: float = -0.1,
) -> list[SoundFinding]:
    """Findings for clipped runs in mono or multichannel ``samples`` (channels last)."""
    x = np.asarray(samples)
    # Float samples keep their precision (a float32 film is not copied to float64: 230 MB for ten minutes).
    x = np.abs(x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64))
    if x.ndim > 1:
        x = x.max(axis=-1)
    findings: list[SoundFinding] = []
    hot = x >= full_scale
    runs = [(a, b) for a, b in _runs(hot) if b - a + 1 >= min_run]
    if runs:
        total = sum(b - a + 1 for a, b in runs)
        a, b = runs[0][0] / sample_rate, (runs[-1][1] + 1) / sample_rate
        findings.append(SoundFinding(
            check="clipping", severity="fail", span_s=(a, b), value=float(total), threshold=float(min_run),
            message=f"{len(runs)} clipped run(s), {total} samples at full scale, first at {a:.2f} s",
        ))  # fmt: skip
    peak = float(x.max()) if x.size else 0.0
    peak_db = 20.0 * np.log10(peak) if peak > 0 else -np.inf
    if peak_db > ceiling_db:
        where = int(x.argmax()) / sample_rate
        findings.append(SoundFinding(
            check="clipping", severity="fail", span_s=(where, where), value=float(peak_db), threshold=ceiling_db,
            message=f"sample peak {peak_db:.2f} dBFS at {where:.2f} s, above the {ceiling_db} dBFS ceiling",
        ))  # fmt: skip
    return findings


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of each run of True, vectorised (``frame_runs`` loops in Python: fine for frames, not samples)."""
    if not mask.any():
        return []
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))
