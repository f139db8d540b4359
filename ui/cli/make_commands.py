"""Production commands: ``make`` (premise → film), ``resume``, ``pending``, ``decide``, ``chat``.

``dailies make`` runs the whole crew on the configured LLM and backend, asking on the terminal at each
approval (or approving everything with ``--yes``), with progress, and prints the film's path last.
Everything it does goes through ``agents.Studio``; an interrupted ``make`` continues with
``dailies resume PROJECT``.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from agents import AgentError, CreatorDecision, EstimateUnavailable, Event, Pending, Studio
from ui.cli.app import app
from ui.cli.output import JsonFlag, emit, fail, user_errors
from ui.cli.studio_access import open_studio

err = Console(stderr=True)


class EventPrinter:
    """Shows the crew's events: a line per role step and verdict, a progress bar per render."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.bars: dict[str, TaskID] = {}

    def __call__(self, event: Event) -> None:
        if event.kind == "role" and event.status != "started":
            err.print(f"[bold]{event.role}[/bold] {event.status}: {event.summary}")
        elif event.kind == "role":
            err.print(f"[dim]{event.role} is working…[/dim]")
        elif event.kind == "render":
            bar = self.bars.get(event.shot)
            if bar is None:
                bar = self.bars[event.shot] = self.progress.add_task(f"shot {event.shot}", total=1.0)
            self.progress.update(bar, completed=event.fraction)
        elif event.kind == "take":
            if event.shot in self.bars:
                self.progress.update(self.bars[event.shot], completed=1.0)
            # the take's number within its shot, as the storyboard shows it (take_id is the database's running id)
            err.print(f"take ready: shot {event.shot} (take #{event.number}{', reused' if event.reused else ''})")
        elif event.kind == "verdict":
            err.print(f"critic on {event.shot}: {event.verdict} {('— ' + '; '.join(event.reasons)) if event.reasons else ''}")
        elif event.kind == "failed":
            err.print(f"[red]failed at {event.step}[/red]: {event.message}")
        elif event.kind == "cut":
            err.print(f"[green]cut:[/green] {event.path}")


def show_plan(studio: Studio, project: str, pending: Pending) -> None:
    p = studio.store.project(project)
    err.print(f"\n[bold]{p.title}[/bold] — {p.logline}")
    for c in studio.store.characters(project):
        err.print(f"  {c.name}: {c.description}")
    for shot in studio.store.shots(project):
        err.print(f"  {shot.key:8} {shot.size:6} {shot.duration_s:4.1f}s  {shot.description[:70]}")
    err.print(f"plan: {len(studio.store.shots(project))} shots, {pending.errors} grammar error(s) left")
    try:  # what approving it will cost, before anything renders (the producer's desk)
        err.print(f"estimate: {studio.estimate(project).summary()}", markup=False)
    except EstimateUnavailable as exc:
        err.print(f"estimate: none ({exc})", markup=False)


def ask(decision_for: str, yes: bool) -> str:
    """'' approves; any other answer is a note (reshoot for a shot, a change for the plan)."""
    if yes:
        return ""
    return str(typer.prompt(f"{decision_for} — press Enter to approve, or type a note", default="", show_default=False))


def drive(studio: Studio, project: str, yes: bool, printer: EventPrinter) -> None:
    """Run to the end, asking at each gate."""
    pending = studio.run(project, on_event=printer)
    while pending is not None:
        if pending.what == "plan":
            show_plan(studio, project, pending)
            note = ask("Approve the plan?", yes)
            if note:
                _, events = studio.send(project, note)
                for event in events:
                    printer(event)
                pending = studio.pending(project)
                continue
            decision = CreatorDecision(kind="approve_plan")
        else:
            shot = pending.shots[0]
            takes = studio.store.takes(project, shot)
            where = takes[-1].path if takes else "no take"
            note = ask(f"Shot {shot} ({where})", yes)
            decision = CreatorDecision(kind="reshoot", shot=shot, note=note) if note else CreatorDecision(kind="approve", shot=shot)
        for event in studio.decide(project, decision):
            printer(event)
        pending = studio.pending(project)


