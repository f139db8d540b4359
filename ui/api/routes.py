"""The endpoints of ``/api/v1``. Each takes the caller (``auth.User``) and answers for that user's projects only.

Long work goes to the studio's job runner and answers at once (201 for a new project, 202 for the rest):
planning after ``POST /projects``, shooting after a decision, promotion, cutting. Everything a job would
refuse is checked before it is queued — a refused premise (422), nothing pending (409), over quota (429) —
so an error is an HTTP answer, never a failed job nobody reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from agents import Balance, CreatorDecision, CutEvent, Estimate, Studio
from ui.api.auth import User
from ui.api.errors import ApiError
from ui.api.schemas import (
    Accepted,
    ActivityOut,
    ChatIn,
    ChatOut,
    CutIn,
    DecisionIn,
    NewProject,
    PendingOut,
    ProgressOut,
    ProjectOut,
    PromoteIn,
    PromoteOut,
    StoryboardOut,
)
from ui.studio.jobs import JobRunner
from ui.studio.progress import job_progress
from ui.studio.steps import CUT_FIRST, CUT_STEP, Step, crew_work, run_step

router = APIRouter()


def _studio(request: Request) -> Studio:
    studio: Studio = request.app.state.studio
    return studio


def _jobs(request: Request) -> JobRunner:
    jobs: JobRunner = request.app.state.jobs
    return jobs


def owned(request: Request, user: str, project: str) -> ProjectOut:
    """The caller's project, or 404 — the same 404 whether it does not exist or belongs to someone else."""
    view = _studio(request).project_for(project, user)
    if view is None:
        raise ApiError(404, f"no project {project!r}")
    studio, jobs = _studio(request), _jobs(request)
    busy = jobs.busy(project)
    pending = None if busy else studio.pending(project)
    return ProjectOut.of(view, busy=busy, running=jobs.running(project), pending=PendingOut.of(pending),
                         progress=progress_of(request, project))  # fmt: skip


def progress_of(request: Request, project: str) -> ProgressOut | None:
    """The running job's progress, read as the page's header reads it (None when no job runs)."""
    jobs = _jobs(request)
    running = jobs.running(project)
    if not running:
        return None
    shots = _studio(request).board(project).shots
    return ProgressOut.of(running, jobs.step(project), job_progress(jobs.log(project), shots), jobs.progress(project))


# ---------------------------------------------------------------------------------------------- projects
@router.post("/projects", status_code=201, response_model=ProjectOut, summary="Create a project; the crew starts planning")
def create_project(body: NewProject, request: Request, user: User) -> ProjectOut:
    studio = _studio(request)
    project = studio.new(body.premise, runtime_s=body.runtime_s, style=body.style, title=body.title, owner=user)
    _jobs(request).submit(project.id, "planning", crew_work(studio, lambda: studio.advance(project.id)))
    return owned(request, user, project.id)


@router.get("/projects", response_model=list[ProjectOut], summary="The caller's projects, newest first")
def list_projects(request: Request, user: User) -> list[ProjectOut]:
    return [owned(request, user, view.id) for view in _studio(request).projects(user)]


@router.get("/projects/{project}", response_model=ProjectOut, summary="A project: status, whether the crew is busy, what waits")
def get_project(project: str, request: Request, user: User) -> ProjectOut:
    return owned(request, user, project)


@router.get("/projects/{project}/plan", summary="The shot list (the shot-list file format)")
def plan(project: str, request: Request, user: User) -> dict[str, Any]:
    owned(request, user, project)
    return _studio(request).shot_list(project).model_dump(mode="json")


@router.get("/projects/{project}/outline", summary="Logline and scenes: heading, summary and screenplay")
def outline(project: str, request: Request, user: User) -> dict[str, Any]:
    view = owned(request, user, project)
    board = _studio(request).board(project)
    scenes = [{"id": s.key, "heading": s.heading, "location": s.location, "summary": s.summary, "screenplay": s.screenplay}
              for s in board.scenes]  # fmt: skip
    return {"title": view.title, "logline": view.logline, "scenes": scenes}


@router.get("/projects/{project}/storyboard", response_model=StoryboardOut, summary="One page of the storyboard's cards")
def storyboard(
    project: str, request: Request, user: User,
    offset: int = Query(0, ge=0, description="First card (0 = the film's first shot)."),
    limit: int = Query(24, ge=1, le=100, description="Cards on the page."),
) -> StoryboardOut:
    owned(request, user, project)
    return StoryboardOut.of(_studio(request).storyboard(project, offset=offset, limit=limit))


@router.get("/projects/{project}/activity", response_model=list[ActivityOut], summary="The crew's activity log, oldest first")
def activity(
    project: str, request: Request, user: User,
    since: int = Query(0, ge=0, description="Only lines after this ``seq`` (0 = every line this server still keeps)."),
) -> list[ActivityOut]:
    owned(request, user, project)
    return [ActivityOut(seq=e.seq, job=e.job, role=e.role, text=e.text, kind=e.kind, shot=e.shot, fraction=e.fraction,
                        step=e.step, at=datetime.fromtimestamp(e.at, UTC)) for e in _jobs(request).log(project, since)]  # fmt: skip


# ---------------------------------------------------------------------------------------------- decisions and chat
@router.get("/projects/{project}/pending", response_model=PendingOut, summary="What waits for a decision (409: nothing)")
def pending(project: str, request: Request, user: User) -> PendingOut:
    found = owned(request, user, project).pending
    if found is None:
        raise ApiError(409, "nothing waits for a decision on this project right now")
    return found


