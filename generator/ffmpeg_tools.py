"""ffmpeg in three calls: find the binary, write frames to an H.264 MP4, and look inside a video file.

Why a module of our own instead of ``ffmpeg.probe``: the ffmpeg that installs from PyPI (imageio-ffmpeg)
ships no ``ffprobe``, so every probe here parses ``ffmpeg -i`` output or decodes frames. The whole
generator package (backends, the critic's measurements, the editor's assembly) uses these helpers so
there is one place that knows how ffmpeg is called.

The API, small on purpose::

    exe = find_ffmpeg(settings.ffmpeg)            # configured path, else $DAILIES_FFMPEG-style argument, else bundled
    with Mp4Writer(path, width, height, fps, ffmpeg=exe) as out:   # atomic: temp name, then os.replace
        for frame in frames:                       # H×W×3 uint8 RGB
            out.write(frame)
    info = probe(path, ffmpeg=exe)                 # VideoInfo(width, height, fps, frames, duration_s, has_audio)
    frames = read_frames(path, ffmpeg=exe)         # N×H×W×3 uint8 RGB (decodes the whole file: keep clips small)
    run_ffmpeg(["-i", src, ..., dst], ffmpeg=exe)  # any other invocation, errors become RenderFailed

Every failure is a ``generator.errors`` exception naming the file and ffmpeg's own last words.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from generator.errors import BackendUnavailable, BadRequest, RenderFailed

_STDERR_TAIL = 1500


def find_ffmpeg(explicit: str | os.PathLike[str] | None = None) -> str:
    """The ffmpeg binary to use: ``explicit`` (a path or a command name) if given, else imageio-ffmpeg's.

    ``agents`` passes ``Settings.ffmpeg`` (env ``DAILIES_FFMPEG``) here; the generator never reads the
    environment itself. Raises ``BackendUnavailable`` when nothing runnable is found.
    """
    if explicit:
        candidate = str(explicit)
        found = shutil.which(candidate) or (
            candidate if Path(candidate).is_file() and os.access(candidate, os.X_OK) else None
        )
        if not found:
            raise BackendUnavailable(
                f"ffmpeg not found at {candidate!r} (the configured ffmpeg); fix the path or unset it"
            )
        return found
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise BackendUnavailable("no ffmpeg: install imageio-ffmpeg or configure DAILIES_FFMPEG") from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # pragma: no cover - broken wheel
        raise BackendUnavailable(f"imageio-ffmpeg has no usable ffmpeg binary: {exc}") from exc


def run_ffmpeg(
    args: Sequence[str | os.PathLike[str]], *, ffmpeg: str | None = None, timeout: float | None = None
) -> str:
    """Run ``ffmpeg -hide_banner -nostdin -y ARGS`` and return its stderr; a failure becomes ``RenderFailed``."""
    exe = ffmpeg or find_ffmpeg()
    cmd = [exe, "-hide_banner", "-nostdin", "-y", *map(str, args)]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RenderFailed(f"ffmpeg timed out after {timeout} s: {' '.join(cmd[4:])}") from exc
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise RenderFailed(f"ffmpeg failed (exit {done.returncode}): {err[-_STDERR_TAIL:].strip()}")
    return err


def temp_path_for(path: Path) -> Path:
    """The temporary name a file is written under before ``os.replace`` moves it into place.

    Same folder (so the rename is atomic), hidden, keeps the suffix (ffmpeg picks the container from it).
    """
    return path.with_name(f".{path.stem}.{os.getpid()}.part{path.suffix}")


class Mp4Writer:
    """Stream RGB frames into ffmpeg's stdin; the MP4 appears at ``path`` only when complete.

    H.264, yuv420p (plays everywhere), ``+faststart`` (playable while downloading). ``preset`` trades
    encode speed for size: the animatic uses ``ultrafast``. Width and height must be even (yuv420p).
    On any exception inside the ``with`` block, or an ffmpeg failure, the temporary file is removed and
    nothing exists at ``path`` that was not there before.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        width: int,
        height: int,
        fps: float,
        *,
        ffmpeg: str | None = None,
        preset: str = "veryfast",
        crf: int = 20,
        threads: int | None = None,
    ) -> None:
        if width <= 0 or height <= 0 or width % 2 or height % 2:
            raise BadRequest(f"video size {width}x{height} must be positive and even (H.264 yuv420p)")
        if fps <= 0:
            raise BadRequest(f"fps must be > 0, got {fps}")
        self.path = Path(path)
        self.width, self.height, self.fps = width, height, fps
        self.frames_written = 0
        self._exe = ffmpeg or find_ffmpeg()
        self._tmp = temp_path_for(self.path)
        self._args = [
            self._exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{fps}", "-i", "pipe:0",
            "-an", "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
            *(["-threads", str(threads)] if threads else []),
            "-movflags", "+faststart", str(self._tmp),
        ]  # fmt: skip
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Mp4Writer:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._proc = subprocess.Popen(
            self._args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        return self

    def write(self, frame: np.ndarray) -> None:
        """Append one H×W×3 uint8 RGB frame."""
        if frame.shape != (self.height, self.width, 3) or frame.dtype != np.uint8:
            raise BadRequest(
                f"frame must be uint8 {self.height}x{self.width}x3, got {frame.dtype} {frame.shape}"
            )
        assert self._proc is not None and self._proc.stdin is not None, "use Mp4Writer as a context manager"
        try:
            self._proc.stdin.write(np.ascontiguousarray(frame).data)
        except BrokenPipeError as exc:
            raise RenderFailed(f"ffmpeg stopped while writing {self.path.name}: {self._stderr()}") from exc
        self.frames_written += 1

    def write_all(self, frames: Iterable[np.ndarray]) -> None:
        for frame in frames:
            self.write(frame)

    def _stderr(self) -> str:
        if self._proc is None or self._proc.stderr is None:
            return ""
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        return self._proc.stderr.read().decode("utf-8", "replace")[-_STDERR_TAIL:].strip()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
            if exc_type is not None:
                proc.kill()
                proc.wait()
                return
            err = self._stderr()
            if proc.returncode != 0:
                raise RenderFailed(f"ffmpeg failed (exit {proc.returncode}) writing {self.path.name}: {err}")
            if self.frames_written == 0:
                raise BadRequest(f"no frames were written to {self.path.name}")
            os.replace(self._tmp, self.path)
        finally:
            if proc.stderr is not None:
                proc.stderr.close()
            self._tmp.unlink(missing_ok=True)


def write_mp4(
    frames: Iterable[np.ndarray], path: str | os.PathLike[str], *, width: int, height: int, fps: float,
    ffmpeg: str | None = None, preset: str = "veryfast", crf: int = 20,
) -> Path:  # fmt: skip
    """Encode ``frames`` (H×W×3 uint8 RGB) to ``path`` atomically; return the path."""
    with Mp4Writer(path, width, height, fps, ffmpeg=ffmpeg, preset=preset, crf=crf) as out:
        out.write_all(frames)
    return Path(path)


@dataclass(frozen=True)
class VideoInfo:
    """What ``probe`` learns about a video file without ffprobe."""

    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    has_audio: bool


_VIDEO_STREAM = re.compile(r"Stream #\d+:\d+.*?: Video: (?P<rest>.*)")
_SIZE = re.compile(r"(?<![0-9a-fx])(\d{2,5})x(\d{2,5})(?![0-9a-fx])")
_FPS = re.compile(r"([\d.]+) (?:fps|tbr)")
_DURATION = re.compile(r"Duration: (\d+):(\d+):([\d.]+)")
_FRAME_COUNT = re.compile(r"frame=\s*(\d+)")


def probe(path: str | os.PathLike[str], *, ffmpeg: str | None = None) -> VideoInfo:
    """Size, frame rate, exact frame count and duration of a video file.

    Reads the header with ``ffmpeg -i``, then counts frames by remuxing the video stream to the null
    muxer (``-c copy``: no decoding, so it is fast even for long files). Raises ``BadRequest`` when the
    file is missing or holds no video stream.
    """
    src = Path(path)
    if not src.is_file():
        raise BadRequest(f"no video file at {src}")
    exe = ffmpeg or find_ffmpeg()
    header = subprocess.run(
        [exe, "-hide_banner", "-nostdin", "-i", str(src)], capture_output=True, check=False
    )
    text = header.stderr.decode("utf-8", "replace")
    stream = _VIDEO_STREAM.search(text)
    if stream is None:
        raise BadRequest(f"{src.name} has no video stream: {text[-300:].strip()}")
    size = _SIZE.search(stream.group("rest"))
    fps = _FPS.search(stream.group("rest"))
    if size is None:
        raise BadRequest(f"cannot read the frame size of {src.name}")
    counted = run_ffmpeg(["-i", src, "-map", "0:v:0", "-c", "copy", "-f", "null", "-"], ffmpeg=exe)
    counts = _FRAME_COUNT.findall(counted)
    frames = int(counts[-1]) if counts else 0
    rate = float(fps.group(1)) if fps else 0.0
    dur = _DURATION.search(text)
    duration = int(dur.group(1)) * 3600 + int(dur.group(2)) * 60 + float(dur.group(3)) if dur else 0.0
    if rate > 0 and frames:
        duration = frames / rate
    return VideoInfo(
        width=int(size.group(1)), height=int(size.group(2)), fps=rate, frames=frames,
        duration_s=round(duration, 6), has_audio=" Audio: " in text,
    )  # fmt: skip


def read_frames(
    path: str | os.PathLike[str], *, ffmpeg: str | None = None, every: int = 1, max_frames: int | None = None
) -> np.ndarray:
    """Decode a video to an N×H×W×3 uint8 RGB array (all frames, or every ``every``-th, at most ``max_frames``).

    Decodes into memory: meant for short clips and tests, not feature films.
    """
    info = probe(path, ffmpeg=ffmpeg)
    exe = ffmpeg or find_ffmpeg()
    args = [exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:v:0"]
    if every > 1:
        args += ["-vf", f"select='not(mod(n\\,{every}))'", "-fps_mode", "passthrough"]
    if max_frames is not None:
        args += ["-frames:v", str(max_frames)]
    args += ["-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    done = subprocess.run(args, capture_output=True, check=False)
    if done.returncode != 0:
        raise RenderFailed(
            f"ffmpeg could not decode {Path(path).name}: {done.stderr.decode('utf-8', 'replace')[-_STDERR_TAIL:]}"
        )
    frame_bytes = info.width * info.height * 3
    count = len(done.stdout) // frame_bytes
    return np.frombuffer(done.stdout, dtype=np.uint8, count=count * frame_bytes).reshape(
        count, info.height, info.width, 3
    )
