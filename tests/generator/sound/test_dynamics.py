"""Ducking, limiting and two-pass loudness on signals whose answer is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.sound import DuckSettings, duck_gain, measure, meter, normalise, write_wav
from generator.sound.limiter import limiter_gain

SR = 48_000


def test_duck_gain_follows_the_key_within_attack_and_release() -> None:
    key = np.zeros(4 * SR, dtype=np.float32)
    key[SR : 2 * SR] = 0.3 * np.sin(2 * np.pi * 200 * np.arange(SR) / SR)  # −13.5 dBFS RMS for one second
    gain_db = 20 * np.log10(duck_gain(key, SR, DuckSettings(max_reduction_db=10.0, lookahead_s=0.0)))
    assert gain_db[: SR - 10].max() > -0.01  # silent key: untouched
    assert gain_db[int(1.3 * SR) : int(1.9 * SR)].max() == pytest.approx(-10.0, abs=0.3)  # held at the cap
    assert gain_db[int(1.0 * SR) + 240] > -8.0  # 5 ms into the line the 30 ms attack is still on its way
    assert gain_db[int(2.1 * SR)] < -6.0  # 0.1 s after the line the 0.5 s release has not let go
    assert gain_db[int(3.9 * SR) :].max() > -1.0  # recovered after the release


def test_limiter_keeps_every_sample_under_the_ceiling() -> None:
    x = 0.3 * np.sin(2 * np.pi * 150 * np.arange(2 * SR) / SR)
    x[SR // 2 : SR // 2 + 400] *= 3  # a burst of peaks at 0.9
    gain = limiter_gain(x, SR, ceiling=0.5)
    assert np.abs(x * gain).max() <= 0.5 + 1e-6
    assert gain.max() == pytest.approx(1.0) and gain.min() == pytest.approx(0.5 / 0.9, rel=0.01)
    assert np.mean(gain > 0.99) > 0.5  # quiet passages are left alone


def test_two_pass_loudnorm_hits_the_target(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    t = np.arange(10 * SR) / SR
    x = 0.02 * rng.standard_normal(len(t)) + 0.05 * np.sin(2 * np.pi * 330 * t) * (
        np.sin(2 * np.pi * 0.3 * t) > 0
    )
    src = write_wav(tmp_path / "quiet.wav", x, SR)
    first = measure(src)
    assert first.integrated < -25.0
    done = normalise(src, tmp_path / "loud.wav", first, target_lufs=-16.0, true_peak_db=-1.0)
    integrated, true_peak = meter(tmp_path / "loud.wav")
    assert integrated == pytest.approx(-16.0, abs=0.5) and true_peak <= -1.0
    assert done.linear and done.gain_db == pytest.approx(-16.0 - first.integrated)
