"""Pitch and rate by resampling, checked with the pitch tracker on pure tones."""

from __future__ import annotations

import numpy as np
import pytest

from generator.measure.pitch import track_pitch
from generator.voice.shift import resample, semitones_to_factor, shift_and_convert

SR = 22050


def _tone(freq: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(round(seconds * SR)) / SR
    return (0.5 * np.sin(2 * np.pi * freq * t) + 0.2 * np.sin(4 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize("semitones", [-3.0, 2.0, 5.0])
def test_shift_raises_pitch_by_the_factor_and_shortens_by_it(semitones: float) -> None:
    factor = semitones_to_factor(semitones)
    out = shift_and_convert(_tone(120.0), SR, SR, factor)
    assert len(out) == round(SR / factor)
    assert track_pitch(out, SR).median_f0() == pytest.approx(120.0 * factor, rel=0.01)


def test_resample_converts_rate_without_moving_pitch() -> None:
    out = resample(_tone(200.0), 48_000 / SR)
    assert len(out) == 48_000
    assert track_pitch(out, 48_000).median_f0() == pytest.approx(200.0, rel=0.01)
    assert np.abs(out).max() == pytest.approx(np.abs(_tone(200.0)).max(), rel=0.05)


def test_two_semitones_is_more_than_ten_percent() -> None:
    assert semitones_to_factor(2.0) > 1.10 and semitones_to_factor(12.0) == pytest.approx(2.0)
