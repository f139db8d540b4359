"""Request and response bodies of ``/api/v1`` (OpenAPI shows these, with each field's description)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents import Pending, ProjectView
from ui.studio.progress import JobProgress
from ui.studio.steps import Step


class NewProject(BaseModel):
    premise: str = Field(min_length=1, max_length=4000, description="What the film is about, in the creator's words.")
    runtime_s: float = Field(60.0, description="Target running time in seconds (5 … the installation's maximum).")
    style: str = Field("", max_length=2000, description="Style notes, e.g. 'hand-drawn, muted colours'.")
    title: str = Field("", max_length=200)


class PendingOut(BaseModel):
    what: Literal["plan", "shots"]
    shots: list[str] = Field(description="Shots waiting for a decision (empty while the plan waits).")
    errors: int = Field(description="Grammar errors left in the plan (plan only).")

    @classmethod
    def of(cls, pending: Pending | None) -> PendingOut | None:
        return None if pending is None else cls(what=pending.what, shots=list(pending.shots), errors=pending.errors)


class StepOut(BaseModel):
    """A long step at work that is not one of the crew's events: loading the crew's model, the cut."""

    step: str = Field(description="What the step is: \"the crew's model\" or \"the cut\".")
    doing: str = Field(description="What it does now, e.g. 'converting: dequantising its tensors (step 2 of 4)'.")
    fraction: float | None = Field(
        description="Share of what it does now that is done (0…1) where the step counts it — the model's tensors "
                    "dequantised, the cut's encode; null where it cannot count (never estimated)."
    )  # fmt: skip
    elapsed_s: float = Field(description="Seconds the step has been running.")
    line: str = Field(description="The step as the studio page's header says it.")


class ProgressOut(BaseModel):
    """Where the running job stands, as the studio page's header shows it (null on an idle project)."""

    job: str = Field(description="What the crew is doing: the running job's label.")
    step: StepOut | None = Field(None, description="The long step at work, if the job is in one.")
    working: str = Field("", description="The planning role at work ('' when none).")
    roles_done: list[str] = Field(default_factory=list, description="Planning roles that finished in this job.")
    shots_shot: int = Field(0, description="Shots given a take in this job.")
    shots_left: int = Field(0, description="Shots that still need a take (planned, stale or failed).")
    eta_s: float | None = Field(None, description="Seconds left at this job's own pace per take; null before its first take.")
    rendering: dict[str, float] = Field(default_factory=dict, description="Shot id -> render share (0…1) of the shots rendering now.")
    line: str = Field("", description="The job's progress as the page's header says it.")

    @classmethod
    def of(cls, job: str, step: Step | None, progress: JobProgress | None, rendering: dict[str, float]) -> ProgressOut:
        """From what the page's header reads: the runner's step and render shares, and ``ui.studio.progress``."""
        now = None if step is None else StepOut(
            step=step.step, doing=step.message, fraction=step.fraction, elapsed_s=step.elapsed_s, line=step.line
        )
        if progress is None:
            return cls(job=job, step=now, rendering=rendering)
        return cls(job=job, step=now, rendering=rendering, working=progress.working, roles_done=list(progress.roles_done),
                   shots_shot=progress.takes, shots_left=progress.left, eta_s=progress.eta_s, line=progress.line)  # fmt: skip


class ActivityOut(BaseModel):
    """One line of a project's activity log (this server process's; the page's chat shows the same lines)."""

    seq: int = Field(description="Increasing; ask again with ``since`` = the last one seen.")
    job: int
    role: str = Field(description="Who said it: a crew role, 'camera', 'critic', 'producer', 'editor' or 'studio'.")
    text: str
    kind: str = Field(description="queued, started, step, role, render, take, verdict, waiting, cut, failed, finished, cancelled…")
    shot: str = ""
    fraction: float | None = None
    step: str = Field("", description="The long step the line is about (\"the crew's model\", \"the cut\"), if any.")
    at: datetime


class ProjectOut(BaseModel):
    id: str
    title: str
    premise: str
    logline: str
    status: str = Field(description="new, developing, planned, shooting, review, cut or failed.")
    runtime_s: float
    style: str
    updated_at: datetime
    busy: bool = Field(False, description="The crew is working on it now (planning, shooting, promoting, cutting).")
    running: str = Field("", description="What the crew is doing now ('' when idle).")
    pending: PendingOut | None = Field(None, description="What waits for the creator's decision (None: nothing).")
    progress: ProgressOut | None = Field(None, description="Where the running job stands (None when the crew is idle).")

    @classmethod
    def of(cls, view: ProjectView, **extra: object) -> ProjectOut:
        return cls.model_validate({
            "id": view.id, "title": view.title, "premise": view.premise, "logline": view.logline, "status": view.status,
            "runtime_s": view.target_runtime_s, "style": view.style_notes, "updated_at": view.updated_at, **extra,
        })


class DecisionIn(BaseModel):
    kind: Literal["approve_plan", "approve", "reshoot"] = Field(description="Approve the plan, approve a shot's take, or reshoot it.")
    shot: str | None = Field(None, description="The shot id (approve, reshoot).")
    note: str = Field("", max_length=2000, description="A note for the reshoot.")


class ChatIn(BaseModel):
    message: str = Field(min_length=1, max_length=4000)


class ChatOut(BaseModel):
    intent: str
    reply: str
    events: list[dict[str, object]] = Field(description="What the crew did (the studio's events, as JSON).")


class PromoteIn(BaseModel):
    shots: list[str] = Field(default_factory=list, description="Shot ids to promote.")
    scene: str | None = Field(None, description="Or: every shot of this scene.")
    all: bool = Field(False, description="Or: the whole film.")


class Accepted(BaseModel):
    job: int = Field(description="The job queued on the studio's runner; poll the project until it is not busy.")
    label: str


class PromoteOut(Accepted):
    shots: list[str]
    gpu_seconds: float
    wall_seconds: float
    cost: float


class CutIn(BaseModel):
    tier: Literal["draft", "final"] = "draft"


class CardTake(BaseModel):
    """The take a storyboard card shows: the approved one, else the newest finished one, else the newest."""

    id: int
    number: int
    status: str
    tier: str
    verdict: str = Field(description="The critic's newest verdict ('' before a review).")


class StoryboardCard(BaseModel):
    shot: str
    scene: str
    size: str
    duration_s: float
    description: str
    state: str = Field(description="planned, shot, approved, stale or failed (from the shot's takes).")
    take: CardTake | None = Field(description="The take on screen; null before the shot is shot.")
    takes: int = Field(description="How many takes the shot has (both tiers).")


class StoryboardOut(BaseModel):
    """One page of the storyboard in film order; ask again from ``next_offset`` for the next page."""

    total: int = Field(description="Shots in the film.")
    offset: int
    limit: int
    next_offset: int | None = Field(description="Where the next page starts; null on the last page.")
    cards: list[StoryboardCard]

    @classmethod
    def of(cls, page: Any) -> StoryboardOut:
        """From the studio's ``StoryboardPage`` (``agents.production.board``)."""
        cards = []
        for shot in page.shots:
            current = shot.current
            take = None if current is None else CardTake(
                id=current.id, number=current.number, status=current.status, tier=current.tier, verdict=current.verdict
            )
            cards.append(StoryboardCard(shot=shot.key, scene=shot.scene, size=shot.size, duration_s=shot.duration_s,
                                        description=shot.description, state=shot.state, take=take, takes=len(shot.takes)))
        return cls(total=page.total, offset=page.offset, limit=page.limit, next_offset=page.next_offset, cards=cards)
