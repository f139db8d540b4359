"""Producer: reads each chat message from the creator and routes it to the part of the crew it concerns.

Routing is two-layered. What a pattern can read is read first, deterministically and without the LLM
(``agents.crew.reading.read_message``): a question, a running time, approve or reshoot words with a shot
id, a note on one shot, a new idea, a character's look or voice. The rest — a story change, anything
ambiguous — goes to the LLM, whose answer is constrained: the target must be one of the project's
characters or shot ids (an enum in the schema, not free text). Where the pattern read the intent but
only the model can write the rest (the answer to a question; whose look, when the message says "she"
among several characters), the model is asked with the schema narrowed to that intent. Either way the
answer is a ``Routing``, recorded in the chat with who read the intent (``routed_by``: ``pattern`` or
``model``). What each intent *does* is the production's routing table (``agents.production.chat.ROUTES``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import create_model

from agents.crew.reading import RUNTIME_RANGE_S, Intent, Routing, read_message
from agents.crew.role import Deps, Role

__all__ = ["RUNTIME_RANGE_S", "Intent", "Producer", "Routing", "read_message", "routing_schema"]


def routing_schema(targets: list[str], intent: Intent | None = None) -> type[Routing]:
    """``Routing`` with ``target`` limited to ``targets`` (or empty) and, given one, ``intent`` fixed.
    Named ``Routing`` too: the schema the LLM is asked for is the same shape, only narrower."""
    allowed = tuple(dict.fromkeys(["", *(t for t in targets if len(t) <= 20)]))
    fields: dict[str, Any] = {"target": (Literal[allowed], "")}  # type: ignore[valid-type]
    if intent is not None:
        fields["intent"] = (Literal[intent], intent)  # type: ignore[valid-type]
    return create_model("Routing", __base__=Routing, **fields)


class Producer(Role[Routing]):
    name = "producer"
    stage = "chat"
    output = Routing
    goal = "Understand what the creator wants and say what the crew will do."
    max_tokens = 400

    def __init__(self, message: str = "") -> None:
        self.message = message
        self.routed_by: Literal["pattern", "model"] = "model"

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        p = deps.store.project(project)
        return {
            "message": self.message,
            "title": p.title,
            "status": p.status,
            "characters": [c.key for c in deps.store.characters(project)],
            "shots": [s.key for s in deps.store.shots(project)][:60],
            # a shape, not an answer to copy: a concrete example (Mara's scarf) was copied into every routing
            "example": '{"intent": "...", "target": "", "change": "the change in a few words", "reply": "one sentence back"}',
        }

    def ask(self, deps: Deps, project: str) -> Routing:
        """The pattern's routing when it reads the whole message; the LLM's (constrained) otherwise."""
        characters = [(c.key, c.name) for c in deps.store.characters(project)]
        shots = [s.key for s in deps.store.shots(project)]
        read = read_message(self.message, shots=shots, characters=characters)
        if read is not None and read.reply:
            self.routed_by = "pattern"
            return read
        targets = [name for key, name in characters for name in (key, name) if name] + shots[:60]
        if read is not None:  # the intent is read; the model writes the reply (and picks whose look)
            self.routed_by = "pattern"
            people = [name for key, name in characters for name in (key, name) if name]
            schema = routing_schema(people if read.intent == "character_look" else [], read.intent)
            answer = self._constrained(deps, project, schema)
            return answer.model_copy(update={"change": read.change or answer.change})
        self.routed_by = "model"
        return self._constrained(deps, project, routing_schema(targets))

    def _constrained(self, deps: Deps, project: str, schema: type[Routing]) -> Routing:
        if deps.llm is None:
            return super().ask(deps, project)  # raises the role's LLMConfigError
        answer = deps.llm.structured(self.messages(deps, project), schema, max_tokens=self.max_tokens)
        return Routing.model_validate(answer.model_dump())

    def apply(self, deps: Deps, project: str, out: Routing) -> None:
        deps.store.add_message(project, self.name, out.reply, data={**out.model_dump(mode="json"), "routed_by": self.routed_by})

    def recall(self, deps: Deps, project: str) -> Routing:
        last = next(m for m in reversed(deps.store.messages(project)) if m.role == self.name)
        return Routing.model_validate(last.data)


def example() -> Routing:
    return Routing(intent="character_look", target="mara", change="her scarf is blue, not red",
                   reply="Got it: Mara's scarf becomes blue; I'll reshoot only her shots.")
