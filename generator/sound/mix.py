"""The mix: dialogue, ambience and music, with the music ducked under the dialogue, at −16 LUFS.

    result = mix_film(cues, ambience=[AmbienceBed(kind="surf")], music=[MusicCue(mood="tense", end_s=30)],
                      duration_s=30.0, out_dir=Path("sound"), voices=VoiceCache(Path("voices")))
    result.mix, result.stems["dialogue"], result.lines[0].end_s, result.loudness.integrated

Levels: lines speak at −24 dBFS RMS (``generator.voice.finish``), music cues sit at −33 and beds at −41 before the loudness gain,
and the music ducks up to 15 dB, so each line stands 7-8 dB over what is under it. Louder beds (the
earlier −26/−34) left the lines level with the music; making the voice itself louder instead makes the
−16 LUFS gain drive its peaks into the limiter (10 dB off, a third of the speech touched, measured).

Steps, each a pure function elsewhere in this package: voice and place the lines (``dialogue``), lay the
beds (``ambience``) and the cues (``music``), duck the music under the dialogue (``duck``), sum; measure
the sum (``ebur128``), limit the peaks the loudness gain would push past the true-peak ceiling
(``limiter``, one gain curve applied to all three stems), measure again, and apply one linear gain (what
``loudnorm``'s linear second pass does, at a fifth of its cost: it resamples to 192 kHz). The stems are
written with the same gain, so ``dialogue + ambience + music == mix``
to float precision: an editor who remixes them starts from exactly what was heard.

Memory: the film-length arrays held at once are the three stems, the premix and the limiter's gain curve
(float32: ~575 MB for ten minutes at 48 kHz). The limited and scaled stems and the mix are never made whole:
they are written a chunk at a time (``_mixed``), with the same arithmetic, so the files are the same bytes.
Before, the limited and scaled copies and the gain curves' float64 temporaries took ~1.8 GB for ten minutes.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from generator.errors import BadRequest, RenderFailed
from generator.sound.ambience import AmbienceBed, synthesise_bed
from generator.sound.blocks import CHUNK
from generator.sound.dialogue import DialogueCue, PlacedLine, place_dialogue
from generator.sound.duck import DuckSettings, duck_gain
from generator.sound.limiter import limiter_gain
from generator.sound.loudness import Loudness, measure_r128
from generator.sound.music import MusicCue, synthesise_cue
from generator.sound.parts import PartCache
from generator.sound.spectra import set_rms_db
from generator.sound.wav import write_wav, write_wav_blocks
from generator.voice.cache import VoiceCache

STEMS: tuple[str, ...] = ("dialogue", "ambience", "music")


class MixSettings(BaseModel):
    """The delivery standard and the ducking; defaults are EBU R128 for streaming (−16 LUFS, −1 dBTP)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sample_rate: int = Field(48_000, ge=8_000, le=192_000)
    target_lufs: float = Field(-16.0, ge=-40, le=-5, description="Integrated loudness of the mix, LUFS.")
    true_peak_db: float = Field(-1.0, ge=-10, le=0, description="Highest true peak allowed, dBTP.")
    peak_margin_db: float = Field(1.0, ge=0, le=6, description="Limiter headroom for peaks between samples.")
    duck: DuckSettings = Field(default_factory=DuckSettings)
    dialogue_compression: DuckSettings = Field(
        default_factory=lambda: DuckSettings(
            threshold_db=-30.0,
            ratio=3.0,
            max_reduction_db=9.0,
            attack_s=0.005,
            release_s=0.12,
            lookahead_s=0.005,
        ),
        description="A compressor keyed on the dialogue itself: evens syllables so the loudness gain needs less limiting.",
    )


@dataclass(frozen=True)
class MixResult:
    """The written mix and stems, where every line landed, and what the loudness stage measured and did."""

    mix: Path
    stems: dict[str, Path]
    lines: tuple[PlacedLine, ...]
    gain_db: float  # the loudness gain applied to the mix and to every stem
    linear: bool  # one linear gain met loudness and true peak (so the stems sum to the mix)
    loudness: Loudness  # loudnorm's own report of the output
    duck_min_db: float  # the deepest the music went under the dialogue
    limited_db: float  # the most the limiter took off a peak (0 = untouched)
    sample_rate: int
    timings: dict[str, float] = field(default_factory=dict)


def _mixed(
    stems: Sequence[np.ndarray], limit: np.ndarray, scale: np.float32 | None = None
) -> Iterator[np.ndarray]:
    """The sum of ``stems`` × ``limit`` (× ``scale``), a chunk at a time, in the order and precision of summing
    whole scaled copies (so the stems written the same way still add up to the mix), without making them."""
    for start in range(0, len(limit), CHUNK):
        stop = start + CHUNK
        scaled = [stem[start:stop] * limit[start:stop] for stem in stems]
        yield sum(scaled) if scale is None else sum(part * scale for part in scaled)


def _lay(n: int, sample_rate: int, start_s: float, samples: np.ndarray, out: np.ndarray) -> None:
    at = round(start_s * sample_rate)
    end = min(n, at + len(samples))
    if end > at:
        out[at:end] += samples[: end - at]


