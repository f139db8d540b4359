"""bench/gpu_render.py times stock and our backend the same way and checks they make the same pixels.

Run on tiny random-weight pipelines on the CPU (no downloads): the clock stamps every step on both sides,
the pixel check says 'same' for identical settings and 'not same' when one setting differs, and the tiny
lines are labelled smoke, never a speed-up.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from bench import gpu_render
from generator.diffusers_backend.presets import PRESETS
from generator.diffusers_backend.tiny import TINY_MAX_SEQUENCE_LENGTH, tiny_pipeline

PRESET = PRESETS["wan2.1-t2v-1.3b"]
STEPS = 3


@pytest.fixture
def args() -> argparse.Namespace:
    return argparse.Namespace(width=64, height=64, frames=9, fps=16, guidance=5.0, device="cpu")


@pytest.fixture
def pipe() -> Any:
    return tiny_pipeline(PRESET)


@pytest.mark.slow
def test_both_sides_are_timed_by_the_same_synchronised_step_clock(pipe: Any, args: argparse.Namespace, tmp_path: Path) -> None:
    clock = gpu_render.StepClock(pipe, args.device)
    shot, per_step = gpu_render.run_stock(pipe, clock, PRESET, args, steps=STEPS, seed=1, msl=TINY_MAX_SEQUENCE_LENGTH)
    assert len(clock.marks) == STEPS and 0 < per_step < shot
    backend = gpu_render.DiffusersBackend(PRESET.name, pipelines={"t2v": pipe}, device="cpu", max_sequence_length=TINY_MAX_SEQUENCE_LENGTH)
    shot, per_step = gpu_render.run_ours(backend, clock, args, tmp_path, steps=STEPS, seed=2)
    assert len(clock.marks) == STEPS and 0 < per_step < shot  # ours' steps are stamped by the bench's clock too


@pytest.mark.slow
def test_identical_settings_give_bit_identical_pixels(pipe: Any, args: argparse.Namespace) -> None:
    clock = gpu_render.StepClock(pipe, args.device)
    check = gpu_render.pixel_check(pipe, clock, PRESET, args, steps=STEPS, seed=7, msl=TINY_MAX_SEQUENCE_LENGTH)
    assert check["same_pixels"] is True and check["max_abs_diff"] == 0.0
    assert check["decoded_shape"][-1] == args.width and clock.keep_pixels is False


@pytest.mark.slow
def test_the_pixel_check_sees_a_backend_that_renders_differently(
    pipe: Any, args: argparse.Namespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    class OffBySeed(gpu_render.DiffusersBackend):
        def render(self, request: Any, out_dir: Path, progress: Any = None) -> Any:
            return super().render(request.model_copy(update={"seed": request.seed + 1}), out_dir, progress)

    monkeypatch.setattr(gpu_render, "DiffusersBackend", OffBySeed)
    clock = gpu_render.StepClock(pipe, args.device)
    check = gpu_render.pixel_check(pipe, clock, PRESET, args, steps=STEPS, seed=7, msl=TINY_MAX_SEQUENCE_LENGTH)
    assert check["same_pixels"] is False and check["max_abs_diff"] > 0


def test_a_tiny_cpu_line_is_a_smoke_ratio_not_a_speedup() -> None:
    results = {"stock": 2.0}
    tiny = gpu_render.summarise("ours", [(1.0, 0.1)], results, 2, 1e-3, 1.0, tiny=True)
    assert tiny["speedup_vs_stock"] is None and tiny["smoke"] is True and tiny["smoke_time_ratio_vs_stock"] == 2.0
    real = gpu_render.summarise("ours", [(1.0, 0.1)], results, 2, 1e-3, 1.0, tiny=False)
    assert real["speedup_vs_stock"] == 2.0 and "smoke" not in real
