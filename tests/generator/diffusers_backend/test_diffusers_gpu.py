"""The diffusers backend on a CUDA device (skipped where there is none): bf16, speed options, OOM typing."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from generator.diffusers_backend.backend import DiffusersBackend
from generator.diffusers_backend.presets import PRESETS
from generator.diffusers_backend.tiny import tiny_pipeline
from generator.errors import OutOfMemory
from generator.ffmpeg_tools import probe

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device"),
]


@pytest.mark.parametrize("name", ["wan2.1-t2v-1.3b", "ltx-video"])
def test_tiny_pipelines_render_on_cuda_with_the_speed_options(
    name, tiny_options, request_factory, tmp_path: Path
) -> None:
    pipe = tiny_pipeline(PRESETS[name]).to(dtype=torch.bfloat16)
    backend = DiffusersBackend(
        name, pipelines={"t2v": pipe}, compile="regional", cache="fbc", vae_tiling=True, **tiny_options
    )
    take = backend.render(request_factory(), tmp_path)
    assert take.parameters["device"].startswith("cuda") and take.parameters["dtype"] == "bfloat16"
    assert take.parameters["compile"] == "regional" and take.parameters["cache"] == "fbc"
    assert probe(take.path).frames == 9


def test_a_real_cuda_out_of_memory_becomes_out_of_memory(
    tiny_options, request_factory, tmp_path: Path
) -> None:
    backend = DiffusersBackend(
        "wan2.1-t2v-1.3b", pipelines={"t2v": tiny_pipeline(PRESETS["wan2.1-t2v-1.3b"])}, **tiny_options
    )
    free, _ = torch.cuda.mem_get_info()
    # Reserving the memory happens before the backend runs: if that fails the setup is wrong, and the test
    # must say so rather than skip (a skip would also hide a backend that stopped translating OOM).
    hog = torch.empty(max(0, free - 64 * 2**20), dtype=torch.uint8, device="cuda")
    try:
        with pytest.raises(OutOfMemory) as caught:
            backend.render(request_factory(width=1024, height=1024, frames=81), tmp_path)
        assert caught.value.suggestion["width"] < 1024
    finally:
        del hog
        torch.cuda.empty_cache()
    assert not list(tmp_path.glob("*.mp4"))
