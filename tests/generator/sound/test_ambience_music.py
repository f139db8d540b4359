"""Ambience beds and music cues: deterministic, the right length and level, and each what it says it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.sound import (
    AMBIENCE_KINDS,
    MOODS,
    AmbienceBed,
    MusicCue,
    kind_for_location,
    synthesise_bed,
    synthesise_cue,
)
from generator.sound.spectra import rms_db

SR = 48_000


def _centroid(x: np.ndarray) -> float:
    power = np.abs(np.fft.rfft(x)) ** 2
    return float((np.fft.rfftfreq(len(x), 1 / SR) * power).sum() / power.sum())


@pytest.mark.parametrize("kind", AMBIENCE_KINDS)
def test_each_bed_is_repeatable_and_at_level(kind: str) -> None:
    a = synthesise_bed(kind, 3.0, SR, seed=1)  # type: ignore[arg-type]
    assert len(a) == 3 * SR and a.dtype == np.float32
    assert np.array_equal(a, synthesise_bed(kind, 3.0, SR, seed=1))  # type: ignore[arg-type]
    assert not np.array_equal(a, synthesise_bed(kind, 3.0, SR, seed=2))  # type: ignore[arg-type]
    assert rms_db(a) == pytest.approx(-20.0, abs=0.1)


def test_beds_sound_different() -> None:
    centroid = {k: _centroid(synthesise_bed(k, 4.0, SR)) for k in AMBIENCE_KINDS}
    assert centroid["rain"] > 2 * centroid["surf"]  # hiss and drops above a low wash
    assert centroid["rain"] > 2 * centroid["room"]
    surf = synthesise_bed("surf", 20.0, SR)
    swell = [rms_db(s) for s in np.array_split(surf, 40)]
    assert max(swell) - min(swell) > 6.0  # waves come and go


def test_location_words_pick_a_bed() -> None:
    assert kind_for_location("Harbour wall at dusk", interior=False) == "surf"
    assert kind_for_location("Kitchen", interior=True) == "room"
    assert kind_for_location("Main street", interior=False) == "traffic"
    assert kind_for_location("Storm over the moor") == "rain"
    assert kind_for_location("A hilltop", interior=False) == "wind"


def test_bad_spans_are_refused() -> None:
    with pytest.raises(ValueError, match="end_s"):
        AmbienceBed(kind="rain", start_s=3.0, end_s=2.0)
    with pytest.raises(ValueError, match="end_s"):
        MusicCue(mood="sad", start_s=5.0, end_s=5.0)


@pytest.mark.parametrize("mood", MOODS)
def test_cue_length_level_and_fades(mood: str) -> None:
    cue = MusicCue(mood=mood, start_s=2.0, end_s=8.0, fade_in_s=1.0, fade_out_s=1.0, level_db=-26.0)  # type: ignore[arg-type]
    x = synthesise_cue(cue, SR)
    assert len(x) == 6 * SR
    assert rms_db(x) == pytest.approx(-26.0, abs=0.1)
    assert np.abs(x[:10]).max() < 1e-3 and np.abs(x[-10:]).max() < 1e-3
    assert np.array_equal(x, synthesise_cue(cue, SR))


def test_cue_follows_its_tempo() -> None:
    x = synthesise_cue(MusicCue(mood="action", tempo_bpm=120, end_s=8.0, fade_in_s=0, fade_out_s=0), SR)
    spectrum = np.fft.rfft(x)
    spectrum[np.fft.rfftfreq(len(x), 1 / SR) > 150] = 0  # the kick, not the arpeggio's sixteenths
    x = np.fft.irfft(spectrum, n=len(x))
    hop = SR // 100
    envelope = np.sqrt(np.mean(x[: len(x) // hop * hop].reshape(-1, hop) ** 2, axis=1))
    onset = np.maximum(np.diff(envelope), 0)
    onset -= onset.mean()
    corr = np.correlate(onset, onset, "full")[len(onset) - 1 :]
    lags = np.arange(35, 75)  # 0.35–0.75 s: one beat at 80–170 bpm
    assert lags[np.argmax(corr[lags])] * 0.01 == pytest.approx(0.5, abs=0.02)  # 120 bpm = 0.5 s a beat


def test_a_remix_synthesises_only_the_beds_and_cues_that_changed(tmp_path: Path) -> None:
    """Parts are kept by what they are and how long, not where they sit: a shifted scene is read back."""
    from generator.sound import mix_film
    from generator.sound.mix import ambience_stem, music_stem
    from generator.sound.parts import PartCache
    from generator.voice import VoiceCache

    voices, out = VoiceCache(tmp_path / "voices"), tmp_path / "film"
    beds = [
        AmbienceBed(kind="surf", end_s=4.0, seed=0),
        AmbienceBed(kind="rain", start_s=4.0, end_s=8.0, seed=1),
    ]
    music = [MusicCue(mood="tense", end_s=4.0, seed=0), MusicCue(mood="sad", start_s=4.0, end_s=8.0, seed=1)]
    first = PartCache(out / ".sound-parts")
    mix_film([], ambience=beds, music=music, duration_s=9.0, out_dir=out, voices=voices, parts=first)
    assert (first.made, first.reused) == (4, 0)
    # The second scene starts half a second later (same length); the first cue is a second longer.
    beds2 = [beds[0], beds[1].model_copy(update={"start_s": 4.5, "end_s": 8.5})]
    music2 = [
        music[0].model_copy(update={"end_s": 5.0}),
        music[1].model_copy(update={"start_s": 4.5, "end_s": 8.5}),
    ]
    again = PartCache(out / ".sound-parts")  # a new object, as in a new process
    mix_film([], ambience=beds2, music=music2, duration_s=9.0, out_dir=out, voices=voices, parts=again)
    assert (again.made, again.reused) == (1, 3)
    assert len(list((out / ".sound-parts").glob("*.f32"))) == 4  # the old first cue was removed
    # What was read back is what synthesis makes.
    assert np.array_equal(ambience_stem(beds2, 9.0, 48_000, again), ambience_stem(beds2, 9.0, 48_000))
    assert np.array_equal(music_stem(music2, 9.0, 48_000, again), music_stem(music2, 9.0, 48_000))
