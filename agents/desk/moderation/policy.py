"""The moderation policy's vocabulary: its categories, a verdict, and what a refusal records.

The policy itself is written for people in ``docs/moderation.md``; this module is its typed form. A verdict
names the layer that gave it (``rules``, ``judge``, ``endpoint``) so a refusal says who refused and why.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field

Category = Literal[
    "sexual_minors",
    "sexual_real_people",
    "weapons_instructions",
    "harassment_real_people",
    "extreme_gore",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)

#: One line per category, as the judge's prompt and the refusal message show it.
DESCRIPTIONS: dict[Category, str] = {
    "sexual_minors": "any sexual or sexualised content involving a minor (under 18), fictional or not",
    "sexual_real_people": "sexual or nude content depicting a real, identifiable person (a celebrity, a politician, someone the writer knows)",
    "weapons_instructions": "usable instructions for making weapons, explosives or poisons (steps, quantities, recipes), even inside a story",
    "harassment_real_people": "targeted harassment, humiliation, doxxing or defamation (false accusations) of a real, identifiable person",
    "extreme_gore": "gore shown explicitly and at length for its own sake (torture, mutilation, dismemberment in graphic detail)",
}

Layer = Literal["rules", "judge", "endpoint"]
#: What a piece of text is: the premise of a project, a chat note, or a shot's compiled prompt.
What = Literal["premise", "note", "prompt"]


class Verdict(BaseModel):
    """One layer's answer on one text."""

    allowed: bool
    category: Category | None = Field(None, description="The policy category refused under; None when allowed.")
    layer: Layer
    reason: str = Field("", description="What matched or what the judge said, in a few words.")


def refusal_message(verdict: Verdict, what: What, *, with_reason: bool = True) -> str:
    """The sentence a person reads: what was refused, under which category, by which layer; ``with_reason``
    adds what matched (quoting the refused text, so it is left out of what is stored)."""
    category = verdict.category or "policy"
    description = DESCRIPTIONS.get(verdict.category, "") if verdict.category else ""
    return (
        f"The {what} was refused under the moderation policy: {category} ({description}); decided by the {verdict.layer} "
        f"layer{': ' + verdict.reason if verdict.reason and with_reason else ''}. Nothing was stored or rendered from it (docs/moderation.md)."
    )
