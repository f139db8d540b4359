"""The header above the tabs: what the project is, what waits for a person, and running the crew
(advance, decisions, stop). Long work is submitted to the ``JobRunner`` and returns at once."""

from __future__ import annotations

import contextlib
import html
from typing import Any

import gradio as gr
from pydantic import ValidationError

from agents import CreatorDecision, EstimateUnavailable, Pending, ProjectView
from ui.studio.desk import SHOWN, Desk, owned, owned_or, shown, user_of
from ui.studio.errors import BadInput
from ui.studio.page import Page
from ui.studio.progress import job_progress

NO_PROJECT = "### No project open\nCreate one from a premise, or pick one from the list."


@owned
def advance(desk: Desk, user: str | None, project: ProjectView) -> str:
    """Run (or resume) the project's graph to its next stop, in the background."""
    desk.crew_job(project.id, "the crew works on the film", lambda: desk.studio.advance(project.id))
    return "the crew is working"


@owned
def decide(
    desk: Desk, user: str | None, project: ProjectView, kind: str, shot: str | None = None,
    note: str = "", take_id: int | None = None, prompt: str | None = None,
) -> str:
    """Queue a decision (approve_plan, approve, reshoot, edit, revert); it runs after any job already queued."""
    try:
        decision = CreatorDecision(
            kind=kind, shot=shot or None, note=(note or "").strip(), take_id=int(take_id) if take_id not in (None, "") else None,  # type: ignore[arg-type]
            prompt=prompt, by=user or "creator",
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise BadInput(_first_error(exc)) from exc
    if decision.kind == "change":
        raise BadInput("story changes go through the chat")
    if decision.take_id is not None and not desk.studio.take_of_shot(project.id, decision.shot or "", decision.take_id):
        raise BadInput(f"take {decision.take_id} is not a take of {decision.shot}")
    label = {"approve_plan": "approve the plan", "approve": f"approve {shot}", "reshoot": f"reshoot {shot}",
             "edit": f"re-render {shot} with a new prompt",
             "revert": f"revert {shot} to take #{_number(desk, project.id, shot, decision.take_id)} and approve it"}[decision.kind]
    job = desk.crew_job(project.id, label, lambda: desk.studio.decide(project.id, decision), once=True)
    return f"queued: {label}" if job.state == "queued" else f"already {job.state}: {label}"


def _number(desk: Desk, project: str, shot: str | None, take_id: int | None) -> int | str:
    """A take's number within its shot (what the cards show), not its database id."""
    view = desk.studio.board(project).shot(shot or "")
    return next((t.number for t in view.takes if t.id == take_id), "?") if view else "?"


@owned
def cancel(desk: Desk, user: str | None, project: ProjectView) -> str:
    return "stopping…" if desk.jobs.cancel(project.id) else "nothing is running"


@owned
def job_state(desk: Desk, user: str | None, project: ProjectView) -> dict[str, Any]:
    """What the page polls: whether the crew is busy, the long step it is in (loading its model, cutting), what waits
    for a person, and the project status."""
    pending = desk.studio.pending(project.id)
    return {
        "busy": desk.jobs.busy(project.id),
        "running": desk.jobs.running(project.id),
        "step": step.line if (step := desk.jobs.step(project.id)) else "",
        "status": project.status,
        "pending": pending.what if pending else None,
        "shots": list(pending.shots) if pending else [],
        "log": [entry.text for entry in desk.jobs.log(project.id) if entry.kind != "render"][-20:],
    }


@owned_or(lambda: NO_PROJECT)
def header(desk: Desk, user: str | None, project: ProjectView) -> str:
    """The project's title line: status, running time, what waits for a person, what the crew is doing."""
    running = desk.jobs.running(project.id)
    premise = html.escape(project.premise, quote=True)
    lines = [f"### <span title=\"{premise}\">{html.escape(project.label)}</span>  ·  `{project.id}`",
             f"**Status:** {project.status} · **Target:** {project.target_runtime_s:g} s" + (f" · **Style:** {project.style_notes}" if project.style_notes else "")]
    if project.logline:
        lines.append(f"*{project.logline}*")
    shots = desk.studio.board(project.id).shots
    if shots:
        approved = sum(s.state == "approved" for s in shots)
        lines.append(f"**Shots:** {approved} of {len(shots)} approved" + (" · the film is cut" if project.status == "cut" else ""))
    lines.append(usage_line(desk, user))
    if on_demo_model(desk):
        lines.append(DEMO)
    if running:
        progress = desk.jobs.progress(project.id)
        done = f" — rendering {', '.join(f'{k} {v:.0%}' for k, v in sorted(progress.items()))}" if progress else ""
        lines.append(f"**Working:** {running}{done}")
        step = desk.jobs.step(project.id)
        if step is not None:  # loading the crew's model, cutting: what it does now and the seconds spent
            lines.append(f"**Now:** {step.line}" + (f" <progress value='{step.fraction:.3f}'></progress>" if step.fraction is not None else ""))
        job = job_progress(desk.jobs.log(project.id), shots)
        if job is not None and job.line:
            lines.append(f"**Progress:** {job.line}")
    else:
        pending = desk.studio.pending(project.id)
        lines.append(_pending_line(pending))
        if pending is not None and pending.what == "plan":
            lines.append(_estimate_line(desk, project.id))
    return "\n\n".join(lines)


DEMO = ("*Running on the bundled demo model (SmolLM2-135M): fine for trying the studio, not for a film. Connect a "
        "real one with `llm = \"openai:URL#MODEL\"` (any OpenAI-compatible server, e.g. vLLM) or "
        "`\"transformers:MODEL\"` in the config file, or the environment variable `DAILIES_LLM`, then restart the studio.*")


def usage_line(desk: Desk, user: str | None) -> str:
    """The user's rendered minutes this month per tier, and what is left of a quota (the producer's desk)."""
    return "**Rendered this month:** " + " · ".join(b.line() for b in desk.studio.usage(user))


def on_demo_model(desk: Desk) -> bool:
    """Whether the crew's LLM is the bundled demo model (the setting, unless a studio was given another LLM)."""
    llm = desk.studio.llm
    if llm is None:
        return desk.studio.settings.llm == "bundled"
    return str(getattr(llm, "name", "")).startswith("bundled")


def _estimate_line(desk: Desk, project: str) -> str:
    """What approving the plan will cost on the configured backend (the producer's desk), or why it is unknown."""
    try:
        return f"**Estimate:** {desk.studio.estimate(project).summary()}"
    except EstimateUnavailable as exc:
        return f"**Estimate:** none ({exc})"


def _pending_line(pending: Pending | None) -> str:
    if pending is None:
        return "Nothing waits for you."
    if pending.what == "plan":
        extra = f" ({pending.errors} grammar error(s) left — see the shot list)" if pending.errors else ""
        return f"**→ The plan waits for your approval**{extra}: read the script and shot list, then *Approve the plan*."
    return f"**→ Shots wait for your decision:** {', '.join(pending.shots)} — see the storyboard."


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return str(first.get("msg", exc)).removeprefix("Value error, ")
    return str(exc)


def build(desk: Desk, page: Page) -> None:
    """The header and the crew's buttons; they are drawn again when the board fingerprint changes."""

    def show(project: str | None, request: gr.Request):
        state = None
        with contextlib.suppress(*SHOWN):
            state = job_state(desk, user_of(request), project)
        plan_waits = bool(state and state["pending"] == "plan" and not state["busy"])
        busy = bool(state and state["busy"])
        return header(desk, user_of(request), project), gr.update(visible=plan_waits), gr.update(visible=busy)

    @shown
    def approve_plan(project: str | None, request: gr.Request) -> str:
        return decide(desk, user_of(request), project, "approve_plan")

    @shown
    def resume(project: str | None, request: gr.Request) -> str:
        return advance(desk, user_of(request), project)

    @shown
    def stop(project: str | None, request: gr.Request) -> str:
        return cancel(desk, user_of(request), project)

    head = gr.Markdown(NO_PROJECT.split("\n")[0], elem_id="header")
    with gr.Row():
        plan_btn = gr.Button("Approve the plan", variant="primary", visible=False, elem_id="approve-plan")
        resume_btn = gr.Button("Resume the crew", size="sm", elem_id="resume")
        stop_btn = gr.Button("Stop", size="sm", variant="stop", visible=False, elem_id="stop")

    page.board.change(show, [page.picker], [head, plan_btn, stop_btn], api_visibility="private", show_progress="hidden")
    plan_btn.click(approve_plan, [page.picker], [page.notice], api_visibility="private")
    resume_btn.click(resume, [page.picker], [page.notice], api_visibility="private")
    stop_btn.click(stop, [page.picker], [page.notice], api_visibility="private")
