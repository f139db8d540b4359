"""Small questions: one field of the writer's story at a time, for the fields a whole answer got wrong.

Why: a 135M model asked for a whole story object copies the draft it is shown; asked one plain question
("give this film a title of two to five words") it often writes its own. Each question has a one-field
schema and a small token budget, and names only the premise (no example to copy). The answers go through
the same checks as the whole answer (``agents.crew.grounding.ground_story``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from agents.llm.base import LLM
from agents.llm.errors import LLMError

SYSTEM = "You are the writer of a small film crew. Answer with one JSON object only, in plain concrete words."


class StoryTitle(BaseModel):
    title: str = Field(max_length=50, description="Two to five words.")


class StoryLogline(BaseModel):
    logline: str = Field(max_length=180, description="One sentence: who wants what, and what stands in the way.")


class CharacterLook(BaseModel):
    description: str = Field(max_length=140, description="Age, build, face, hair, one distinguishing mark.")
    wardrobe: str = Field(max_length=90, description="Clothes with their colours.")


def _ask(llm: LLM, question: str, premise: str, schema: type[BaseModel], max_tokens: int) -> dict[str, Any] | None:
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": f'The premise of the film:\n"""{premise}"""\n\n{question}'}]
    try:
        return llm.structured(messages, schema, max_tokens=max_tokens).model_dump()
    except LLMError:  # the field keeps its template value, labelled by the caller
        return None


#: Beats asked in one question: a ten-minute film's thirty in one answer ran past any budget on the bundled
#: model (29 of 30 beats then came from the premise template); six at a time, with the last one in view.
BEATS_PER_QUESTION = 6


def ask_fields(llm: LLM, premise: str, failed: list[str], story: dict[str, Any], beats: int) -> dict[str, Any]:
    """A partial story answer holding fresh answers for the ``failed`` field paths (what could be asked)."""
    out: dict[str, Any] = {}
    if "title" in failed and (a := _ask(llm, "Give this short film a title of two to five words.", premise, StoryTitle, 30)):
        out["title"] = a["title"]
    if "logline" in failed and (a := _ask(llm, "Write its logline: one sentence saying who wants what, and what stands in the way.",
                                          premise, StoryLogline, 80)):
        out["logline"] = a["logline"]
    characters = []
    for c in story.get("characters", []):
        if any(path.startswith(f"characters.{c['id']}.") for path in failed):
            a = _ask(llm, f"Describe {c['name']} ({c['description']}) as a camera sees them: age, build, face, hair; "
                          "then the clothes, with colours.", premise, CharacterLook, 110)
            if a:
                characters.append({**c, **a})
                continue
        characters.append(c)
    out["characters"] = characters
    out["locations"] = story.get("locations", [])
    wanted = {int(path.split(".")[1]) - 1 for path in failed if path.startswith("beats.")}
    if wanted:
        out["beats"] = list(story.get("beats", []))[:beats] + [""] * max(0, beats - len(story.get("beats", [])))
        for first in range(0, beats, BEATS_PER_QUESTION):
            group = range(first, min(beats, first + BEATS_PER_QUESTION))
            if not wanted.intersection(group):
                continue
            schema = create_model("StoryBeats", beats=(list[Annotated[str, Field(max_length=110)]], Field(min_length=len(group), max_length=len(group))))
            before = f' The story so far ends with: "{out["beats"][first - 1]}"' if first else ""
            question = (f"Tell what happens in beats {first + 1} to {group[-1] + 1} of {beats}: {len(group)} short sentences, in order, "
                        f"each a different moment, naming who acts.{before}") if beats > len(group) else (
                        f"Tell what happens in {beats} short sentences, in order, each a different moment, naming who acts.")
            if a := _ask(llm, question, premise, schema, 40 + 34 * len(group)):
                out["beats"][first:first + len(group)] = a["beats"]
    return out
