"""Speed options, resident pipelines, out-of-memory handling and casting of the diffusers backend."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from PIL import Image

from generator.diffusers_backend import loading
from generator.diffusers_backend.backend import DiffusersBackend
from generator.diffusers_backend.options import SpeedOptions
from generator.diffusers_backend.presets import PRESETS
from generator.diffusers_backend.tiny import tiny_casting_pipeline, tiny_pipeline
from generator.errors import BadRequest, OutOfMemory


def test_options_are_validated_with_the_allowed_values() -> None:
    with pytest.raises(BadRequest, match="allowed: off, regional, full"):
        SpeedOptions(compile="max")
    with pytest.raises(BadRequest, match="unknown diffusers option"):
        SpeedOptions.from_options({"turbo": True})
    with pytest.raises(BadRequest, match="mag_ratios"):
        SpeedOptions(cache="magcache")
    assert SpeedOptions().resolved_dtype() == torch.float32, "fp32 on a CPU"


@pytest.mark.slow
def test_cache_tiling_and_attention_are_applied_and_recorded(
    loader, tiny_options, request_factory, tmp_path: Path
) -> None:
    backend = DiffusersBackend("wan2.1-t2v-1.3b", loader=loader, cache="fbc", cache_threshold=0.1, vae_tiling=True,
                               attention="native", **tiny_options)  # fmt: skip
    take = backend.render(request_factory(), tmp_path)
    params = take.parameters
    assert (params["cache"], params["cache_threshold"], params["vae_tiling"], params["attention"]) == (
        "fbc",
        0.1,
        True,
        "native",
    )
    assert params["compile"] == "off" and params["cpu_offload"] == "off" and params["dtype"] == "float32"
    pipe = backend._pipeline("t2v")
    assert pipe.transformer.is_cache_enabled and pipe.vae.use_tiling


def test_progress_reports_every_step_then_done(loader, tiny_options, request_factory, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    DiffusersBackend("ltx-video", loader=loader, **tiny_options).render(
        request_factory(), tmp_path, progress=lambda f, m: seen.append((f, m))
    )
    assert [m for _, m in seen] == ["step 1/2", "step 2/2", "encoding", "done"]
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1][0] == 1.0


def test_resident_pipelines_load_once_per_key(loader) -> None:
    preset = PRESETS["wan2.1-t2v-1.3b"]
    try:
        first = loading.resident(preset, "t2v", SpeedOptions(), lambda: loader(preset, "t2v"))
        second = loading.resident(
            preset, "t2v", SpeedOptions(max_sequence_length=16), lambda: loader(preset, "t2v")
        )
        other = loading.resident(preset, "t2v", SpeedOptions(vae_tiling=True), lambda: loader(preset, "t2v"))
        assert first is second and other is not first
        assert loader.calls[("wan2.1-t2v-1.3b", "t2v")] == 2
    finally:
        loading.evict_all()


def test_out_of_memory_becomes_a_typed_error_with_settings_that_fit(
    request_factory, tiny_options, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipe = tiny_pipeline(PRESETS["wan2.1-t2v-1.3b"])

    def boom(self: Any, **kwargs: Any) -> Any:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(type(pipe), "__call__", boom)
    backend = DiffusersBackend("wan2.1-t2v-1.3b", pipelines={"t2v": pipe}, **tiny_options)
    with pytest.raises(OutOfMemory) as caught:
        backend.render(request_factory(width=832, height=480, frames=81), tmp_path)
    assert caught.value.suggestion == {
        "width": 624,
        "height": 352,
        "frames": 49,
        "cpu_offload": "model",
        "vae_tiling": True,
    }
    assert "would fit" in str(caught.value)
    assert not list(tmp_path.glob("*.mp4")) and not list(tmp_path.glob(".*"))


class FakePortraitPipeline:
    """Stands in for an image pipeline: returns a flat portrait and counts calls."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def __call__(self, *, prompt: str, width: int, height: int, **_: Any) -> Any:
        self.prompts.append(prompt)
        return SimpleNamespace(images=[Image.new("RGB", (width, height), (180, 120, 90))])


@pytest.mark.slow
def test_casting_makes_one_portrait_and_conditions_on_it(
    loader, tiny_options, request_factory, tmp_path: Path
) -> None:
    portraits = FakePortraitPipeline()
    backend = DiffusersBackend("wan2.1-t2v-14b", loader=loader, casting_pipeline=portraits, **tiny_options)
    staging = [{"id": "mara", "name": "Mara", "x": 0.3, "description": "lighthouse keeper, 60s, grey braid"}]
    first = backend.render(request_factory(staging=staging), tmp_path)
    second = backend.render(
        request_factory(staging=staging, seed=4, prompt="Mara climbs the stairs"), tmp_path
    )
    assert first.parameters["mode"] == second.parameters["mode"] == "i2v"
    assert first.parameters["identity"] == "casting:injected:mara"
    assert len(portraits.prompts) == 1 and "lighthouse keeper, 60s, grey braid" in portraits.prompts[0]
    assert len(list((tmp_path / "casting").glob("mara-*.png"))) == 1


@pytest.mark.slow
def test_casting_with_a_real_image_pipeline_class(
    loader, tiny_options, request_factory, tmp_path: Path
) -> None:
    backend = DiffusersBackend(
        "ltx-video",
        loader=loader,
        casting="pixart-sigma",
        casting_pipeline=tiny_casting_pipeline(),
        **tiny_options,
    )
    staging = [{"id": "tom", "name": "Tom", "x": 0.6, "description": "her son, 30s, wet hair"}]
    take = backend.render(request_factory(staging=staging, steps=2), tmp_path)
    assert (
        take.parameters["identity"] == "casting:pixart-sigma:tom"
        and take.parameters["casting"] == "pixart-sigma"
    )
    (portrait,) = (tmp_path / "casting").glob("tom-*.png")
    with Image.open(portrait) as img:
        assert img.size == (64, 64)


def test_options_that_change_pixels_change_the_take_file() -> None:
    assert (
        SpeedOptions().pixel_key() == "" == SpeedOptions(compile="regional", cpu_offload="model").pixel_key()
    )
    fbc = SpeedOptions(cache="fbc").pixel_key()
    assert (
        fbc
        and fbc
        != SpeedOptions(cache="fbc", cache_threshold=0.2).pixel_key()
        != SpeedOptions(dtype="fp16").pixel_key()
    )
