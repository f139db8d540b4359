"""Critic: judges each take. Measurements decide; an LLM opinion is added when one is configured.

The measuring instruments live in ``generator.measure`` (pure functions over decoded frames) and the
verdict ladder (new seed → revised prompt → stronger reference → another preset → escalate) in
``agents.review.policy``. This role is the LLM's part: given the shot and the measured findings, it
writes a short opinion a person can read, stored as a Review on the take. The graph asks for it only
when ``DAILIES_CRITIC_LLM`` is on, because on the bundled CPU model the numbers say more than the words.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from agents.crew.role import Deps, Role


class CriticOpinion(BaseModel):
    verdict: Literal["pass", "reshoot", "escalate"]
    reasons: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=3, description="Short reasons, most important first.")
    prompt_note: str = Field("", max_length=120, description="What to add to the prompt on a reshoot.")


class Critic(Role[CriticOpinion]):
    name = "critic"
    stage = "review"
    output = CriticOpinion
    goal = "Say whether this take tells the shot's story and what one change would fix it."
    max_tokens = 160

    def __init__(self, shot: str = "", take_id: int | None = None, findings: list[dict[str, Any]] | None = None) -> None:
        self.shot, self.take_id, self.findings = shot, take_id, findings or []

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        shot = deps.store.shot(project, self.shot)
        return {
            "shot": shot.key,
            "size": shot.size,
            "description": shot.description,
            "prompt": shot.prompt or "",
            "findings": [f"{f.get('check')}: {f.get('message')}" for f in self.findings],
        }

    def _take(self, deps: Deps, project: str) -> int:
        if self.take_id is not None:
            return self.take_id
        takes = deps.store.takes(project, self.shot)
        if not takes:
            raise LookupError(f"shot {self.shot!r} has no take to review")
        return takes[-1].id  # type: ignore[return-value]

    def apply(self, deps: Deps, project: str, out: CriticOpinion) -> None:
        deps.store.add_review(
            self._take(deps, project), reviewer="critic-llm", verdict=out.verdict,
            scores={"reasons": out.reasons, "prompt_note": out.prompt_note}, notes="; ".join(out.reasons),
        )

    def recall(self, deps: Deps, project: str) -> CriticOpinion:
        review = [r for r in deps.store.reviews(self._take(deps, project)) if r.reviewer == "critic-llm"][-1]
        return CriticOpinion(verdict=review.verdict, reasons=review.scores["reasons"], prompt_note=review.scores["prompt_note"])  # type: ignore[arg-type]


def example() -> CriticOpinion:
    return CriticOpinion(verdict="reshoot", reasons=["Tom is on the wrong side of frame"], prompt_note="Tom stands on the right")
