"""``dailies render``: render the takes of a shot-list file without a project.

Why without a project: a hand-written shot list can be previewed (the animatic, in seconds), and two
backends can be compared on the same plan, without touching story memory. Every shot becomes a
``RenderRequest`` through ``agents.shots.requests.request_for_shot`` — the same compiler the crew uses —
so what you preview here is what the production would ask for.

Layout of ``--out DIR``: ``DIR/<shot id>.mp4`` per shot, ``DIR/manifest.json`` (what was rendered, with
each take's hash, frames, timings and parameters), and ``DIR/takes/`` (the content-addressed takes:
running the command again re-renders nothing that is unchanged).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agents import (
    Generator,
    GeneratorError,
    PlanScene,
    PlanShot,
    RenderedTake,
    ShotList,
    get_generator,
    load_settings,
    read_shotlist,
    request_for_shot,
    shot_seed,
)
from ui.cli.app import app
from ui.cli.output import emit, fail, user_errors

MANIFEST_FORMAT = "dailies.renders/1"
#: A shot id that is safe as a file name: no separators, no leading dot, no "..".
SAFE_SHOT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def _selected(plan: ShotList, wanted: list[str]) -> list[tuple[PlanScene, PlanShot]]:
    shots = plan.shots()
    unsafe = [shot.id for _, shot in shots if not SAFE_SHOT_ID.fullmatch(shot.id) or ".." in shot.id]
    if unsafe:
        fail(
            f"shot id(s) not usable as file names: {', '.join(map(repr, unsafe[:5]))} (letters, digits, '_', '-', '.')"
        )
    ids = [shot.id for _, shot in shots]
    if len(set(ids)) != len(ids):
        fail(f"shot ids must be unique; repeated: {sorted({i for i in ids if ids.count(i) > 1})}")
    if wanted:
        missing = [w for w in wanted if w not in ids]
        if missing:
            fail(f"no shot {', '.join(map(repr, missing))} in the file; shots: {', '.join(ids)}")
        shots = [(scene, shot) for scene, shot in shots if shot.id in wanted]
    if not shots:
        fail("the shot list has no shots to render")
    return shots


def _place(take: RenderedTake, target: Path) -> None:
    """Put the take at ``target`` (a hard link when possible, else a copy), atomically."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(take.path, tmp)
        except OSError:
            shutil.copyfile(take.path, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@app.command("render")
def render_command(
    shots_file: Annotated[
        Path, typer.Argument(help="A shot-list file (.shots.json, format dailies.shotlist/1).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for SHOT.mp4 files, manifest.json and the takes cache.")
    ],
    backend_spec: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="Generator backend, e.g. 'animatic' or 'diffusers:ltx-video'; default: the configured one.",
        ),
    ] = None,
    shot_ids: Annotated[
        list[str] | None, typer.Option("--shot", help="Render only this shot id (repeat for several).")
    ] = None,
    width: Annotated[
        int | None,
        typer.Option("--width", help="Width in pixels; default: the backend's or the configured one."),
    ] = None,
    height: Annotated[
        int | None,
        typer.Option("--height", help="Height in pixels; default: the backend's or the configured one."),
    ] = None,
    fps: Annotated[
        float | None, typer.Option("--fps", help="Frames per second; default: the configured one.")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Base seed; each shot's seed is derived from it and the shot id.")
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as one JSON document.")] = False,
) -> None:
    """Render every shot of SHOTS_FILE (or --shot ones) to OUT/<shot id>.mp4; print the manifest's path last."""
    with user_errors(GeneratorError):
        settings = load_settings()
        plan = read_shotlist(shots_file)
        selected = _selected(plan, shot_ids or [])
        spec = backend_spec or settings.backend
        options: dict[str, Any] = {"ffmpeg": settings.ffmpeg} if settings.ffmpeg else {}
        backend: Generator = get_generator(spec, **options)
        default_size = getattr(backend, "default_size", None) or (settings.width, settings.height)
        size = (width or default_size[0], height or default_size[1])
        requests = [
            (scene, shot, request_for_shot(plan, scene, shot, width=size[0], height=size[1], fps=fps or settings.fps,
                                           seed=shot_seed(seed, shot.id)))
            for scene, shot in selected
        ]  # fmt: skip
        for _, shot, request in requests:  # refuse before rendering anything
            try:
                backend.check(request)
            except GeneratorError as exc:
                fail(f"shot {shot.id}: {exc}")
        out.mkdir(parents=True, exist_ok=True)
        entries = _render_all(backend, requests, out, quiet=as_json)
    manifest = {
        "format": MANIFEST_FORMAT, "source": str(shots_file.resolve()), "title": plan.title, "backend": backend.name,
        "width": size[0], "height": size[1], "shots": entries,
        "duration_s": round(sum(e["duration_s"] for e in entries), 3),
    }  # fmt: skip
    manifest_path = out / "manifest.json"
    _write_json(manifest_path, manifest)

    def human() -> None:
        for e in entries:
            flag = "reused" if e["reused"] else f"{e['seconds']:.2f} s"
            typer.echo(f"{e['shot']}: {e['file']} ({e['frames']} frames, {flag})")
        typer.echo(str(manifest_path))

    emit(manifest, as_json=as_json, human=human)


def _render_all(
    backend: Generator, requests: list[tuple[PlanScene, PlanShot, Any]], out: Path, *, quiet: bool
) -> list[dict[str, Any]]:
    console = Console(stderr=True)
    entries = []
    with Progress(
        TextColumn("[bold]render[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=console, transient=True, disable=quiet or not console.is_terminal,
    ) as bar:  # fmt: skip
        task = bar.add_task("starting", total=len(requests))
        for n, (scene, shot, request) in enumerate(requests):

            def report(fraction: float, message: str, n: int = n, shot_id: str = shot.id) -> None:
                bar.update(task, completed=n + fraction, description=f"{shot_id}: {message}")

            take = backend.render(request, out / "takes", progress=report)
            target = out / f"{shot.id}.mp4"
            _place(take, target)
            bar.update(task, completed=n + 1)
            entries.append({
                "shot": shot.id, "scene": scene.id, "file": str(target), "frames": take.frame_count, "fps": take.fps,
                "duration_s": round(take.duration_s, 3), "seconds": take.timings.get("total", 0.0), "reused": take.reused,
                "take": take.model_dump(mode="json", exclude={"reused"}), "request": request.model_dump(mode="json"),
            })  # fmt: skip
    return entries
