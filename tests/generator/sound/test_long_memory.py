"""A long film's sound costs memory in proportion to a few copies of it, not to a pile of float64 temporaries.

Issue 15: the cut of a ten-minute film peaked at 4.6 GB, ~3 GB of it the critic's pitch tracker over the
whole dialogue stem (every frame's FFT at once) and ~1.8 GB the mix (limited and scaled copies of every
stem, float64 gain-curve temporaries). Measured here with ``tracemalloc`` (numpy reports its buffers to it)
as the growth of the peak between a short and a long signal, so the fixed overhead cancels: what is left is
what each extra second of film costs, which must stay under a stated number of bytes per sample.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generator.measure.pitch import track_pitch
from generator.sound import AmbienceBed, MusicCue, mix_film
from generator.voice import VoiceCache

pytestmark = pytest.mark.slow  # two mixes and four pitch tracks of up to 140 s

SR = 48_000
SHORT_S, LONG_S = 20.0, 140.0


def peak_bytes(work: Callable[[], Any]) -> int:
    """The highest traced allocation while ``work`` runs, above what was allocated before it."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def speechy(seconds: float) -> np.ndarray:
    """A voiced-sounding test signal: 120 Hz harmonics in 1.5 s bursts with 0.5 s gaps, over faint noise."""
    t = np.arange(round(seconds * SR)) / SR
    tone = sum(0.2 / k * np.sin(2 * np.pi * 120 * k * t) for k in range(1, 6))
    bursts = (t % 2.0) < 1.5
    noise = 0.001 * np.random.default_rng(0).standard_normal(len(t))
    return (tone * bursts + noise).astype(np.float32)


def test_the_pitch_tracker_over_a_long_stem_grows_by_less_than_its_input() -> None:
    short, long = speechy(SHORT_S), speechy(LONG_S)
    grown = peak_bytes(lambda: track_pitch(long, SR)) - peak_bytes(lambda: track_pitch(short, SR))
    # What must grow: the stem at 16 kHz (a third of the input's samples, float32) and a few numbers a frame.
    # All frames at once grew ~25 bytes of complex spectrum per input sample (~700 MB here).
    assert grown < 0.75 * (long.nbytes - short.nbytes), (
        f"{grown / 2**20:.0f} MB more for {LONG_S - SHORT_S:.0f} s"
    )
    track = track_pitch(long, SR)
    assert 0.6 < track.voiced.mean() < 0.8 and abs(track.median_f0() - 120.0) < 2.0  # still tracks the bursts


def mix(seconds: float, out: Path) -> None:
    """The mix of a film of ``seconds`` without lines (no voice backend needed): a bed and a cue per 10 s scene."""
    scenes = int(seconds // 10)
    beds = [AmbienceBed(kind="surf", start_s=10.0 * k, end_s=10.0 * (k + 1), seed=k) for k in range(scenes)]
    music = [MusicCue(mood="calm", start_s=10.0 * k, end_s=10.0 * (k + 1), seed=k) for k in range(scenes)]
    mix_film(
        [], ambience=beds, music=music, duration_s=seconds, out_dir=out, voices=VoiceCache(out / "voices")
    )


def test_the_mix_of_a_long_film_holds_a_few_float32_copies_of_it(tmp_path: Path) -> None:
    grown = peak_bytes(lambda: mix(LONG_S, tmp_path / "long")) - peak_bytes(
        lambda: mix(SHORT_S, tmp_path / "short")
    )
    per_sample = grown / ((LONG_S - SHORT_S) * SR)
    # Three stems, the premix, the limiter's curve and one gain curve being applied: six float32 copies
    # (24 bytes a sample). Before, limited and scaled stems and float64 curves made it ~60.
    assert per_sample <= 26, f"{per_sample:.1f} bytes a sample of film"
    assert (tmp_path / "long" / "mix.wav").stat().st_size == 44 + 14 + 4 * round(LONG_S * SR)
