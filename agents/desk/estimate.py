"""Estimates before shooting: GPU-seconds, wall time on N GPUs and cost of every shot and of the film.

Why from the plan in memory and the backend's own rules: a shot renders as the production asks for it —
the settings' width and height, the shot's duration turned into the frame count the model accepts (its
frame rule at its frame rate, as the diffusers backend's ``plan_frames`` does), the preset's steps and
guidance — so the estimate prices exactly that render with the calibration table
(``agents.desk.calibration``), then multiplies by the learned ratio of measured takes when there are any
(``agents.desk.learning``) and says so.

Wall time on N GPUs: shots are independent renders, handed longest first to the GPU that frees up first
(the makespan of that schedule). The animatic runs on the CPU in one process: it costs no GPU-seconds,
and its wall time is the sum of its shots.
"""

from __future__ import annotations

import heapq

from pydantic import BaseModel, Field

from agents.desk.calibration import ANIMATIC, calibration_for
from agents.desk.learning import Learned, base_spec, learned_ratio, table_seconds
from agents.errors import EstimateUnavailable
from agents.settings import Settings
from memory.store import Store


class ShotEstimate(BaseModel):
    """One shot's render, priced."""

    shot: str
    duration_s: float
    frames: int = Field(description="Frames the backend will render (its frame rule applied to the duration).")
    width: int
    height: int
    steps: int | None = Field(description="Denoising steps; None for the animatic.")
    seconds: float = Field(description="Device seconds of this render (GPU for diffusers, CPU for the animatic), learned ratio applied.")
    cost: float = Field(description="seconds × the GPU-hour price ÷ 3600 (0 on the CPU).")


class Estimate(BaseModel):
    """A film's estimate on one backend."""

    project: str
    backend: str
    device: str = Field(description="What the table's figures were measured on.")
    uses_gpu: bool
    gpus: int
    gpu_hour_price: float
    basis: str = Field(description="Where the figures come from, in words.")
    table_seconds: float = Field(description="Device seconds from the table alone, before the learned ratio.")
    gpu_seconds: float
    wall_seconds: float
    cost: float
    learned: Learned | None = Field(description="The measured takes' correction, when there were any.")
    warnings: list[str] = Field(default_factory=list, description="What the backend will refuse at these settings (e.g. the size).")
    shots: list[ShotEstimate]

    def summary(self) -> str:
        """One paragraph a producer reads at plan approval."""
        where = f"{self.gpus} GPU{'s' if self.gpus != 1 else ''}" if self.uses_gpu else "this CPU"
        money = f", cost {self.cost:.2f} at {self.gpu_hour_price:g}/GPU-hour" if self.uses_gpu and self.gpu_hour_price else ""
        gpu = f"{self.gpu_seconds:.0f} GPU-s, " if self.uses_gpu else ""
        learned = (
            f" Corrected by ×{self.learned.ratio:g}, the median actual/estimate of {self.learned.takes} measured "
            f"take{'s' if self.learned.takes != 1 else ''} ({self.learned.scope})."
            if self.learned else " No measured takes yet: table figures only."
        )
        warnings = "".join(f" Warning: {w}." for w in self.warnings)
        return (
            f"{len(self.shots)} shots on {self.backend}: {gpu}about {_duration(self.wall_seconds)} on {where}{money}. "
            f"Basis: {self.basis}.{learned}{warnings}"
        )


def estimate_project(
    store: Store, project: str, *, backend: str, width: int, height: int, fps: float, gpus: int = 1, gpu_hour_price: float = 0.0
) -> Estimate:
    """Price every planned shot of ``project`` on ``backend`` at ``width``×``height``; see the module docstring."""
    if gpus < 1:
        raise EstimateUnavailable(f"gpus must be at least 1, got {gpus}")
    spec = base_spec(backend)
    name, _, variant = spec.partition(":")
    shots = store.shots(project)
    renders: list[tuple[str, float, int, int | None]]  # shot, duration, frames, steps
    warnings: list[str] = []
    if name == "animatic":
        uses_gpu, device, basis = False, ANIMATIC.device, ANIMATIC.basis
        renders = [(s.key, s.duration_s, max(1, round(s.duration_s * fps)), None) for s in shots]
        guidance: float | None = None
    elif name == "diffusers" and variant:
        from generator.diffusers_backend.presets import preset
        from generator.errors import BackendUnavailable, BadRequest

        row = calibration_for(variant)
        try:
            model = preset(variant)
        except BackendUnavailable as exc:
            raise EstimateUnavailable(str(exc)) from exc
        try:
            model.check_size(width, height)
        except BadRequest as exc:  # priced anyway, and said: the backend will refuse this size
            warnings.append(str(exc))
        uses_gpu, device, basis, guidance = True, row.points[0].device, row.basis, model.guidance
        renders = [(s.key, s.duration_s, model.frame_rule.nearest(round(s.duration_s * model.fps)), model.steps) for s in shots]
    else:
        raise EstimateUnavailable(f"no calibration for backend {backend!r}: the desk estimates 'animatic' and 'diffusers:PRESET'")

    learned = learned_ratio(store, project, spec)
    ratio = learned.ratio if learned else 1.0
    price = gpu_hour_price if uses_gpu else 0.0
    priced, table_total = [], 0.0
    for key, duration, frames, steps in renders:
        seconds = table_seconds(spec, width=width, height=height, frames=frames, steps=steps, guidance=guidance)
        table_total += seconds
        seconds *= ratio
        priced.append(ShotEstimate(
            shot=key, duration_s=duration, frames=frames, width=width, height=height, steps=steps,
            seconds=round(seconds, 3), cost=round(seconds * price / 3600, 4),
        ))
    device_seconds = sum(s.seconds for s in priced)
    wall = makespan([s.seconds for s in priced], gpus if uses_gpu else 1)
    return Estimate(
        project=project, backend=spec, device=device, uses_gpu=uses_gpu, gpus=gpus, gpu_hour_price=price, basis=basis,
        table_seconds=round(table_total, 3), gpu_seconds=round(device_seconds if uses_gpu else 0.0, 3),
        wall_seconds=round(wall, 3), cost=round(device_seconds * price / 3600, 4), learned=learned, warnings=warnings,
        shots=priced,
    )


def estimate_for(store: Store, settings: Settings, project: str, *, backend: str | None = None, gpus: int = 1) -> Estimate:
    """The estimate of ``project`` as this installation would shoot it (its size, frame rate and price)."""
    return estimate_project(
        store, project, backend=backend or settings.backend, width=settings.width, height=settings.height,
        fps=settings.fps, gpus=gpus, gpu_hour_price=settings.gpu_hour_price,
    )


def makespan(seconds: list[float], workers: int) -> float:
    """Wall time of independent jobs on ``workers`` machines, longest job first to the first free machine."""
    free = [0.0] * max(1, workers)
    for job in sorted(seconds, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + job)
    return max(free)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