def finish(studio: Studio, project: str, as_json: bool) -> None:
    row = studio.store.project(project)
    cut = next((m.data["cut"] for m in reversed(studio.store.messages(project)) if "cut" in m.data), None)
    if cut is None:
        failure = next((m.content for m in reversed(studio.store.messages(project)) if "failure" in m.data), "no cut was made")
        fail(f"project {project} stopped ({row.status}): {failure}; continue with `dailies resume {project}`")
    emit({"project": project, "cut": cut, "status": row.status}, as_json=as_json, human=lambda: typer.echo(cut))


@app.command()
def make(
    premise: Annotated[str, typer.Argument(help="The film in a sentence or two.")],
    runtime: Annotated[float, typer.Option(help="Target running time in seconds.")] = 60.0,
    style: Annotated[str, typer.Option(help="Style notes, e.g. 'black and white, 1950s noir'.")] = "",
    title: Annotated[str, typer.Option(help="Working title (the writer proposes one if empty).")] = "",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Approve the plan and every shot without asking.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Make a film from a premise: plan, approve, shoot, review, cut. Prints the film's path last."""
    with user_errors(AgentError):
        studio = open_studio()
        project = studio.new(premise, runtime_s=runtime, style=style, title=title).id
        err.print(f"project {project}")
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as progress:
            drive(studio, project, yes, EventPrinter(progress))
        finish(studio, project, as_json)


@app.command()
def resume(
    project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Approve the plan and every shot without asking.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Continue a project where it stopped (after a crash, Ctrl-C, or a failure) and finish it."""
    with user_errors(AgentError):
        studio = open_studio()
        studio.store.project(project)
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as progress:
            printer = EventPrinter(progress)
            failed_at = studio.failed_at(project)
            if failed_at is not None:
                for event in studio.advance(project, reenter=failed_at):
                    printer(event)
            drive(studio, project, yes, printer)
        finish(studio, project, as_json)


@app.command()
def pending(project: Annotated[str, typer.Argument(help="Project id.")], as_json: JsonFlag = False) -> None:
    """Show what waits for a person: the plan, or which shots."""
    with user_errors(AgentError):
        waiting = open_studio().pending(project)
    data = None if waiting is None else {"what": waiting.what, "shots": list(waiting.shots), "interrupt_id": waiting.interrupt_id}
    emit(data, as_json=as_json, human=lambda: typer.echo(
        "nothing waits" if waiting is None else f"{waiting.what}: {' '.join(waiting.shots)}".strip()))


@app.command()
def decide(
    project: Annotated[str, typer.Argument(help="Project id.")],
    kind: Annotated[str, typer.Argument(help="approve_plan, approve, reshoot, edit or revert.")],
    shot: Annotated[str | None, typer.Option(help="The shot the decision is about.")] = None,
    note: Annotated[str, typer.Option(help="A note (for reshoot: it goes into the prompt).")] = "",
    prompt: Annotated[str | None, typer.Option(help="The new prompt, for edit.")] = None,
    take: Annotated[int | None, typer.Option(help="The take to go back to, for revert.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Record one decision and run on to the next stop."""
    with user_errors(AgentError, ValueError):
        decision = CreatorDecision.model_validate({"kind": kind, "shot": shot, "note": note, "prompt": prompt, "take_id": take})
        studio = open_studio()
        for _ in studio.decide(project, decision):
            pass
        waiting = studio.pending(project)
    data = {"pending": None if waiting is None else {"what": waiting.what, "shots": list(waiting.shots)}}
    emit(data, as_json=as_json, human=lambda: typer.echo(json.dumps(data["pending"])))


@app.command()
def chat(
    project: Annotated[str, typer.Argument(help="Project id.")],
    message: Annotated[str, typer.Argument(help="What you want to tell the crew.")],
    as_json: JsonFlag = False,
) -> None:
    """Tell the crew something; the producer routes it (a change, a note on a shot, approval, a question)."""
    with user_errors(AgentError):
        routing, events = open_studio().send(project, message)
    emit({"routing": routing.model_dump(), "events": [e.model_dump() for e in events]}, as_json=as_json,
         human=lambda: typer.echo(f"producer: {routing.reply}"))
