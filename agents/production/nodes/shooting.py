"""Shooting: dispatch one job per shot, and each shot's render ⇄ critique loop (a subgraph per shot).

Why a subgraph per shot: the fan-out (``Send``) joins cleanly at ``collect`` only when each branch is
one step of the parent graph; the critic's reshoot loop lives inside the branch as explicit topology.
Renders are idempotent twice over: the generator names files by the hash of the request and returns an
existing file without rendering, and a take row is added only once per request hash. So a run killed
mid-shooting and resumed never renders a finished take again.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from agents.desk.moderation import moderator_for
from agents.desk.quota import record
from agents.production.events import RenderEvent, TakeEvent, VerdictEvent
from agents.production.nodes.step import emit
from agents.production.state import Crew, FilmState, ShotJob
from agents.production.voicing import shot_speech, voice_cache
from agents.review.policy import Knobs
from agents.shots.requests import request_for_shot, shot_seed
from generator.faults import crash_point
from memory.models import CURRENT_TAKE_STATUSES, Take
from memory.shot_context import shot_plan
from memory.store import Store


def needs_take(store: Store, project: str) -> list[str]:
    """Shots with no current take (none yet, or only failed, stale or rejected ones)."""
    current = {t.shot_id for t in store.takes(project) if t.status in CURRENT_TAKE_STATUSES}
    return [s.key for s in store.shots(project) if s.id not in current]


def dispatch(state: FilmState, runtime: Runtime[Crew]) -> Command:
    store, project = runtime.context.deps.store, state["project"]
    shots = state.get("restage") or needs_take(store, project)
    if not shots:
        return Command(goto="collect")
    store.update_project(project, status="shooting")
    jobs = [ShotJob(film=project, shot=s, base_take=len(store.takes(project, s)), attempt=0, knobs={}, reasons=[]) for s in shots]
    return Command(goto=[Send("shoot", job) for job in jobs])


def render(job: ShotJob, runtime: Runtime[Crew]) -> dict[str, Any]:
    crew = runtime.context
    store, settings, project, key = crew.deps.store, crew.deps.settings, job["film"], job["shot"]
    knobs = Knobs.model_validate(job.get("knobs") or {})
    plan, scene, shot = shot_plan(store, project, key)  # this shot's rows only: reads stay flat as the film grows
    note = " ".join(n for n in (knobs.prompt_note, _creator_note(store, project, key)) if n)
    if note:
        shot = shot.model_copy(update={"prompt": f"{shot.prompt or shot.description} {note}".strip()})
    # Everything that shapes the request comes from the job, never from memory's current state, so a
    # branch re-run after a crash builds the same request and finds its finished take.
    base = int(job.get("base_take", 0))
    # A backend that draws speech gets each line's mouth openness (from the voicings of plan approval).
    speech = (shot_speech(store, project, scene.id, key, voice_cache(settings), settings.fps)
              if crew.generator.capabilities.draws_speech else ())  # fmt: skip
    request = request_for_shot(
        plan, scene, shot, width=settings.width, height=settings.height, fps=settings.fps,
        seed=shot_seed(project, key) + knobs.seed_offset + base, take=base + job.get("attempt", 0) + 1,
        options=knobs.render_options(), speech=speech,
    )
    # the crew can drift: every compiled prompt is moderated before it renders; a refusal renders nothing
    moderator_for(settings, lambda: crew.deps.llm).enforce(request.prompt, "prompt", store=store, project=project, home=settings.home)
    existing = _take_for(store, project, key, request.key())
    if existing is not None:
        emit(TakeEvent(shot=key, take_id=existing.id, path=existing.path, reused=True, number=existing.number))  # type: ignore[arg-type]
        return {"take_id": existing.id}

    def progress(fraction: float, message: str = "") -> None:
        emit(RenderEvent(shot=key, fraction=fraction, message=message))

    take = crew.generator.render(request, settings.takes_dir / project, progress)
    crash_point("after_take_file")  # tests: a kill between the file and its row (generator.faults)
    row = store.add_take(
        project, key, request_hash=take.request_hash, path=str(take.path), seed=take.seed, backend=take.backend,
        model=take.model, parameters={
            **take.parameters, "knobs": knobs.model_dump(mode="json"), "request": request.model_dump(mode="json"),
            "capabilities": asdict(crew.generator.capabilities),  # what the critic may assume about this take
        },
        timings=take.timings,
        frame_count=take.frame_count, status="done",
    )
    if not take.reused:  # the usage ledger counts output seconds rendered (agents.desk.quota)
        record(store, store.project(project).owner, "draft", take.frame_count / take.fps, project=project, shot=key)
    emit(TakeEvent(shot=key, take_id=row.id, path=row.path, reused=take.reused, number=row.number))  # type: ignore[arg-type]
    return {"take_id": row.id}


def _take_for(store: Store, project: str, shot: str, request_hash: str) -> Take | None:
    return next((t for t in store.takes(project, shot) if t.request_hash == request_hash), None)


def _creator_note(store: Store, project: str, shot: str) -> str:
    note = store.shot(project, shot).notes.get("creator")
    return note if isinstance(note, str) else ""


def critique(job: ShotJob, runtime: Runtime[Crew]) -> dict[str, Any]:
    crew = runtime.context
    if crew.critic is None or job.get("take_id") is None:
        return {"verdict": "pass", "reasons": []}
    knobs = Knobs.model_validate(job.get("knobs") or {})
    verdict = crew.critic.judge(job["film"], job["shot"], job["take_id"], attempt=job.get("attempt", 0), knobs=knobs)
    emit(VerdictEvent(shot=job["shot"], take_id=job["take_id"], verdict=verdict.verdict, reasons=verdict.reasons))  # type: ignore[arg-type]
    update: dict[str, Any] = {"verdict": verdict.verdict, "reasons": verdict.reasons}
    if verdict.verdict == "reshoot":
        update |= {"attempt": job.get("attempt", 0) + 1, "knobs": verdict.knobs.model_dump(mode="json")}
    return update


def after_critique(job: ShotJob) -> Literal["render", "__end__"]:
    return "render" if job.get("verdict") == "reshoot" else "__end__"


def collect(state: FilmState, runtime: Runtime[Crew]) -> dict[str, Any]:
    """Every shot without an approved take waits for the creator."""
    store, project = runtime.context.deps.store, state["project"]
    approved = {t.shot_id for t in store.takes(project) if t.status == "approved"}
    awaiting = [s.key for s in store.shots(project) if s.id not in approved]
    if awaiting:
        store.update_project(project, status="review")
    return {"awaiting": awaiting, "restage": []}


def after_collect(state: FilmState) -> Literal["shot_gate", "edit"]:
    return "shot_gate" if state.get("awaiting") else "edit"
