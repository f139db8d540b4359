"""One ffmpeg run that joins the conformed items into the film: cuts, dissolves, fades, subtitles.

Why one filter graph (ffmpeg-python) and not the concat demuxer: ``-f concat -c copy`` drifts (PITFALLS:
9.02 s for three 3 s clips) and cannot dissolve. Here every item is trimmed to its frame count from
``plan.py`` and put on a ``1/fps`` time base, so frame numbers are exact; runs of cuts go through the
``concat`` filter, a dissolve joins what came before with ``xfade`` (video) and ``acrossfade`` (sound)
at a frame-exact offset, and a dip to black is a ``fade``/``afade`` pair on the two items. The result
is encoded once: H.264 (yuv420p, CRF 20) and AAC at the edit list's sample rate, soft subtitles as a
``mov_text`` stream, ``+faststart`` so it plays while downloading.

Burnt-in subtitles use libass (the ``subtitles`` filter) with the font from ``fonts.find_font``; ffmpeg
runs inside a scratch folder that holds ``subs.srt`` and ``fonts/`` so no path is escaped into the graph.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ffmpeg

from generator.assembly.plan import CutPlan
from generator.errors import RenderFailed

#: Last part of ffmpeg's stderr quoted in errors.
_STDERR_TAIL = 1500


def compose_args(
    plan: CutPlan,
    inputs: Mapping[str, Path],
    dest: Path,
    *,
    subtitles: str | None,
    burn_in: Mapping[str, str] | None,
    title: str,
    language: str,
    soundtrack: str | None = None,
) -> list[str]:
    """ffmpeg arguments (without the binary) that make the film at ``dest``.

    ``inputs`` maps item names to conformed files. ``subtitles`` is the path of an ``.srt`` to mux as a
    soft stream (None: no subtitle stream). ``burn_in`` holds ``subtitles`` filter options (file name
    and font folder relative to the working folder, force_style) to draw them into the picture.
    """
    fps, rate = plan.fps, plan.sample_rate
    pending: list[Any] = []  # alternating video, audio streams of a run of cuts
    video: Any = None
    audio: Any = None
    length = 0  # frames of what has been joined so far

    def flush() -> None:
        nonlocal video, audio, pending
        if not pending:
            return
        if video is not None:
            pending = [video, audio, *pending]
        if len(pending) == 2:
            video, audio = pending
        else:
            joined = ffmpeg.concat(*pending, v=1, a=1).node
            # concat's output runs on a microsecond time base; xfade needs both inputs on the same one.
            video, audio = joined[0].filter("settb", f"1/{fps}"), joined[1]
        pending = []

    sources = _sources([str(inputs[item.name]) for item in plan.items])
    for item, (source_video, source_audio) in zip(plan.items, sources, strict=True):
        v = (
            source_video.filter("trim", end_frame=item.frames)
            .filter("setpts", "PTS-STARTPTS")
            .filter("settb", f"1/{fps}")
        )
        a = source_audio.filter("atrim", end_sample=plan.samples(item.frames)).filter(
            "asetpts", "PTS-STARTPTS"
        )
        if item.fade_in:
            v = v.filter("fade", type="in", start_frame=0, nb_frames=item.fade_in)
            a = a.filter("afade", type="in", start_time=0, duration=_seconds(item.fade_in, fps))
        if item.fade_out:
            v = v.filter("fade", type="out", start_frame=item.frames - item.fade_out, nb_frames=item.fade_out)
            a = a.filter(
                "afade", type="out", start_time=_seconds(item.frames - item.fade_out, fps),
                duration=_seconds(item.fade_out, fps),
            )  # fmt: skip
        if item.overlap_in:
            flush()
            offset = length - item.overlap_in
            video = ffmpeg.filter(
                [video, v],
                "xfade",
                transition="fade",
                duration=_seconds(item.overlap_in, fps),
                offset=_seconds(offset, fps),
            )
            audio = ffmpeg.filter(
                [audio, a], "acrossfade", nb_samples=plan.samples(item.overlap_in), c1="tri", c2="tri"
            )
            length += item.frames - item.overlap_in
        else:
            pending += [v, a]
            length += item.frames
    flush()
    if burn_in is not None:
        video = video.filter("subtitles", **burn_in)
    if soundtrack is not None:
        # The mix replaces the takes' audio; mono to both channels at −3 dB each, so the stereo film
        # measures the mix's loudness (EBU R128 sums the channels' power).
        total = plan.samples(plan.total_frames)
        mono = (
            ffmpeg.input(soundtrack).audio.filter("aresample", rate).filter("apad", whole_len=total)
            .filter("atrim", end_sample=total).filter("volume", "-3.0103dB")
            .filter("aformat", sample_fmts="fltp", channel_layouts="mono")
        )
        sides = mono.filter_multi_output("asplit", 2)
        mix = ffmpeg.filter([sides[0], sides[1]], "amerge", inputs=2).filter("aformat", channel_layouts="stereo")
        # The takes' own audio is silenced, not dropped: an unconsumed filter output would become a second
        # audio stream of the film.
        audio = ffmpeg.filter(
            [mix, audio.filter("volume", 0).filter("aformat", channel_layouts="stereo")], "amix", inputs=2, normalize=0, duration="first", dropout_transition=0
        )
    streams: list[Any] = [video.filter("format", "yuv420p"), audio]
    options: dict[str, Any] = {
        "c:v": "libx264", "preset": "medium", "crf": 20, "pix_fmt": "yuv420p", "r": fps, "fps_mode": "cfr",
        "c:a": "aac", "b:a": "160k", "ar": rate, "ac": 2,
        "movflags": "+faststart", "metadata": f"title={title}", "f": "mp4",
    }  # fmt: skip
    if subtitles is not None:
        streams.append(ffmpeg.input(subtitles, f="srt")["s"])
        options.update({"c:s": "mov_text", "metadata:s:s:0": f"language={language}"})
    out = ffmpeg.output(*streams, str(dest), **options)
    return list(out.global_args("-loglevel", "error").compile(cmd="ffmpeg"))[1:]


def _sources(paths: list[str]) -> list[tuple[Any, Any]]:
    """The video and sound stream of each path, in order; a file used twice is opened once and split.

    Why: two items can be the same conformed file (two shots whose takes have the same bytes share one
    cache entry). ffmpeg-python identifies nodes by their arguments, so two identical inputs with
    identical trims would collapse into one node with two consumers, which ffmpeg refuses without
    ``split``/``asplit``.
    """
    uses: dict[str, int] = {}
    for path in paths:
        uses[path] = uses.get(path, 0) + 1
    opened: dict[str, tuple[Any, Any]] = {}
    taken: dict[str, int] = {}
    result: list[tuple[Any, Any]] = []
    for path in paths:
        if path not in opened:
            source = ffmpeg.input(path)
            if uses[path] == 1:
                opened[path] = (source.video, source.audio)
            else:
                opened[path] = (
                    source.video.filter_multi_output("split", uses[path]),
                    source.audio.filter_multi_output("asplit", uses[path]),
                )
        video, audio = opened[path]
        if uses[path] == 1:
            result.append((video, audio))
        else:
            index = taken.get(path, 0)
            taken[path] = index + 1
            result.append((video.stream(index), audio.stream(index)))
    return result


def _seconds(frames: int, fps: int) -> str:
    """A frame count as seconds, exact enough that ffmpeg rounds it back to the same frame."""
    return f"{frames / fps:.6f}"


def run_with_progress(
    args: list[str], *, ffmpeg_exe: str, total_s: float, cwd: Path | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> None:  # fmt: skip
    """Run ffmpeg, reporting the fraction of ``total_s`` encoded so far; a failure becomes ``RenderFailed``."""
    cmd = [ffmpeg_exe, "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1", *args]
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(
            cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL
        ) as proc:
            assert proc.stdout is not None
            try:
                for raw in proc.stdout:
                    key, _, value = raw.decode("ascii", "replace").strip().partition("=")
                    if key == "out_time_us" and on_progress is not None and value.isdigit() and total_s > 0:
                        on_progress(min(1.0, int(value) / 1e6 / total_s))
            except BaseException:  # a progress callback that raises (cancel, Ctrl-C) stops ffmpeg too
                proc.kill()
                raise
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-_STDERR_TAIL:].strip()
            raise RenderFailed(f"ffmpeg failed (exit {code}) while cutting the film: {tail}")
