"""Project commands: ``new``, ``list``, ``show``, ``config``, ``delete``."""

from __future__ import annotations

from typing import Annotated

import typer

from agents import config_file, load_settings
from ui.cli.app import app
from ui.cli.output import JsonFlag, emit, fail, user_errors
from ui.cli.studio_access import open_studio


@app.command()
def new(
    premise: Annotated[str, typer.Argument(help="The film in a sentence or two.")],
    runtime: Annotated[float, typer.Option(help="Target running time in seconds.")] = 60.0,
    style: Annotated[str, typer.Option(help="Style notes, e.g. 'black and white, 1950s noir'.")] = "",
    title: Annotated[str, typer.Option(help="Working title (the writer proposes one if empty).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Start a project from a premise and print its id."""
    with user_errors():
        studio = open_studio()
        project = studio.new(premise, runtime_s=runtime, style=style, title=title)
    emit(project.model_dump(mode="json"), as_json=as_json, human=lambda: typer.echo(project.id))


@app.command("list")
def list_projects(as_json: JsonFlag = False) -> None:
    """List projects, newest first."""
    with user_errors():
        projects = open_studio().store.projects()

    def human() -> None:
        if not projects:
            typer.echo("no projects yet: start one with `dailies new \"premise\"`")
        for p in projects:
            typer.echo(f"{p.id}\t{p.status}\t{p.target_runtime_s:g}s\t{p.title or p.premise[:60]}")

    emit([p.model_dump(mode="json") for p in projects], as_json=as_json, human=human)


@app.command()
def show(project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")], as_json: JsonFlag = False) -> None:
    """Show a project: its story, cast, scenes and shots."""
    with user_errors():
        store = open_studio().store
        row = store.project(project)
        characters, scenes, shots = store.characters(project), store.scenes(project), store.shots(project)
    data = {
        "project": row.model_dump(mode="json"),
        "characters": [c.model_dump(mode="json") for c in characters],
        "scenes": [s.model_dump(mode="json") for s in scenes],
        "shots": [s.model_dump(mode="json") for s in shots],
    }

    def human() -> None:
        typer.echo(f"{row.title or '(untitled)'} [{row.id}] — {row.status}, target {row.target_runtime_s:g}s")
        typer.echo(f"premise: {row.premise}")
        if row.logline:
            typer.echo(f"logline: {row.logline}")
        for c in characters:
            typer.echo(f"  character {c.key}: {c.name} — {c.description}")
        keys = {s.id: s.key for s in scenes}
        for s in scenes:
            typer.echo(f"  scene {s.key}: {s.heading}")
        for shot in shots:
            typer.echo(f"    shot {shot.key} ({keys.get(shot.scene_id)}): {shot.size} {shot.duration_s:g}s — {shot.description}")

    emit(data, as_json=as_json, human=human)


@app.command()
def config(as_json: JsonFlag = False) -> None:
    """Print the effective settings and where each came from (env DAILIES_*, config file, default)."""
    settings = load_settings()
    sources = settings.sources()
    values = settings.model_dump(mode="json")
    values["store_url"], values["checkpoints_url"] = settings.store_url, settings.checkpoints_url

    def human() -> None:
        typer.echo(f"# config file: {config_file()}")
        for name, value in values.items():
            typer.echo(f"{name} = {value!r}    # {sources.get(name, 'derived')}")

    emit({"config_file": str(config_file()), "values": values, "sources": sources}, as_json=as_json, human=human)


@app.command()
def delete(
    project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a project for good: its story, checkpoints, takes, cuts, references and lock file."""
    with user_errors():
        studio = open_studio()
        row = studio.store.project(project)
    if not yes and not typer.confirm(f"delete {row.id} ({row.title or row.premise[:60]}) and all its takes and cuts?"):
        fail("nothing deleted", code=1)
    with user_errors():
        studio.delete_project(row.id)
    typer.echo(f"deleted {row.id}")
