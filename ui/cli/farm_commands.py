"""Render-farm commands: ``farm start`` serves the generator backends on Ray Serve, ``farm status``, ``farm stop``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agents import GeneratorError, farm_status, load_settings, start_farm, stop_farm
from ui.cli.app import app
from ui.cli.output import emit, user_errors

farm_app = typer.Typer(
    help="A render farm on Ray Serve: the generator backends served to every studio process on one URL.",
    no_args_is_help=True,
)
app.add_typer(farm_app, name="farm")


@farm_app.command("start")
def start(
    backend: Annotated[
        list[str] | None,
        typer.Option("--backend", help="A backend spec to serve (repeat for several: animatic, diffusers:PRESET); default: DAILIES_BACKEND."),
    ] = None,
    replicas: Annotated[int, typer.Option(help="Replicas of each backend.")] = 1,
    max_replicas: Annotated[
        int | None, typer.Option(help="Autoscale each backend up to this many replicas while requests wait.")
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="Join a Ray cluster: 'auto' (the one running here) or HOST:PORT; default: start one.")
    ] = None,
    host: Annotated[str, typer.Option(help="Address the farm's HTTP entry listens on (127.0.0.1 keeps it on this machine).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the farm's HTTP entry.")] = 8000,
    data: Annotated[
        Path | None, typer.Option(help="Shared folder the takes are written to; default HOME/farm/takes.")
    ] = None,
) -> None:
    """Start (or join) a Ray cluster, serve each backend as a deployment, and print the DAILIES_BACKEND
    setting that reaches the farm (last line). The farm keeps running after this command returns."""
    settings = load_settings()
    with user_errors(GeneratorError):
        record = start_farm(
            settings, list(backend or []), replicas=replicas, max_replicas=max_replicas, address=address,
            host=host, port=port, data_dir=data,
        )  # fmt: skip
    typer.echo(f"farm serving {', '.join(record.backends)} at {record.url}; takes in {record.data_dir}", err=True)
    typer.echo(record.setting)


@farm_app.command("status")
def status(
    url: Annotated[str | None, typer.Option(help="The farm's URL; default: the one `dailies farm start` started.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Deployments, replicas, queue and takes per minute."""
    with user_errors(GeneratorError):
        report = farm_status(load_settings(), url)

    def human() -> None:
        for d in report.deployments:
            replicas = ", ".join(f"{n} {state.lower()}" for state, n in sorted(d.replicas.items())) or "none"
            typer.echo(f"{d.name:<28} {d.status:<10} replicas: {replicas}; queue: {d.in_flight}")
        typer.echo(f"takes: {report.takes_total} ({report.takes_per_minute:g} a minute over the last 5 minutes)")

    emit(report.model_dump(mode="json"), as_json=as_json, human=human)


@farm_app.command("stop")
def stop() -> None:
    """Take the farm down (and the local Ray head, when `farm start` started it)."""
    with user_errors(GeneratorError):
        record = stop_farm(load_settings())
    typer.echo(f"farm at {record.url} stopped")
