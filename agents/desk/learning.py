"""Learning from measured takes: how far the calibration table is from what renders actually took.

Why a ratio recomputed per take and not a stored estimate: a take row keeps what made it (the request's
size, the frame count, the steps and guidance the backend used) and its measured ``timings['total']``;
the table's estimate of *that* render is recomputed from those parameters, so every take ever rendered
counts — including those made before the desk existed. The correction is the median of
actual ÷ estimate over the project's takes for the backend, else over the installation's; the median
because one cold start (model loading in the first take) must not move every later estimate.
"""

from __future__ import annotations

import statistics
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.desk.calibration import ANIMATIC, calibration_for, forwards_per_step
from agents.errors import EstimateUnavailable
from memory.models import Take
from memory.store import Store


class Learned(BaseModel):
    """The correction measured takes give the table."""

    ratio: float = Field(description="Median of actual ÷ estimated seconds over the takes counted.")
    takes: int = Field(description="How many measured takes the median is over.")
    scope: Literal["project", "installation"] = Field(description="Whose takes: this project's, or every project's.")


def base_spec(spec: str) -> str:
    """A backend spec without its options: ``'diffusers:ltx-video?compile=regional'`` → ``'diffusers:ltx-video'``."""
    return spec.split("?", 1)[0].strip().lower()


def table_seconds(backend: str, *, width: int, height: int, frames: int, steps: int | None, guidance: float | None) -> float:
    """The table's seconds for one render on ``backend`` (a base spec), before any learned correction."""
    name, _, variant = backend.partition(":")
    if name == "animatic":
        return ANIMATIC.seconds(width, height, frames)
    if name == "diffusers" and variant:
        from generator.diffusers_backend.presets import preset

        row, model = calibration_for(variant), preset(variant)
        steps = steps or model.steps
        guidance = model.guidance if guidance is None else guidance
        return steps * forwards_per_step(guidance) * row.forward_s(width, height, frames)
    raise EstimateUnavailable(f"no calibration for backend {backend!r}: the desk estimates 'animatic' and 'diffusers:PRESET'")


def take_ratio(take: Take) -> float | None:
    """actual ÷ estimate of one stored take; None when the take cannot count (no timing, failed, no size)."""
    total = take.timings.get("total")
    request: dict[str, Any] = take.parameters.get("request") or {}
    if not total or take.status == "failed" or take.frame_count <= 0 or "width" not in request:
        return None
    try:
        estimate = table_seconds(
            base_spec(take.backend), width=int(request["width"]), height=int(request["height"]), frames=take.frame_count,
            steps=_int(take.parameters.get("steps")), guidance=_float(take.parameters.get("guidance")),
        )
    except EstimateUnavailable:
        return None
    return float(total) / estimate if estimate > 0 else None


def learned_ratio(store: Store, project: str, backend: str) -> Learned | None:
    """The median actual ÷ estimate of the project's takes on ``backend``, else the installation's; None if none."""
    backend = base_spec(backend)

    def ratios(takes: list[Take]) -> list[float]:
        return [r for t in takes if base_spec(t.backend) == backend and (r := take_ratio(t)) is not None]

    own = ratios(store.takes(project))
    if own:
        return Learned(ratio=round(statistics.median(own), 4), takes=len(own), scope="project")
    every = ratios([t for p in store.projects(all_owners=True) for t in store.takes(p.id)])
    if every:
        return Learned(ratio=round(statistics.median(every), 4), takes=len(every), scope="installation")
    return None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
