"""WAV in and out: 32-bit float WAV files written by hand, any audio read back through ffmpeg.

Why float WAV: the stems must sum to the mix exactly, and an editor remixing them wants no quantisation
or clipping below the final gain; 16-bit PCM would add both. The stdlib ``wave`` module writes integer
PCM only, hence the 44-byte header here (``WAVE_FORMAT_IEEE_FLOAT``, which ffmpeg and every DAW read).
Reading goes through ffmpeg, so any file a user brings (MP4 with AAC, MP3, WAV) decodes the same way.
"""

from __future__ import annotations

import os
import struct
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from generator.errors import UnreadableMedia
from generator.ffmpeg_tools import find_ffmpeg, temp_path_for

_IEEE_FLOAT = 3


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> Path:
    """Write mono (N,) or multichannel (N, C) float samples as a float32 WAV, atomically."""
    data = np.asarray(samples, dtype="<f4")
    channels = 1 if data.ndim == 1 else data.shape[1]
    return write_wav_blocks(path, [data], sample_rate, frames=len(data), channels=channels)


def write_wav_blocks(
    path: Path, blocks: Iterable[np.ndarray], sample_rate: int, *, frames: int, channels: int = 1
) -> Path:
    """Write ``frames`` float samples that arrive in ``blocks`` (in order) as a float32 WAV, atomically.

    Why blocks: the mix and its stems of a ten-minute film are written from gain curves a chunk at a time,
    so the scaled copies of the film never exist whole. ``ValueError`` if the blocks do not add up to
    ``frames`` (nothing is left at ``path`` then).
    """
    size = frames * channels * 4
    header = b"RIFF" + struct.pack("<I", 4 + 26 + 12 + 8 + size) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHHH", 18, _IEEE_FLOAT, channels, sample_rate,
                                    sample_rate * channels * 4, channels * 4, 32, 0)  # fmt: skip
    header += b"fact" + struct.pack("<II", 4, frames)
    header += b"data" + struct.pack("<I", size)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(path)
    written = 0
    try:
        with open(tmp, "wb") as handle:
            handle.write(header)
            for block in blocks:
                data = np.ascontiguousarray(block, dtype="<f4")
                data.tofile(handle)  # from the array itself: no bytes copy of a film-length stem
                written += data.size
        if written != frames * channels:
            raise ValueError(f"blocks held {written} samples, {frames * channels} were announced")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_audio(path: Path, sample_rate: int = 48_000, *, ffmpeg: str | None = None) -> np.ndarray:
    """Decode the first audio stream of ``path`` to mono float32 at ``sample_rate``.

    ffmpeg writes the samples to a temporary file that is read back once: through a pipe, a ten-minute
    track was held three times over (the pipe's chunks, their join, the array's copy).
    """
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise UnreadableMedia(f"no audio file at {path} (missing or empty)")
    with tempfile.TemporaryDirectory(prefix="dailies-audio-") as scratch:
        raw = Path(scratch) / "samples.f32"
        cmd = [ffmpeg or find_ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path),
               "-map", "0:a:0", "-ac", "1", "-ar", str(sample_rate), "-f", "f32le", str(raw)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, check=False)
        if done.returncode != 0:
            raise UnreadableMedia(
                f"cannot decode audio from {path}: {done.stderr.decode('utf-8', 'replace')[-500:]}"
            )
        return np.fromfile(raw, dtype="<f4")
