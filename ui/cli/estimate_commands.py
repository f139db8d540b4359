"""``dailies estimate``: what shooting a project's plan will cost, before anything renders.

The figures come from the producer's desk (``agents.desk``): the calibration table scaled to this
installation's render size, the learned ratio of measured takes when there are any, the GPU-hour price
setting (``DAILIES_GPU_HOUR_PRICE``). Exit 1 with one ``error:`` line when the project is unknown or the
backend has no calibration.
"""

from __future__ import annotations

from typing import Annotated

import typer

from agents import EstimateUnavailable
from ui.cli.app import app
from ui.cli.output import JsonFlag, emit, user_errors
from ui.cli.studio_access import open_studio


@app.command()
def estimate(
    project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")],
    backend: Annotated[
        str | None, typer.Option("--backend", help="Backend spec to price, e.g. 'diffusers:wan2.1-t2v-1.3b'; default: the configured one.")
    ] = None,
    gpus: Annotated[int, typer.Option("--gpus", min=1, max=4096, help="GPUs the shots are spread over (wall time).")] = 1,
    as_json: JsonFlag = False,
) -> None:
    """Estimate GPU-seconds, wall time and cost of every planned shot and of the film."""
    with user_errors(EstimateUnavailable):
        studio = open_studio()
        result = studio.estimate(project, backend=backend, gpus=gpus)  # an unknown id is one error line

    def human() -> None:
        typer.echo(result.summary())
        for s in result.shots:
            steps = f"{s.steps} steps" if s.steps is not None else "CPU"
            money = f"  {s.cost:.3f}" if result.uses_gpu and result.gpu_hour_price else ""
            typer.echo(f"  {s.shot:<10} {s.duration_s:5.1f} s  {s.frames:4d} frames {s.width}x{s.height} {steps:>9}  {s.seconds:9.1f} s{money}")

    emit(result.model_dump(mode="json"), as_json=as_json, human=human)
