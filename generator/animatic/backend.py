"""The ``animatic`` backend: renders a ``RenderRequest`` to an H.264 MP4 on the CPU in a fraction of real time.

The embedded default: every plan can be watched before any GPU time is spent. Frames come from
``frame.ShotDrawing`` (drawn once per shot) and stream straight into ffmpeg (``-preset ultrafast``).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path

from generator.animatic.frame import ShotDrawing
from generator.base import Capabilities, Progress, RenderedTake, RenderRequest
from generator.errors import BadRequest
from generator.ffmpeg_tools import Mp4Writer, find_ffmpeg
from generator.takes import render_once

MODEL = "animatic/1"
MAX_PIXELS = 1920 * 1080
MAX_FRAMES = 24 * 120


class AnimaticBackend:
    """CPU pre-visualisation. Options: ``ffmpeg`` (binary path), ``preset`` and ``crf`` of libx264, and
    ``longest_clip_s`` — the longest shot it renders in one clip (it has no model, so this is a setting:
    ``DAILIES_ANIMATIC_LONGEST_CLIP_S``, default 10 s)."""

    name = "animatic"
    #: Figures at their staged places in known colours, a static shot drawn as a still (but for a speaker's
    #: mouth, which follows the speech), no GPU.
    capabilities = Capabilities(draws_staging_marks=True, static_is_still=True, draws_speech=True, uses_gpu=False)

    def __init__(
        self, ffmpeg: str | None = None, preset: str = "ultrafast", crf: int = 23, longest_clip_s: float = 10.0
    ) -> None:
        if not (isinstance(longest_clip_s, int | float) and math.isfinite(longest_clip_s) and longest_clip_s > 0):
            raise BadRequest(f"animatic: longest_clip_s must be a positive number of seconds, got {longest_clip_s!r}")
        self.capabilities = replace(type(self).capabilities, longest_clip_s=float(longest_clip_s))
        self.ffmpeg = find_ffmpeg(ffmpeg)
        self.preset = preset
        self.crf = crf

    def check(self, request: RenderRequest) -> None:
        if request.width % 2 or request.height % 2:
            raise BadRequest(f"animatic: width and height must be even, got {request.width}x{request.height}")
        if request.width * request.height > MAX_PIXELS:
            raise BadRequest(f"animatic: {request.width}x{request.height} is larger than 1920x1080")
        if request.frame_count() > MAX_FRAMES:
            raise BadRequest(
                f"animatic: {request.frame_count()} frames is more than {MAX_FRAMES} (two minutes at 24 fps)"
            )
        ids = [s.id for s in request.staging]
        if len(set(ids)) != len(ids):
            raise BadRequest(f"animatic: a character is staged twice: {ids}")

    def render(self, request: RenderRequest, out_dir: Path, progress: Progress | None = None) -> RenderedTake:
        self.check(request)

        def produce(path: Path) -> RenderedTake:
            started = time.perf_counter()
            drawing = ShotDrawing(request)
            drawn = time.perf_counter()
            n = drawing.frames
            every = max(1, n // 20)
            with Mp4Writer(
                path,
                request.width,
                request.height,
                request.fps,
                ffmpeg=self.ffmpeg,
                preset=self.preset,
                crf=self.crf,
            ) as out:
                for i in range(n):
                    out.write(drawing.frame(i))
                    if progress is not None and (i % every == 0 or i == n - 1):
                        progress((i + 1) / n, f"frame {i + 1}/{n}")
            done = time.perf_counter()
            return RenderedTake(
                path=path, request_hash=request.key(), seed=request.seed, backend=self.name, model=MODEL,
                frame_count=n, width=request.width, height=request.height, fps=request.fps,
                timings={"draw": round(drawn - started, 4), "frames_and_encode": round(done - drawn, 4), "total": round(done - started, 4)},
                parameters={"preset": self.preset, "crf": self.crf, "shot_size": request.shot_size,
                            "camera_move": request.camera_move, "time_of_day": request.time_of_day},
            )  # fmt: skip

        return render_once(self.name, request, out_dir, produce)