def ambience_stem(
    beds: Sequence[AmbienceBed], duration_s: float, sample_rate: int, parts: PartCache | None = None
) -> np.ndarray:
    """Every bed at its place and level, faded at its edges (synthesised, or read from ``parts``)."""
    n = round(duration_s * sample_rate)
    out = np.zeros(n, dtype=np.float32)
    for bed in beds:
        end = min(duration_s, bed.end_s if bed.end_s is not None else duration_s)
        if end <= bed.start_s:
            continue
        length = round((end - bed.start_s) * sample_rate)
        raw = (
            parts.bed(bed, length, sample_rate)
            if parts is not None
            else synthesise_bed(bed.kind, end - bed.start_s, sample_rate, seed=bed.seed)
        )
        x = set_rms_db(raw, bed.level_db)
        fade = min(round(bed.fade_s * sample_rate), len(x) // 2)
        if fade:
            ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
            x[:fade] *= ramp
            x[len(x) - fade :] *= ramp[::-1]
        _lay(n, sample_rate, bed.start_s, x, out)
    return out


def music_stem(
    cues: Sequence[MusicCue], duration_s: float, sample_rate: int, parts: PartCache | None = None
) -> np.ndarray:
    """Every music cue at its in point (cut at the film's end), before ducking."""
    n = round(duration_s * sample_rate)
    out = np.zeros(n, dtype=np.float32)
    for cue in cues:
        if cue.start_s < duration_s:
            length = round((cue.end_s - cue.start_s) * sample_rate)
            samples = parts.cue(cue, length, sample_rate) if parts is not None else synthesise_cue(cue, sample_rate)
            _lay(n, sample_rate, cue.start_s, samples, out)
    return out


def mix_film(
    cues: Sequence[DialogueCue],
    *,
    ambience: Sequence[AmbienceBed] = (),
    music: Sequence[MusicCue] = (),
    duration_s: float,
    out_dir: Path,
    voices: VoiceCache,
    settings: MixSettings | None = None,
    ffmpeg: str | None = None,
    parts: PartCache | None = None,
) -> MixResult:
    """Voice ``cues``, mix them over ``ambience`` and ``music``, write ``mix.wav`` and the stems to ``out_dir``.

    Beds and cues are kept in ``parts`` (default: ``out_dir/.sound-parts``), so mixing into the same folder
    again synthesises only the ones that changed; the parts this mix did not use are removed.
    """
    if not duration_s > 0:
        raise BadRequest(f"duration_s: must be > 0, got {duration_s}")
    settings = settings or MixSettings()
    sr = settings.sample_rate
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    dialogue, placed = place_dialogue(cues, voices, duration_s, sr)
    dialogue *= duck_gain(dialogue, sr, settings.dialogue_compression)
    timings["voice"] = time.perf_counter() - t0
    t = time.perf_counter()
    parts = parts if parts is not None else PartCache(out_dir / ".sound-parts")
    beds = ambience_stem(ambience, duration_s, sr, parts)
    score = music_stem(music, duration_s, sr, parts)
    parts.prune()
    duck = duck_gain(dialogue, sr, settings.duck)
    duck_min = float(duck.min()) if len(duck) else 1.0
    score *= duck
    del duck
    stems = {"dialogue": dialogue, "ambience": beds, "music": score}
    n = len(dialogue)
    timings["synthesis"] = time.perf_counter() - t
    t = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".mix-") as work:
        premix = stems["dialogue"] + stems["ambience"] + stems["music"]  # what sum(stems.values()) adds
        premix_path = write_wav(Path(work) / "premix.wav", premix, sr)
        first = measure_r128(premix_path, ffmpeg=ffmpeg)
        if first.integrated <= -69.0:
            raise BadRequest("nothing to mix: the dialogue, ambience and music are silent")
        margin = settings.peak_margin_db
        for _attempt in range(3):
            gain_db = settings.target_lufs - first.integrated
            ceiling = 10.0 ** ((settings.true_peak_db - margin - gain_db) / 20.0)
            limit = limiter_gain(premix, sr, ceiling)
            write_wav_blocks(premix_path, _mixed(list(stems.values()), limit), sr, frames=n)
            second = measure_r128(premix_path, ffmpeg=ffmpeg)
            gain_db = settings.target_lufs - second.integrated
            if second.true_peak + gain_db <= settings.true_peak_db:  # one linear gain meets both targets
                break
            first, margin = second, margin + 1.0  # peaks between samples were higher than the margin allowed
        else:
            raise RenderFailed("the true peak stayed above the ceiling after limiting three times")
        del premix
    scale = np.float32(10.0 ** (gain_db / 20.0))
    write_wav_blocks(out_dir / "mix.wav", _mixed([stems[name] for name in STEMS], limit, scale), sr, frames=n)
    paths = {name: write_wav_blocks(out_dir / f"{name}.wav", _mixed([stems[name]], limit, scale), sr, frames=n)
             for name in STEMS}  # fmt: skip
    output = Loudness(integrated=round(second.integrated + gain_db, 1), true_peak=round(second.true_peak + gain_db, 1),
                      lra=second.lra, threshold=round(second.threshold + gain_db, 1))  # fmt: skip
    timings["loudness"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return MixResult(
        mix=out_dir / "mix.wav", stems=paths, lines=tuple(placed), gain_db=gain_db, linear=True, loudness=output, duck_min_db=float(20 * np.log10(max(duck_min, 1e-6))),
        limited_db=float(-20 * np.log10(max(float(limit.min()), 1e-6))), sample_rate=sr, timings=timings,
    )  # fmt: skip
