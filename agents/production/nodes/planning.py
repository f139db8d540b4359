"""Planning nodes: each stage runs the registry's roles of that stage; the continuity loop routes back.

Why one ``stage_node`` for every stage: a role is wired by its registry line and its declared ``stage``,
never by a node written for it. ``develop``, ``write``, ``direct``, ``shotlist`` and ``plan`` (the node
named ``extras``) are the same function over different stages; ``continuity`` adds the deterministic
grammar review after its roles, and ``after_continuity`` sends the findings back to ``shotlist`` (whose
roles are built with them, ``Role.for_step``) until clean or the round cap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from langgraph.runtime import Runtime

from agents.crew.continuity_supervisor import review_plan
from agents.crew.registry import roles_at
from agents.crew.role import Stage
from agents.production.events import RoleEvent
from agents.production.nodes.step import Failed, emit, run_role
from agents.production.state import Crew, FilmState

Node = Callable[[FilmState, Runtime[Crew]], Any]


def run_stage(stage: Stage, state: FilmState, runtime: Runtime[Crew]) -> Failed | None:
    """Run every registered role of ``stage`` in registry order; the first failure stops the stage."""
    for cls in roles_at(stage):
        out = run_role(cls.for_step(state), runtime.context, state["project"])
        if isinstance(out, Failed):
            return out
    return None


def stage_node(stage: Stage) -> Node:
    """The graph node of ``stage``: its roles, then a clean state (no re-entry point, no failure)."""

    def node(state: FilmState, runtime: Runtime[Crew]) -> Any:
        return run_stage(stage, state, runtime) or {"reenter": None, "failure": None}

    node.__name__ = f"{stage}_stage"
    return node


def shotlist(state: FilmState, runtime: Runtime[Crew]) -> Any:
    """The ``shotlist`` stage, keeping the continuity round count for the loop's cap."""
    return run_stage("shotlist", state, runtime) or {"reenter": None, "failure": None, "round": state.get("round", 0)}


def continuity(state: FilmState, runtime: Runtime[Crew]) -> Any:
    """The ``continuity`` stage's roles (once per plan: the fact ledger), then the grammar review and its fixes."""
    crew, project = runtime.context, state["project"]
    rounds = state.get("round", 0)
    if rounds == 0:
        failed = run_stage("continuity", state, runtime)
        if failed is not None:
            return failed
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
