"""The ``speech`` check: each planned line is audible inside its cue, and nothing is spoken outside the cues.

Run on the dialogue stem (music is periodic too, and would read as voice). Two failures:

- a cue whose voiced fraction is below ``min_voiced`` (default 0.15: speech is voiced about half the time,
  pauses and consonants included; a missing, muted or wrongly placed line gives ~0);
- voice outside every cue (each widened by ``margin_s``) for longer than ``max_stray_s``: a line placed at
  the wrong time, or one that runs over its shot.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from generator.errors import BadRequest
from generator.measure.findings import frame_runs
from generator.measure.pitch import PitchTrack, track_pitch
from generator.measure.sound_findings import SoundFinding


def check_speech(
    samples: np.ndarray,
    sample_rate: int,
    cues: Sequence[tuple[float, float]],
    *,
    min_voiced: float = 0.15,
    margin_s: float = 0.15,
    max_stray_s: float = 0.2,
    track: PitchTrack | None = None,
) -> list[SoundFinding]:
    """Findings for the planned ``cues`` (start, end in seconds) against the voice heard in ``samples``."""
    for i, (start, end) in enumerate(cues):
        if not 0 <= start < end:
            raise BadRequest(f"cues[{i}]: need 0 ≤ start < end, got ({start}, {end})")
    track = track or track_pitch(samples, sample_rate)
    times = track.times()
    findings: list[SoundFinding] = []
    covered = np.zeros(len(times), dtype=bool)
    for i, (start, end) in enumerate(cues):
        inside = (times >= start) & (times < end)
        covered |= (times >= start - margin_s) & (times < end + margin_s)
        fraction = float(track.voiced[inside].mean()) if inside.any() else 0.0
        if fraction < min_voiced:
            findings.append(SoundFinding(
                check="speech", severity="fail", span_s=(start, end), value=fraction, threshold=min_voiced, cue=i,
                message=f"cue {i} ({start:.2f}–{end:.2f} s): voice heard in {fraction:.0%} of it, need {min_voiced:.0%}",
            ))  # fmt: skip
    stray = track.voiced & ~covered
    for first, last in frame_runs(stray.tolist(), max_gap=5):
        length = (last - first + 1) * track.hop_s
        if length > max_stray_s:
            a, b = float(times[first]), float(times[last] + track.hop_s)
            findings.append(SoundFinding(
                check="speech", severity="fail", span_s=(a, b), value=length, threshold=max_stray_s,
                message=f"voice outside every planned line at {a:.2f}–{b:.2f} s ({length:.2f} s)",
            ))  # fmt: skip
    return findings
