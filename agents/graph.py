"""The production graph: topology only. The nodes live in ``agents/production/nodes/``.

    START ─► develop ─► write ─► direct ─► shotlist ─► continuity ─┬─► extras ─► plan_gate ─► plan_decided ─► dispatch
                ▲         ▲        ▲          ▲                    │   (interrupt)        │              │ Send ×N
                └─────────┴────────┴──────────┴─── (round cap) ◄───┘                      │              ▼
                        re-entry points for chat changes ◄────────────────────────────────┘   shoot: render ⇄ critique
                                                                                                       │ (subgraph per shot)
    END ◄─ cut ◄─ edit ◄─┬─ collect ◄───────────────────────────────────────────────────────────────────┘
                         └─► shot_gate ─► shot_decided ─► shot_gate | dispatch (reshoot/edit) | edit
                             (interrupt)

Every planning node and ``edit`` is a *stage*: it runs the registered roles of that stage in registry order
(``extras`` is the ``plan`` stage), so adding a role never adds a node here.
``build()`` returns the uncompiled builder so tests compile it with any checkpointer;
``compile_graph`` compiles it with the studio's. A chat change enters again at START with ``reenter``.
"""

from __future__ import annotations

from collections.abc import Callable

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import RetryPolicy

from agents.production.nodes import finishing, gates, planning, shooting
from agents.production.nodes.step import TRANSIENT
from agents.production.state import Crew, FilmState, ShotJob

ENTRY_POINTS = ("develop", "write", "direct", "shotlist", "continuity", "extras", "dispatch", "edit")
RETRY = RetryPolicy(max_attempts=3, retry_on=TRANSIENT)


def start(state: FilmState) -> str:
    entry = state.get("reenter")
    return entry if entry in ENTRY_POINTS else "develop"  # type: ignore[return-value]


def unless_failed(next_node: str) -> Callable[[FilmState], str]:
    """Route to ``next_node``, or end the run when the step recorded a failure."""

    def route(state: FilmState) -> str:
        return END if state.get("failure") else next_node

    route.__name__ = f"then_{next_node}"
    return route


def build_shoot() -> StateGraph[ShotJob, Crew, ShotJob, ShotJob]:
    shoot = StateGraph(ShotJob, context_schema=Crew)
    # (langgraph's overloads do not match a runtime-taking node on a total=False TypedDict; it runs fine)
    shoot.add_node("render", shooting.render, retry_policy=RETRY)  # type: ignore[call-overload]
    shoot.add_node("critique", shooting.critique, retry_policy=RETRY)  # type: ignore[call-overload]
    shoot.add_edge(START, "render")
    shoot.add_edge("render", "critique")
    shoot.add_conditional_edges("critique", shooting.after_critique)
    return shoot


def build() -> StateGraph[FilmState, Crew, FilmState, FilmState]:
    g = StateGraph(FilmState, context_schema=Crew)
    # Each stage node runs the registry's roles of its stage (agents/crew/registry.py), in registry order.
    for name, node in (("develop", planning.stage_node("develop")), ("write", planning.stage_node("write")),
                       ("direct", planning.stage_node("direct")), ("shotlist", planning.shotlist),
                       ("continuity", planning.continuity), ("extras", planning.stage_node("plan")),
                       ("edit", finishing.edit)):
        g.add_node(name, node, retry_policy=RETRY)  # type: ignore[call-overload]  # (as in build_shoot)
    g.add_node("plan_gate", gates.plan_gate)
    g.add_node("plan_decided", gates.plan_decided, destinations=("dispatch", *ENTRY_POINTS))
    g.add_node("dispatch", shooting.dispatch, destinations=("shoot", "collect"))
    g.add_node("shoot", build_shoot().compile())
    g.add_node("collect", shooting.collect)
    g.add_node("shot_gate", gates.shot_gate)
    g.add_node("shot_decided", gates.shot_decided, destinations=("shot_gate", "dispatch", "edit", *ENTRY_POINTS))
    g.add_node("cut", finishing.cut)

    g.add_conditional_edges(START, start)
    g.add_conditional_edges("develop", unless_failed("write"))
    g.add_conditional_edges("write", unless_failed("direct"))
    g.add_conditional_edges("direct", unless_failed("shotlist"))
    g.add_conditional_edges("shotlist", unless_failed("continuity"))
    g.add_conditional_edges("continuity", planning.after_continuity)
    g.add_conditional_edges("extras", unless_failed("plan_gate"))
    g.add_edge("plan_gate", "plan_decided")
    g.add_edge("shoot", "collect")
    g.add_conditional_edges("collect", shooting.after_collect)
    g.add_edge("shot_gate", "shot_decided")
    g.add_conditional_edges("edit", unless_failed("cut"))
    g.add_edge("cut", END)
    return g


def compile_graph(checkpointer: BaseCheckpointSaver) -> CompiledStateGraph[FilmState, Crew, FilmState, FilmState]:
    return build().compile(checkpointer=checkpointer)
