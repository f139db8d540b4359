"""How many shots render (and are measured by the critic) at once: the graph's ``max_concurrency``.

Why a setting with an automatic default: the dispatch node fans out one ``shoot`` branch per shot
(``Send``), and LangGraph runs a superstep's branches on a thread pool as wide as ``max_concurrency``.
Unbounded, 139 shots of a ten-minute film would start 139 renders at once: the animatic's ffmpeg
encoders would share two cores and hold every frame buffer in memory together, and diffusers renders
would queue for one GPU inside the process. The useful width is the device count: the CPU cores for
the CPU animatic, one per GPU for a GPU backend (a model fills its GPU). ``render_workers`` overrides it.
"""

from __future__ import annotations

import os

from agents.settings import Settings


def visible_gpus(environ: dict[str, str] | None = None) -> int:
    """GPUs this process may use, from ``CUDA_VISIBLE_DEVICES`` when set, else by asking torch (0 without it)."""
    env = os.environ if environ is None else environ
    visible = env.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return len([d for d in visible.split(",") if d.strip() and d.strip() != "-1"])
    try:
        import torch
    except ImportError:
        return 0
    return int(torch.cuda.device_count())


def render_workers(settings: Settings, *, cpus: int | None = None, gpus: int | None = None) -> int:
    """Renders at once: ``settings.render_workers`` when set (> 0), else one per GPU for a GPU backend, else the CPU cores."""
    if settings.render_workers > 0:
        return settings.render_workers
    if settings.backend.startswith("diffusers"):
        return max(1, visible_gpus() if gpus is None else gpus)
    return max(1, (os.cpu_count() or 1) if cpus is None else cpus)
