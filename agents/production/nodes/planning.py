"""Planning nodes: develop → write → direct → shot list → continuity (looping back until clean)."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from agents.crew.cinematographer import Cinematographer
from agents.crew.continuity_supervisor import ContinuitySupervisor, review_plan
from agents.crew.director import Director
from agents.crew.role import Role
from agents.crew.screenwriter import ScreenWriter
from agents.crew.writer import Writer
from agents.production.events import RoleEvent
from agents.production.nodes.step import Failed, emit, run_role
from agents.production.state import Crew, FilmState


def _role_step(role: Role, state: FilmState, runtime: Runtime[Crew]) -> Any:
    out = run_role(role, runtime.context, state["project"])
    return out if isinstance(out, Failed) else {"reenter": None, "failure": None}


def develop(state: FilmState, runtime: Runtime[Crew]) -> Any:
    return _role_step(Writer(), state, runtime)


def write(state: FilmState, runtime: Runtime[Crew]) -> Any:
    return _role_step(ScreenWriter(), state, runtime)


def direct(state: FilmState, runtime: Runtime[Crew]) -> Any:
    return _role_step(Director(), state, runtime)


def shotlist(state: FilmState, runtime: Runtime[Crew]) -> Any:
    result = _role_step(Cinematographer(state.get("findings", [])), state, runtime)
    if isinstance(result, Failed):
        return result
    return {**result, "round": state.get("round", 0)}


def continuity(state: FilmState, runtime: Runtime[Crew]) -> Any:
    crew, project = runtime.context, state["project"]
    rounds = state.get("round", 0)
    if rounds == 0:
        ledger = run_role(ContinuitySupervisor(), crew, project)
        if isinstance(ledger, Failed):
            return ledger
    findings, changes = review_plan(crew.deps.store, project)
    errors = [f for f in findings if f["severity"] == "error"]
    summary = f"round {rounds + 1}: {len(changes)} fix(es) applied, {len(errors)} error(s) left"
    crew.deps.store.add_message(project, "continuity", summary, data={"changes": changes, "findings": findings})
    emit(RoleEvent(role="continuity", status="finished", summary=summary))
    return {"findings": findings, "round": rounds + 1}


def after_continuity(state: FilmState, runtime: Runtime[Crew]) -> Literal["shotlist", "extras", "__end__"]:
    """Back to the cinematographer while errors remain, up to the round cap; then the creator decides."""
    if state.get("failure"):
        return "__end__"
    errors = [f for f in state.get("findings", []) if f["severity"] == "error"]
    return "shotlist" if errors and state.get("round", 0) < runtime.context.deps.settings.continuity_rounds else "extras"


def extras(state: FilmState, runtime: Runtime[Crew]) -> Any:
    """Every registered role with ``stage = "plan"`` works on the final plan (e.g. a sound designer)."""
    from agents.crew.registry import ROLES

    for cls in ROLES:
        if cls.stage == "plan":
            out = run_role(cls(), runtime.context, state["project"])
            if isinstance(out, Failed):
                return out
    return {"failure": None}
