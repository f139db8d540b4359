"""Small questions about one scene, asked when a role's whole answer left that scene's free text unusable.

Why: the director's intent and the cinematographer's lighting are the only free text in answers that are
otherwise enums. In a whole answer the bundled 135M model copies the shape's "…" or retells the summary
(measured: almost every intent and light was the template's, bench/results/story.jsonl); asked about one
scene in one plain question with a one-field schema it answers in a few words ("fear and hope",
"candlelight"). The answer is checked by the caller (``agents.crew.plan_grounding.ground_per_scene``)
and labelled "model, asked again"; a failed question returns None and the caller's template is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agents.crew.role import render_prompt
from agents.llm.base import LLM
from agents.llm.errors import LLMError

#: Room for a few words in a one-field JSON object.
ANSWER_TOKENS = 24


class SceneFeeling(BaseModel):
    feeling: str = Field(max_length=60, description="A few words.")


class SceneLight(BaseModel):
    light: str = Field(max_length=60, description="A few words: the light's source and colour.")


def _ask(llm: LLM, prompt: str, scene: dict[str, Any], schema: type[BaseModel], folder: Path) -> str | None:
    variables = {"heading": scene.get("heading", ""), "summary": scene.get("summary", "")}
    try:
        answer = llm.structured(render_prompt(prompt, variables, folder), schema, max_tokens=ANSWER_TOKENS)
    except LLMError:  # the caller falls back to its labelled template
        return None
    text = str(next(iter(answer.model_dump().values()))).strip().rstrip(".")
    return text or None


def ask_intent(llm: LLM, scene: dict[str, Any], folder: Path) -> str | None:
    """The scene's intent from one question: what the audience should feel (a short answer becomes a sentence)."""
    feeling = _ask(llm, "director_intent", scene, SceneFeeling, folder)
    if feeling is None:
        return None
    if len(feeling.split()) <= 5 and not feeling.lower().startswith(("the audience", "we ")):
        return f"The audience should feel {feeling[:1].lower()}{feeling[1:]}."
    return f"{feeling}."


def ask_light(llm: LLM, scene: dict[str, Any], folder: Path) -> str | None:
    """The scene's lighting from one question."""
    return _ask(llm, "cinematographer_light", scene, SceneLight, folder)
