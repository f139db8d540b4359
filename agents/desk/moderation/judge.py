"""Layer 2: an LLM judge with a typed verdict, used only when a capable LLM is configured.

Why only then: the bundled 135M model cannot tell a war drama from a threat — its verdicts would be
noise presented as judgement. ``capable`` says which LLM specs count; the judge asks the configured LLM
through the one protocol call, ``structured(messages, schema)``, with its prompt in
``agents/desk/prompts/moderation_judge.md`` (the text is rendered as data, never as template source).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from agents.crew.role import render_prompt
from agents.desk.moderation.policy import CATEGORIES, DESCRIPTIONS, Category, Verdict, What
from agents.llm.base import LLM

PROMPTS = Path(__file__).parents[1] / "prompts"


class JudgeVerdict(BaseModel):
    """What the judge answers."""

    allowed: bool = Field(description="True when the text may be filmed under the policy.")
    category: Category | None = Field(None, description="The category refused under; null when allowed.")
    reason: str = Field("", max_length=200, description="A few words on why.")

    @model_validator(mode="after")
    def _category_when_refused(self) -> JudgeVerdict:
        if not self.allowed and self.category is None:
            raise ValueError("a refusal must name its category")
        return self


def capable(llm_spec: str) -> bool:
    """Whether the configured LLM may judge: a model the operator chose (``openai:``, ``transformers:``),
    not the bundled 135M model and not a scripted test double."""
    name = llm_spec.split(":", 1)[0].strip().lower()
    return name in ("openai", "transformers")


class Judge:
    """Asks an LLM for a ``JudgeVerdict`` on one text."""

    def __init__(self, llm: LLM) -> None:
        self.llm = llm

    def check(self, text: str, what: What) -> Verdict:
        example = JudgeVerdict(allowed=True, category=None, reason="a war drama; no category applies")
        messages = render_prompt(
            "moderation_judge",
            {"text": text, "what": what, "categories": [(c, DESCRIPTIONS[c]) for c in CATEGORIES], "example": example.model_dump_json()},
            PROMPTS,
        )
        answer = self.llm.structured(messages, JudgeVerdict, max_tokens=200)
        return Verdict(allowed=answer.allowed, category=None if answer.allowed else answer.category, layer="judge", reason=answer.reason)
