"""The production graph's state and run context.

The story memory is the source of truth for the film; the graph's state only carries control: which
project (= thread id), where to re-enter after a chat change, the continuity round and its findings,
which shots wait for a person, and the last decision. Everything here is JSON-ready so checkpoints stay
plain msgpack (``LANGGRAPH_STRICT_MSGPACK``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from agents.crew.role import Deps


class FilmState(TypedDict, total=False):
    project: str
    #: Node to start from when the graph is entered again after a chat change (None: from the top).
    reenter: str | None
    #: Continuity rounds done on the current plan, and the findings of the last one.
    round: int
    findings: list[dict[str, Any]]
    #: Shots to shoot on the next dispatch; empty means every shot without a current take.
    restage: list[str]
    #: Shots whose newest take waits for the creator.
    awaiting: list[str]
    #: The last decision received at an approval gate.
    decision: dict[str, Any] | None
    #: A visible failure that stopped the run (also recorded in the chat).
    failure: str | None
    #: Path of the finished film.
    cut: str | None


class ShotJob(TypedDict, total=False):
    """One shot's trip through the shoot subgraph (render ⇄ critique).

    Its keys are disjoint from ``FilmState``'s on purpose: a subgraph writes back the keys it shares with
    its parent, and many branches writing ``project`` at once would collide.
    """

    film: str
    shot: str
    #: Takes the shot already had when this job was dispatched (numbers the slate, varies the seed).
    base_take: int
    attempt: int
    #: What the critic changed for this attempt: seed offset, a note added to the prompt, stronger references, a preset.
    knobs: dict[str, Any]
    take_id: int | None
    verdict: str | None
    reasons: list[str]


@dataclass
class Crew:
    """What nodes work with (not checkpointed): memory, the LLM, settings, the generator, the measuring kit."""

    deps: Deps
    generator: Any  # generator.base.Generator
    critic: Any = None  # agents.review.take_review.TakeCritic
    on_render_progress: Callable[[str, float, str], None] | None = None
