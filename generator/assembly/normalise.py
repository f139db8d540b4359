"""Conform every take to one format before cutting, once per take, cached by content.

Why normalise first: ``xfade`` and ``concat`` need inputs with equal frame rate, size, pixel format,
time base, sample rate and channel layout (PITFALLS), and takes come from different backends at
different sizes, some without sound. Each take is converted to:

- the film's frame rate (``fps`` filter), its size — square pixels first (anamorphic takes are widened),
  then scaled to fit, aspect kept, the rest padded black (letterbox or pillarbox) — and ``yuv420p``;
- 48 kHz (the edit list's rate) stereo; a take without sound gets a silent track (``anullsrc``);
- exactly ``frames_needed(duration)`` frames: a long take is trimmed, a short one holds its last frame
  (``tpad``), its sound padded with silence (``apad``).

Mismatched sizes are therefore *not* an error: a 4:3 take in a 16:9 film is pillarboxed. Only a take
that is missing, empty or not decodable is refused (``TakeMissing``/``TakeUnreadable``, naming the shot).

The intermediate files are H.264 (CRF 16, near-transparent) with 16-bit PCM sound in a QuickTime
container: PCM, not AAC, so no encoder priming delay creeps in at the joins and the sound is encoded
lossily only once, in the final cut. Files are named by the sha256 of (the take's bytes, the conform
parameters, ``NORMALISE_VERSION``): re-cutting after one take changes re-encodes that take only.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from generator.errors import GeneratorError, TakeMissing, TakeUnreadable
from generator.ffmpeg_tools import probe, run_ffmpeg, temp_path_for

#: Bump when the conversion below changes, so cached files made the old way are not reused.
NORMALISE_VERSION = 2


@dataclass(frozen=True)
class Conform:
    """The one format every item of a cut is converted to."""

    width: int
    height: int
    fps: int
    sample_rate: int

    def samples(self, frames: int) -> int:
        return round(frames * self.sample_rate / self.fps)


def intermediate_output_args(conform: Conform) -> dict[str, Any]:
    """ffmpeg output options shared by normalised takes and cards (so they concatenate and cross-fade)."""
    return {
        "c:v": "libx264", "preset": "veryfast", "crf": 16, "pix_fmt": "yuv420p", "r": conform.fps,
        "c:a": "pcm_s16le", "ar": conform.sample_rate, "ac": 2, "f": "mov",
    }  # fmt: skip


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_key(content_digest: str, conform: Conform, frames: int, kind: str = "take") -> str:
    data = {
        "v": NORMALISE_VERSION,
        "kind": kind,
        "content": content_digest,
        "frames": frames,
        **asdict(conform),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:40]


def check_take(shot_id: str, path: Path) -> None:
    """Refuse a missing, non-file or zero-byte take before any work starts."""
    if not path.exists():
        raise TakeMissing(f"shot {shot_id!r}: its take {path} does not exist", shot_id=shot_id)
    if not path.is_file():
        raise TakeMissing(f"shot {shot_id!r}: its take {path} is not a file", shot_id=shot_id)
    if path.stat().st_size == 0:
        raise TakeMissing(f"shot {shot_id!r}: its take {path} is empty (0 bytes)", shot_id=shot_id)


@dataclass(frozen=True)
class Normalised:
    """A conformed take: where it is, whether it was encoded now (False: reused from the cache)."""

    shot_id: str
    path: Path
    frames: int
    encoded: bool
    source_duration_s: float
    source_had_audio: bool


def normalise_take(
    shot_id: str, source: Path, frames: int, conform: Conform, cache_dir: Path, *, ffmpeg_exe: str
) -> Normalised:
    """The cached conformed copy of ``source`` holding ``frames`` frames; encode it if missing.

    Raises ``TakeMissing`` or ``TakeUnreadable`` naming ``shot_id``.
    """
    check_take(shot_id, source)
    try:
        digest = file_digest(source)
    except OSError as exc:
        raise TakeUnreadable(
            f"shot {shot_id!r}: cannot read its take {source}: {exc}", shot_id=shot_id
        ) from exc
    target = cache_dir / f"{cache_key(digest, conform, frames)}.mov"
    meta = target.with_suffix(".json")
    info = _cached(target, meta)
    if info is not None:
        return Normalised(
            shot_id, target, frames, False, float(info["source_duration_s"]), bool(info["source_had_audio"])
        )
    try:
        source_info = probe(source, ffmpeg=ffmpeg_exe)
    except GeneratorError as exc:
        raise TakeUnreadable(
            f"shot {shot_id!r}: its take {source} cannot be read as video: {exc}", shot_id=shot_id
        ) from exc
    if source_info.frames == 0:
        raise TakeUnreadable(f"shot {shot_id!r}: its take {source} holds no video frames", shot_id=shot_id)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(target)
    args = conform_args(source, tmp, frames, conform, has_audio=source_info.has_audio)
    try:
        run_ffmpeg(args, ffmpeg=ffmpeg_exe)
        os.replace(tmp, target)
    except GeneratorError as exc:
        raise TakeUnreadable(
            f"shot {shot_id!r}: ffmpeg could not convert its take {source}: {exc}", shot_id=shot_id
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    info = {
        "source": str(source),
        "source_duration_s": source_info.duration_s,
        "source_had_audio": source_info.has_audio,
    }
    meta_tmp = temp_path_for(meta)
    meta_tmp.write_text(json.dumps(info), encoding="utf-8")
    os.replace(meta_tmp, meta)  # the JSON appears last: a cache entry with JSON is complete
    return Normalised(shot_id, target, frames, True, source_info.duration_s, source_info.has_audio)


def conform_args(source: Path, dest: Path, frames: int, conform: Conform, *, has_audio: bool) -> list[str]:
    """ffmpeg arguments (without the binary) that conform ``source`` into ``dest`` (see the module doc)."""
    w, h = conform.width, conform.height
    inp = ffmpeg.input(str(source))
    video = (
        inp.video.filter("fps", fps=conform.fps)
        .filter("scale", "trunc(iw*sar/2)*2", "ih")  # anamorphic takes: square pixels first
        .filter("setsar", 1)
        .filter("scale", w, h, force_original_aspect_ratio="decrease", flags="bicubic")
        .filter("pad", w, h, "(ow-iw)/2", "(oh-ih)/2", color="black")
        .filter("setsar", 1)
        .filter("format", "yuv420p")
        .filter("tpad", stop=-1, stop_mode="clone")
        .filter("trim", end_frame=frames)
        .filter("setpts", "PTS-STARTPTS")
    )
    samples = conform.samples(frames)
    if has_audio:
        audio = (
            inp.audio.filter("aresample", conform.sample_rate, first_pts=0)
            .filter("aformat", sample_fmts="s16", channel_layouts="stereo")
            .filter("apad")
        )
    else:
        audio = ffmpeg.input(f"anullsrc=r={conform.sample_rate}:cl=stereo", f="lavfi").audio
    audio = audio.filter("atrim", end_sample=samples).filter("asetpts", "PTS-STARTPTS")
    out = ffmpeg.output(video, audio, str(dest), **intermediate_output_args(conform))
    return list(out.global_args("-loglevel", "error").compile(cmd="ffmpeg"))[1:]


def _cached(target: Path, meta: Path) -> dict[str, Any] | None:
    """The cache entry's description, or None when the entry is missing or incomplete (then it is redone)."""
    if not (target.is_file() and meta.is_file()):
        return None
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        float(info["source_duration_s"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info if isinstance(info, dict) else None
