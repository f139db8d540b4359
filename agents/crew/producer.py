"""Producer: reads each chat message from the creator and routes it to the part of the crew it concerns.

Routing is two-layered. What a pattern can read is read first, deterministically and without the LLM
(``read_message``): a running time in seconds or minutes ("make the whole film 45 seconds long",
"make it 2 minutes"), and approve or reshoot words with or without a shot id ("approve s1-02", "redo
s1-03, Tom looks tired"). Everything else — a story change, a character's look, a question, a new idea,
a note on a shot — goes to the LLM. Either way the answer is a ``Routing``, recorded in the chat with
who read it (``routed_by``: ``pattern`` or ``model``). What each intent *does* is the production's routing
table (``agents.production.chat.ROUTES``), so the behaviour is deterministic once the message is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.role import Deps, Role

Intent = Literal["new_idea", "story_change", "character_look", "shot_note", "approve", "reshoot", "runtime", "question"]
#: The running times a plan can have (``Routing.runtime_s``'s bounds).
RUNTIME_RANGE_S = (5, 600)


class Routing(BaseModel):
    intent: Intent
    target: str = Field("", max_length=20, description="The character id or shot id the message is about, if any.")
    change: str = Field("", max_length=120, description="The requested change in a few words, e.g. a new look.")
    runtime_s: int | None = Field(None, ge=RUNTIME_RANGE_S[0], le=RUNTIME_RANGE_S[1], description="New target running time, for 'runtime'.")
    reply: str = Field(max_length=120, description="One friendly sentence back to the creator.")


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
    "a": 1, "an": 1, "half a": 0.5,
}  # fmt: skip
_AMOUNT = r"(\d+(?:[.,]\d+)?|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT = r"(seconds?|secs?|s|minutes?|mins?|m)"
#: A length of the film: "<amount> <unit>" said of the film ("make it…", "the film…", "…long", "runtime…").
_RUNTIME = re.compile(
    rf"(?:\b(?:film|movie|it|runtime|running time|length|duration|cut)\b[^.?!]*?\b{_AMOUNT}[ -]?{_UNIT}\b"
    rf"|\b{_AMOUNT}[ -]?{_UNIT}\b[ -]*(?:long|in length|total|film|movie|runtime|cut)\b)",
    re.IGNORECASE,
)
_APPROVE = re.compile(r"\b(approve[sd]?|looks? (?:good|great)|lgtm|ship it|keep (?:it|this|that)|accept(?:ed)?|perfect)\b", re.I)
_RESHOOT = re.compile(r"\b(re-?shoot|redo|re-?do|retake|re-?take|another take|shoot (?:it|that|this) again)\b", re.I)
_NEGATION = re.compile(r"\b(not|don'?t|do not|never|no)\b", re.I)
#: Quoted text is what the creator quotes (a sign, a line of dialogue), never their own instruction.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»')


def _seconds(amount: str, unit: str) -> float:
    value = _NUMBER_WORDS.get(amount.lower())
    number = float(value) if value is not None else float(amount.replace(",", "."))
    return number * 60 if unit.lower().startswith("m") else number


def read_message(message: str, *, shots: Sequence[str] = ()) -> Routing | None:
    """The routing of what a pattern can read (a running time; approve/reshoot words, with a shot id);
    None when the message needs the LLM. ``shots`` are the project's shot ids, matched as whole words.
    Text in double quotation marks is left out: a quoted "approve" is something the creator quotes."""
    text = _QUOTED.sub(" ", message).strip()
    mentioned = [s for s in shots if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text, re.I)]
    target = mentioned[0] if len(mentioned) == 1 else ""
    runtime = _RUNTIME.search(text)
    approve, reshoot = _APPROVE.search(text), _RESHOOT.search(text)
    if runtime and not (approve or reshoot):
        amount, unit = (runtime.group(1), runtime.group(2)) if runtime.group(1) else (runtime.group(3), runtime.group(4))
        seconds = round(_seconds(amount, unit))
        low, high = RUNTIME_RANGE_S
        if not low <= seconds <= high:
            return Routing(intent="question", reply=f"A film can run {low} s to {high // 60} min; {seconds} s is outside that.")
        return Routing(intent="runtime", runtime_s=seconds, reply=f"Re-planning the film to run {seconds} s.")
    if len(mentioned) > 1 or _NEGATION.search(text) or bool(approve) == bool(reshoot):
        return None  # several shots, a negation, both words or neither: the LLM reads it
    if approve:
        return Routing(intent="approve", target=target, reply=f"Approved{' ' + target if target else ''}.")
    if target:
        note = text[:120]
        return Routing(intent="reshoot", target=target, change=note, reply=f"Reshooting {target}.")
    return None


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
        }

    def ask(self, deps: Deps, project: str) -> Routing:
        """The pattern's routing when it can read the message; the LLM's otherwise."""
        read = read_message(self.message, shots=[s.key for s in deps.store.shots(project)])
        if read is not None:
            self.routed_by = "pattern"
            return read
        self.routed_by = "model"
        return super().ask(deps, project)

    def apply(self, deps: Deps, project: str, out: Routing) -> None:
        deps.store.add_message(project, self.name, out.reply, data={**out.model_dump(mode="json"), "routed_by": self.routed_by})

    def recall(self, deps: Deps, project: str) -> Routing:
        last = next(m for m in reversed(deps.store.messages(project)) if m.role == self.name)
        return Routing.model_validate(last.data)


def example() -> Routing:
    return Routing(intent="character_look", target="mara", change="her scarf is blue, not red",
                   reply="Got it: Mara's scarf becomes blue; I'll reshoot only her shots.")
