"""ffmpeg helpers: atomic MP4 writing, probing without ffprobe, decoding frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.errors import BackendUnavailable, BadRequest, RenderFailed
from generator.ffmpeg_tools import Mp4Writer, find_ffmpeg, probe, read_frames, run_ffmpeg, write_mp4


def ramp(n: int, h: int = 36, w: int = 64) -> list[np.ndarray]:
    return [np.full((h, w, 3), 20 * i, np.uint8) for i in range(n)]


def test_write_probe_and_decode_round_trip(tmp_path: Path) -> None:
    path = write_mp4(ramp(10), tmp_path / "clip.mp4", width=64, height=36, fps=24)
    info = probe(path)
    assert (info.width, info.height, info.frames, info.fps) == (64, 36, 10, 24.0)
    assert info.duration_s == pytest.approx(10 / 24, abs=1e-3) and not info.has_audio
    frames = read_frames(path)
    assert frames.shape == (10, 36, 64, 3)
    assert np.allclose(frames[:, 10, 10, 0], [20 * i for i in range(10)], atol=4)
    assert read_frames(path, every=3).shape[0] == 4 and read_frames(path, max_frames=2).shape[0] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"], "no temporary file is left behind"


def test_an_error_while_writing_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "broken.mp4"
    with pytest.raises(ZeroDivisionError), Mp4Writer(target, 64, 36, 24) as out:
        out.write(ramp(1)[0])
        raise ZeroDivisionError
    assert not any(tmp_path.iterdir())


def test_wrong_frames_and_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BadRequest, match="even"):
        Mp4Writer(tmp_path / "odd.mp4", 63, 36, 24)
    with pytest.raises(BadRequest, match="frame must be"), Mp4Writer(tmp_path / "x.mp4", 64, 36, 24) as out:
        out.write(np.zeros((36, 64, 4), np.uint8))
    with pytest.raises(BadRequest, match="no frames"):
        write_mp4([], tmp_path / "empty.mp4", width=64, height=36, fps=24)
    assert not any(tmp_path.iterdir())


def test_probe_refuses_what_is_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(BadRequest, match="no video file"):
        probe(tmp_path / "missing.mp4")
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    with pytest.raises(BadRequest):
        probe(text)


def test_find_ffmpeg_uses_the_configured_binary_or_says_what_is_wrong(tmp_path: Path) -> None:
    bundled = find_ffmpeg()
    assert Path(bundled).is_file()
    assert find_ffmpeg(bundled) == bundled
    with pytest.raises(BackendUnavailable, match="not found"):
        find_ffmpeg(tmp_path / "no-such-ffmpeg")


def test_run_ffmpeg_turns_failures_into_render_failed(tmp_path: Path) -> None:
    with pytest.raises(RenderFailed, match="ffmpeg failed"):
        run_ffmpeg(["-i", tmp_path / "missing.mp4", tmp_path / "out.mp4"])
