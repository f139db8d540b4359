"""Approval gates: where the graph waits for the creator, and what it does with a decision.

Each gate is two nodes on purpose. The gate node only calls ``interrupt()`` (a resumed node re-runs
from its first line, so nothing with a side effect may share it); the ``*_decided`` node that follows
records the decision in memory and routes. The studio validates a decision against what is pending
before resuming, and serialises resumes per project.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agents.production.board import take_of_shot
from agents.production.decisions import CreatorDecision
from agents.production.runtime_fit import fit_to_runtime
from agents.production.state import Crew, FilmState
from agents.production.voicing import voice_cache, voice_plan
from agents.shots.clip_limit import longest_clip_s
from agents.shots.note_changes import apply_note
from memory.models import CURRENT_TAKE_STATUSES
from memory.store import Store


def plan_gate(state: FilmState) -> dict[str, Any]:
    errors = [f for f in state.get("findings", []) if f["severity"] == "error"]
    decision = interrupt({"what": "plan", "project": state["project"], "errors": len(errors)})
    return {"decision": decision}


def plan_decided(state: FilmState, runtime: Runtime[Crew]) -> Command:
    store, project = runtime.context.deps.store, state["project"]
    decision = CreatorDecision.model_validate(state["decision"])
    if decision.kind == "approve_plan":
        store.add_decision(project, "approve_plan", by=decision.by, note=decision.note)
        # The lines are voiced now and shots too short for their speech are lengthened, before any render;
        # then the shots with room give back (or take) what the cards, dissolves and voicing changed.
        settings = runtime.context.deps.settings
        voiced = voice_plan(store, project, voice_cache(settings))
        fit = fit_to_runtime(store, project, floors=voiced.needs, longest_s=longest_clip_s(settings))
        if fit.changed or abs(fit.off_by_s) > 0.5:
            store.add_message(project, "editor", fit.summary(), data={"runtime_fit": fit.as_data()})
        store.update_project(project, status="shooting")
        return Command(goto="dispatch", update={"restage": [], "decision": None})
    return Command(goto=decision.reenter or "develop", update={"restage": decision.restage, "decision": None, "round": 0})


def shot_gate(state: FilmState) -> dict[str, Any]:
    decision = interrupt({"what": "shots", "project": state["project"], "shots": state.get("awaiting", [])})
    return {"decision": decision}


def shot_decided(state: FilmState, runtime: Runtime[Crew]) -> Command:
    store, project = runtime.context.deps.store, state["project"]
    decision = CreatorDecision.model_validate(state["decision"])
    awaiting = list(state.get("awaiting", []))
    if decision.kind == "change":
        return Command(goto=decision.reenter or "develop", update={"restage": decision.restage, "decision": None, "round": 0})
    shot = decision.shot or ""
    takes = store.takes(project, shot)
    newest = takes[-1] if takes else None
    if decision.kind in {"approve", "revert"}:
        chosen = newest if decision.kind == "approve" else take_of_shot(store, project, shot, decision.take_id or -1)
        if chosen is None:
            return Command(goto="shot_gate", update={"decision": None})
        approve_only(store, project, shot, chosen.id)  # type: ignore[arg-type]
        store.add_decision(project, decision.kind, shot_key=shot, take_id=chosen.id, by=decision.by, note=decision.note)
        remaining = [s for s in awaiting if s != shot]
        return Command(goto="shot_gate" if remaining else "edit", update={"awaiting": remaining, "decision": None})
    # reshoot or edit: the newest take is set aside and the shot goes back to the camera
    if decision.kind == "edit":
        store.update_shot(project, shot, prompt=decision.prompt)
    if decision.note:
        store.annotate(project, shot, role="creator", data=decision.note)
        if decision.kind == "reshoot":  # the note changes what a backend draws, not only the prompt's words
            apply_note(store, project, shot, decision.note)
    if newest is not None and newest.status in CURRENT_TAKE_STATUSES:
        store.set_take_status(newest.id, "rejected")  # type: ignore[arg-type]
    store.add_decision(project, decision.kind, shot_key=shot, take_id=newest.id if newest else None, by=decision.by, note=decision.note)
    return Command(goto="dispatch", update={"restage": [shot], "decision": None})


def approve_only(store: Store, project: str, shot: str, take_id: int) -> None:
    """Make ``take_id`` the shot's one approved take (an earlier approval goes back to 'done')."""
    for take in store.takes(project, shot):
        if take.id == take_id:
            store.set_take_status(take.id, "approved")  # type: ignore[arg-type]
        elif take.status == "approved":
            store.set_take_status(take.id, "done")  # type: ignore[arg-type]
