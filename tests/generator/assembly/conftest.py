"""Fixtures for the editor's assembly: tiny takes made with ffmpeg's lavfi sources, and ways to look inside a cut.

Everything works with imageio-ffmpeg's binary alone (no ffprobe): streams are read from ``ffmpeg -i``,
frames and sound are decoded to raw arrays.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from generator.ffmpeg_tools import find_ffmpeg, read_frames

#: Colours of the test takes, as RGB, for checking which take a frame of the cut comes from.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (255, 0, 0),
    "blue": (0, 0, 255),
    "green": (0, 128, 0),
    "yellow": (255, 255, 0),
    "white": (255, 255, 255),
}


@dataclass
class Media:
    """Make takes and inspect cuts with one ffmpeg binary."""

    exe: str

    def make_clip(
        self, path: Path, colour: str, *, size: str = "160x90", fps: int = 24, seconds: float = 1.0,
        tone: float | None = 440.0,
    ) -> Path:  # fmt: skip
        """A solid-colour take (``tone`` None: no audio stream at all)."""
        args = [self.exe, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", f"color=c={colour}:s={size}:r={fps}:d={seconds}"]  # fmt: skip
        if tone is not None:
            args += ["-f", "lavfi", "-i", f"sine=f={tone}:d={seconds}:sample_rate=44100"]
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        args += ["-c:a", "aac", "-shortest"] if tone is not None else []
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([*args, str(path)], check=True, capture_output=True)
        return path

    def streams(self, path: Path) -> list[str]:
        """Codec of every stream, e.g. ['video:h264', 'audio:aac', 'subtitle:mov_text']."""
        text = subprocess.run(
            [self.exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True
        ).stderr
        return [
            f"{kind.lower()}:{codec}"
            for kind, codec in re.findall(r"Stream #\d+:\d+.*?: (Video|Audio|Subtitle): (\w+)", text)
        ]

    def header(self, path: Path) -> str:
        return subprocess.run(
            [self.exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True
        ).stderr

    def frames(self, path: Path) -> np.ndarray:
        return read_frames(path, ffmpeg=self.exe)

    def audio(self, path: Path, rate: int = 48_000) -> np.ndarray:
        """The sound as an N×2 int16 array at ``rate``."""
        done = subprocess.run(
            [self.exe, "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:a:0",
             "-f", "s16le", "-ac", "2", "-ar", str(rate), "pipe:1"],
            capture_output=True, check=True,
        )  # fmt: skip
        return np.frombuffer(done.stdout, dtype=np.int16).reshape(-1, 2)

    @staticmethod
    def colour_of(frame: np.ndarray) -> str:
        """Name of the test colour nearest to the centre of ``frame`` (or 'black')."""
        h, w, _ = frame.shape
        centre = frame[h // 3 : 2 * h // 3, w // 3 : 2 * w // 3].reshape(-1, 3).mean(axis=0)
        palette = {**COLOURS, "black": (0, 0, 0)}
        return min(palette, key=lambda name: float(np.abs(centre - np.array(palette[name])).sum()))

    def subtitle_track(self, path: Path) -> str:
        """The soft subtitle stream of a film, converted back to SubRip."""
        done = subprocess.run(
            [self.exe, "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:s:0", "-f", "srt", "pipe:1"],
            capture_output=True, check=True, text=True,
        )  # fmt: skip
        return done.stdout


@pytest.fixture(scope="session")
def media() -> Media:
    return Media(find_ffmpeg())


@pytest.fixture(scope="session")
def takes(tmp_path_factory: pytest.TempPathFactory, media: Media) -> dict[str, Path]:
    """Four takes that differ in everything normalisation must fix: size, aspect, frame rate, sound."""
    folder = tmp_path_factory.mktemp("takes")
    return {
        "red": media.make_clip(folder / "red.mp4", "red", size="160x90", fps=24, seconds=1.5),
        "blue": media.make_clip(folder / "blue.mp4", "blue", size="120x90", fps=30, seconds=1.0, tone=None),
        "green": media.make_clip(
            folder / "green.mp4", "green", size="200x200", fps=25, seconds=2.0, tone=220.0
        ),
        "yellow": media.make_clip(
            folder / "yellow.mp4", "yellow", size="320x180", fps=24, seconds=0.5, tone=880.0
        ),
    }
