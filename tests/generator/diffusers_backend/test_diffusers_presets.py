"""Every preset's real pipeline class renders a real MP4 end to end on the CPU from tiny components."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diffusers_backend.backend import DiffusersBackend
from generator.diffusers_backend.presets import PRESETS, FrameRule
from generator.errors import BackendUnavailable, BadRequest
from generator.ffmpeg_tools import probe


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_renders_once_end_to_end(
    name, loader, tiny_options, request_factory, reference_png, tmp_path: Path
) -> None:
    preset = PRESETS[name]
    refs = {} if preset.t2v is not None else {"mara": reference_png}
    backend = DiffusersBackend(name, loader=loader, **tiny_options)
    request = request_factory(references=refs)
    take = backend.render(request, tmp_path / "takes")
    info = probe(take.path)
    assert (info.frames, info.width, info.height, info.fps) == (9, 64, 64, 8.0)
    expected = (preset.t2v or preset.i2v).cls  # type: ignore[union-attr]
    assert take.parameters["pipeline"] == expected and take.backend == f"diffusers:{name}"
    assert take.parameters["steps"] == 2 and take.model.startswith(("Wan-AI/", "Lightricks/", "THUDM/"))
    again = backend.render(request, tmp_path / "takes")
    assert again.reused and again.path == take.path
    assert sum(loader.calls.values()) == 1, "the pipeline is loaded once and stays resident"


@pytest.mark.parametrize("name", [n for n, p in PRESETS.items() if p.i2v is not None and p.t2v is not None])
def test_a_reference_image_switches_to_image_to_video(
    name, loader, tiny_options, request_factory, reference_png, tmp_path: Path
) -> None:
    backend = DiffusersBackend(name, loader=loader, **tiny_options)
    take = backend.render(request_factory(references={"mara": reference_png}), tmp_path)
    assert take.parameters["mode"] == "i2v"
    assert take.parameters["pipeline"] == PRESETS[name].i2v.cls  # type: ignore[union-attr]
    assert take.parameters["identity"] == "reference:mara"
    assert probe(take.path).frames == 9


def test_a_preset_without_image_to_video_keeps_the_prompt_identity(
    loader, tiny_options, request_factory, reference_png, tmp_path
) -> None:
    take = DiffusersBackend("cogvideox-2b", loader=loader, **tiny_options).render(
        request_factory(references={"mara": reference_png}), tmp_path
    )
    assert take.parameters["mode"] == "t2v" and take.parameters["identity"] is None


def test_image_to_video_only_preset_needs_a_reference(
    loader, tiny_options, request_factory, tmp_path: Path
) -> None:
    with pytest.raises(BadRequest, match="image-to-video only"):
        DiffusersBackend("wan2.1-i2v-14b-480p", loader=loader, **tiny_options).render(
            request_factory(), tmp_path
        )
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("name", "overrides", "message"),
    [
        ("wan2.1-t2v-1.3b", {"frames": 10}, "4k\\+1"),
        ("ltx-video", {"frames": 13}, "8k\\+1"),
        ("ltx-video", {"width": 48}, "multiples of 32"),
        ("wan2.1-t2v-1.3b", {"height": 72}, "multiples of 16"),
        ("wan2.1-t2v-14b", {"references": {"mara": "/nonexistent/mara.png"}}, "not found"),
    ],
)
def test_requests_outside_the_models_rules_are_refused(
    name, overrides, message, loader, tiny_options, request_factory, tmp_path
) -> None:
    with pytest.raises(BadRequest, match=message):
        DiffusersBackend(name, loader=loader, **tiny_options).render(request_factory(**overrides), tmp_path)
    assert not any(tmp_path.iterdir()) and not loader.calls, "refused before loading anything"


def test_duration_becomes_the_nearest_valid_count_at_the_native_rate(loader, request_factory) -> None:
    wan = DiffusersBackend("wan2.1-t2v-1.3b", loader=loader)
    assert wan.plan_frames(request_factory(frames=None, duration_s=5.0, fps=24)) == (81, 16.0)
    ltx = DiffusersBackend("ltx-video", loader=loader)
    assert ltx.plan_frames(request_factory(frames=None, duration_s=5.0, fps=24)) == (121, 24.0)


def test_frame_rule() -> None:
    rule = FrameRule(4)
    assert [n for n in range(1, 20) if rule.valid(n)] == [5, 9, 13, 17]
    assert rule.nearest(64) == 65 and rule.nearest(2) == 5


def test_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(BackendUnavailable, match=r"available: wan2\.1-t2v-1\.3b"):
        DiffusersBackend("sora-2")


def test_request_options_reach_the_pipeline_only_when_it_takes_them(
    loader, tiny_options, request_factory, tmp_path: Path
) -> None:
    backend = DiffusersBackend("cogvideox-2b", loader=loader, **tiny_options)
    take = backend.render(
        request_factory(options={"use_dynamic_cfg": True, "reference_strength": 0.8, "prompt": "x"}), tmp_path
    )
    assert take.parameters["request_options"] == {"use_dynamic_cfg": True}
    assert take.parameters["ignored_options"] == ["prompt", "reference_strength"]
