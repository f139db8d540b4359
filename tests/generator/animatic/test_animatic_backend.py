"""The animatic backend as a renderer: files, progress, idempotence, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.animatic import AnimaticBackend
from generator.errors import BadRequest
from generator.ffmpeg_tools import probe


def test_render_writes_an_h264_mp4_with_the_asked_frames(request_factory, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    take = AnimaticBackend().render(
        request_factory(frames=18), tmp_path, progress=lambda f, m: seen.append((f, m))
    )
    info = probe(take.path)
    assert (info.frames, info.width, info.height, info.fps) == (18, 320, 180, 12.0)
    assert take.frame_count == 18 and take.model == "animatic/1" and not take.reused
    assert seen and seen[-1][0] == pytest.approx(1.0)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    assert take.path.with_suffix(".json").is_file()


def test_duration_and_fps_give_the_frame_count(request_factory, tmp_path: Path) -> None:
    take = AnimaticBackend().render(request_factory(frames=None, duration_s=1.5, fps=8), tmp_path)
    assert probe(take.path).frames == 12


def test_same_request_renders_once(request_factory, tmp_path: Path) -> None:
    backend = AnimaticBackend()
    first = backend.render(request_factory(), tmp_path)
    stamp = first.path.stat().st_mtime_ns
    second = backend.render(request_factory(), tmp_path)
    assert second.reused and second.path == first.path and second.path.stat().st_mtime_ns == stamp
    third = backend.render(request_factory(seed=8), tmp_path)
    assert third.path != first.path and not third.reused


@pytest.mark.parametrize(
    "overrides",
    [
        {"width": 321},
        {"width": 4000, "height": 4000},
        {"staging": [{"id": "mara", "x": 0.2}, {"id": "mara", "x": 0.8}]},
    ],
)
def test_bad_requests_are_refused_and_write_nothing(request_factory, tmp_path: Path, overrides) -> None:
    with pytest.raises(BadRequest):
        AnimaticBackend().render(request_factory(**overrides), tmp_path)
    assert not any(tmp_path.iterdir())
