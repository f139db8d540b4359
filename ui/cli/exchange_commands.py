"""File exchange commands: ``import`` (Fountain, story bible, shot list) and ``export`` (--bible, --shots)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ui.cli.app import app
from ui.cli.output import JsonFlag, emit, fail, user_errors
from ui.cli.studio_access import open_studio


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A .fountain screenplay, a story bible .json, or a .shots.json shot list.")],
    project_id: Annotated[
        str | None, typer.Option("--id", help="Id for the new project (default: made from the title).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Import a file as a new project and print its id (last line). Nothing is written if the file is broken."""
    with user_errors():
        studio = open_studio()
        kind, project = studio.import_file(file, project_id=project_id)
        store = studio.store
        scenes = store.scenes(project.id)
        counts = {
            "characters": len(store.characters(project.id)),
            "scenes": len(scenes),
            "shots": len(store.shots(project.id)),
            "dialogue_lines": sum(len(scene.dialogue) for scene in scenes),
        }

    def human() -> None:
        described = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        typer.echo(f"imported {kind} {file.name}: {project.title or '(untitled)'} — {described}")
        typer.echo(project.id)

    emit({"kind": kind, "project": project.model_dump(mode="json"), "counts": counts}, as_json=as_json, human=human)


@app.command("export")
def export_files(
    project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")],
    bible: Annotated[Path | None, typer.Option("--bible", help="Write the whole project as a story bible JSON file here.")] = None,
    shots: Annotated[Path | None, typer.Option("--shots", help="Write the plan as a shot-list file (.shots.json) here.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that already exist.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Write a project's story bible and/or shot list; prints each written path (the last line is the last file)."""
    kinds: tuple[tuple[Literal["bible", "shots"], Path | None], ...] = (("bible", bible), ("shots", shots))
    targets = [(kind, path) for kind, path in kinds if path is not None]
    if not targets:
        fail("nothing to export: give --bible FILE, --shots FILE, or both")
    if bible is not None and shots is not None and bible.resolve() == shots.resolve():
        fail("--bible and --shots name the same file")
    for _, path in targets:
        if path.exists() and not force:
            fail(f"{path} already exists; use --force to replace it")
    written: dict[str, str] = {}
    with user_errors():
        studio = open_studio()
        for kind, path in targets:
            written[kind] = str(studio.export(project, kind, path, force=force))

    def human() -> None:
        for path in written.values():
            typer.echo(path)

    emit({"project": project, **written}, as_json=as_json, human=human)
