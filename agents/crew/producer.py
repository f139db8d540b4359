"""Producer: reads each chat message from the creator and routes it to the part of the crew it concerns.

The producer only classifies and answers; what each intent does (re-plan from the story, restage one
character's shots, reshoot one shot, approve) is the studio's routing table, so the behaviour is
deterministic once the message is understood.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.role import Deps, Role

Intent = Literal["new_idea", "story_change", "character_look", "shot_note", "approve", "reshoot", "runtime", "question"]


class Routing(BaseModel):
    intent: Intent
    target: str = Field("", max_length=20, description="The character id or shot id the message is about, if any.")
    change: str = Field("", max_length=120, description="The requested change in a few words, e.g. a new look.")
    runtime_s: int | None = Field(None, ge=5, le=600, description="New target running time, for 'runtime'.")
    reply: str = Field(max_length=120, description="One friendly sentence back to the creator.")


class Producer(Role[Routing]):
    name = "producer"
    output = Routing
    goal = "Understand what the creator wants and say what the crew will do."
    max_tokens = 400

    def __init__(self, message: str = "") -> None:
        self.message = message

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        p = deps.store.project(project)
        return {
            "message": self.message,
            "title": p.title,
            "status": p.status,
            "characters": [c.key for c in deps.store.characters(project)],
            "shots": [s.key for s in deps.store.shots(project)][:60],
        }

    def apply(self, deps: Deps, project: str, out: Routing) -> None:
        deps.store.add_message(project, self.name, out.reply, data=out.model_dump(mode="json"))

    def recall(self, deps: Deps, project: str) -> Routing:
        last = next(m for m in reversed(deps.store.messages(project)) if m.role == self.name)
        return Routing.model_validate(last.data)


def example() -> Routing:
    return Routing(intent="character_look", target="mara", change="her scarf is blue, not red",
                   reply="Got it: Mara's scarf becomes blue; I'll reshoot only her shots.")
