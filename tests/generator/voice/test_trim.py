"""Trimming the padding silence of a voicing, so line timing is speech timing."""

from __future__ import annotations

import numpy as np

from generator.voice.trim import trim_silence

SR = 22050


def test_trim_keeps_the_sound_and_a_short_pad() -> None:
    tone = 0.5 * np.sin(2 * np.pi * 200 * np.arange(SR) / SR)
    padded = np.concatenate([np.zeros(SR // 4), 1e-4 * np.ones(SR // 4), tone, np.zeros(SR // 2)]).astype(
        np.float32
    )
    out = trim_silence(padded, SR, keep_s=0.02)
    assert abs(len(out) - (SR + 2 * round(0.02 * SR))) <= SR // 100 * 2
    assert np.abs(out[round(0.03 * SR) : -round(0.03 * SR)]).max() > 0.4


def test_silence_and_empty_input_come_back_unchanged() -> None:
    assert len(trim_silence(np.zeros(100, dtype=np.float32), SR)) == 100
    assert len(trim_silence(np.zeros(SR, dtype=np.float32), SR)) == SR