@router.post("/projects/{project}/decisions", status_code=202, response_model=Accepted, summary="Decide; the crew runs on")
def decide(project: str, body: DecisionIn, request: Request, user: User) -> Accepted:
    if owned(request, user, project).busy:
        raise ApiError(409, "the crew is still working on this project; decide when it is done")
    studio = _studio(request)
    decision = CreatorDecision(kind=body.kind, shot=body.shot, note=body.note)
    waiting = studio.check_decision(project, decision)  # 409 before anything is queued
    work = crew_work(studio, lambda: studio.decide(project, decision, interrupt_id=waiting.interrupt_id))
    job = _jobs(request).submit(project, f"decision: {body.kind}", work)
    return Accepted(job=job.id, label=job.label)


@router.post("/projects/{project}/chat", response_model=ChatOut, summary="A message to the crew (moderated: 422 names the category)")
def chat(project: str, body: ChatIn, request: Request, user: User) -> ChatOut:
    if owned(request, user, project).busy:
        raise ApiError(409, "the crew is still working on this project; write when it is done")
    routing, events = _studio(request).send(project, body.message)
    return ChatOut(intent=routing.intent, reply=routing.reply, events=[e.model_dump(mode="json") for e in events])


# ---------------------------------------------------------------------------------------------- the desk
@router.get("/projects/{project}/estimate", response_model=Estimate, summary="GPU-seconds, wall time and cost of shooting the plan")
def estimate(
    project: str, request: Request, user: User,
    backend: str | None = Query(None, description="Backend spec, e.g. 'diffusers:wan2.1-t2v-1.3b'; default: the installation's."),
    gpus: int = Query(1, ge=1, le=4096, description="GPUs the shots are spread over."),
) -> Estimate:
    owned(request, user, project)
    return _studio(request).estimate(project, backend=backend, gpus=gpus)


@router.post("/projects/{project}/promote", status_code=202, response_model=PromoteOut,
             summary="Render shots, a scene or the film again at the final tier (429 over quota)")  # fmt: skip
def promote(project: str, body: PromoteIn, request: Request, user: User) -> PromoteOut:
    if owned(request, user, project).busy:
        raise ApiError(409, "the crew is still working on this project; promote when it is done")
    studio, which = _studio(request), {"shots": body.shots, "scene": body.scene, "whole": body.all}
    cost = studio.promotion_estimate(project, **which)  # type: ignore[arg-type]
    studio.check_promotion(project, **which)  # type: ignore[arg-type]  # 409 / 429 before anything is queued

    def work() -> list[Any]:
        studio.promote(project, **which)  # type: ignore[arg-type]
        return []

    job = _jobs(request).submit(project, "promotion to final", work)
    return PromoteOut(job=job.id, label=job.label, shots=[s.shot for s in cost.shots], gpu_seconds=cost.gpu_seconds,
                      wall_seconds=cost.wall_seconds, cost=cost.cost)  # fmt: skip


@router.get("/usage", response_model=list[Balance], summary="The caller's rendered minutes and quota this month, per tier")
def usage(request: Request, user: User, month: str | None = Query(None, pattern=r"^\d{4}-\d{2}$")) -> list[Balance]:
    return _studio(request).usage(user, month)


@router.get("/usage/{who}", response_model=list[Balance], summary="A user's usage (only the caller's own: 403 otherwise)")
def usage_of(who: str, request: Request, user: User) -> list[Balance]:
    if who != user:
        raise ApiError(403, "a key reads its own user's usage only; an operator runs `dailies usage USER`")
    return _studio(request).usage(user)


# ---------------------------------------------------------------------------------------------- takes and the film
@router.get("/projects/{project}/takes", summary="Every shot's takes, both tiers, with the critic's verdicts")
def takes(project: str, request: Request, user: User) -> list[dict[str, Any]]:
    owned(request, user, project)
    return [
        {"shot": s.key, "scene": s.scene, "duration_s": s.duration_s, "takes": [
            {"id": t.id, "number": t.number, "tier": t.tier, "status": t.status, "verdict": t.verdict, "notes": t.notes}
            for t in s.takes
        ]}
        for s in _studio(request).board(project).shots
    ]


@router.post("/projects/{project}/cut", status_code=202, response_model=Accepted, summary="Cut the film from either tier")
def cut(project: str, body: CutIn, request: Request, user: User) -> Accepted:
    if owned(request, user, project).busy:
        raise ApiError(409, "the crew is still working on this project; cut when it is done")
    studio = _studio(request)

    def work() -> Iterator[Step | CutEvent]:  # the cut as the page's step: what it does, its share where ffmpeg counts
        result = yield from run_step(
            CUT_STEP, lambda report: studio.cut(project, tier=body.tier, progress=lambda f, said: report(said, f)), first=CUT_FIRST
        )
        yield CutEvent(path=str(result.video))

    job = _jobs(request).submit(project, f"cut ({body.tier})", work)
    return Accepted(job=job.id, label=job.label)


@router.get("/projects/{project}/film", response_class=FileResponse, summary="Download the film (MP4) of a tier")
def film(project: str, request: Request, user: User, tier: Literal["draft", "final"] = "draft") -> FileResponse:
    owned(request, user, project)
    path = _studio(request).film_path(project, tier)
    if path is None:
        raise ApiError(404, f"project {project!r} has no {tier} cut yet")
    return FileResponse(path, media_type="video/mp4", filename=path.name)
