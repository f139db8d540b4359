"""``dailies cut``: the final cut of a project, with subtitles and an editable timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from agents import AgentError, GeneratorError
from ui.cli.app import app
from ui.cli.output import emit, fail, user_errors
from ui.cli.studio_access import open_studio


@app.command()
def cut(
    project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the film and its sidecars; default: the data folder's cuts/PROJECT/."
        ),
    ] = None,
    burn_in: Annotated[
        bool, typer.Option("--burn-in", help="Also draw the subtitles into the picture.")
    ] = False,
    allow_unapproved: Annotated[
        bool,
        typer.Option(
            "--allow-unapproved",
            help="Rough cut: use the newest finished take of shots that have no approved take.",
        ),
    ] = False,
    tier: Annotated[
        str, typer.Option("--tier", help="'draft' (the production's takes) or 'final' (promoted takes; drafts where none).")
    ] = "draft",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")] = False,
) -> None:
    """Cut the approved takes into PROJECT.mp4 with .srt, .vtt and .otio beside it; print the film's path last."""
    if tier not in ("draft", "final"):
        fail(f"--tier: 'draft' or 'final', not {tier!r}")
    with user_errors(GeneratorError, AgentError):
        studio = open_studio()
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]cut[/bold]"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
            disable=as_json or not console.is_terminal,
        ) as bar:
            task = bar.add_task("starting", total=1.0)
            result = studio.cut(
                project,
                out_dir=out,
                progress=lambda fraction, message: bar.update(task, completed=fraction, description=message),
                allow_unapproved=allow_unapproved,
                burn_in=burn_in,
                tier="final" if tier == "final" else "draft",
            )
    data = {
        "project": result.project_id,
        "video": str(result.video),
        "srt": str(result.srt),
        "vtt": str(result.vtt),
        "otio": str(result.otio),
        "exports": {name: str(path) for name, path in result.exports.items()},
        "duration_s": result.duration_s,
        "shots": [
            {"shot": s.shot_id, "take": s.take_number, "approved": s.approved, "duration_s": s.duration_s}
            for s in result.shots
        ],
        "normalised": list(result.normalised),
        "reused": list(result.reused),
        "notes": list(result.notes),
        "cut_reused": result.cut_reused,
    }

    def human() -> None:
        typer.echo(f"{len(result.shots)} shots, {result.duration_s:.2f} s")
        typer.echo(f"re-encoded {len(result.normalised)} take(s), reused {len(result.reused)} from the cache")
        if result.cut_reused:
            typer.echo("nothing changed since the last cut: the film is as it was")
        for note in result.notes:
            typer.echo(f"note: {note}")
        for path in (result.srt, result.vtt, result.otio, *result.exports.values()):
            typer.echo(f"  {path}")
        typer.echo(str(result.video))

    emit(data, as_json=as_json, human=human)
