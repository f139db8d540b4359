"""The critic's verdict policy: measurements and a shot's take history in, ``pass | reshoot | escalate`` out.

A pure function (``decide``), so the graph, the critic role and the tests share one rule:

- **pass** when no finding fails the take (warnings are listed as reasons) and no configured opinion
  asks for another take;
- **reshoot** otherwise, naming what changes, one rung higher on an escalating ladder each time:
  new seed → revised prompt (a note per failing check, from ``prompts/critic_notes.md``) → stronger
  reference conditioning (only when the shot has reference images) → a different backend preset (only
  when another one is offered). Every reshoot also gets a new seed, so no reshoot repeats a take;
- **escalate** to the creator when the per-shot reshoot cap is reached, the ladder has no rung left,
  the film's GPU-seconds budget would be exceeded by another take, a failing check is one a reshoot
  cannot fix (a wrong duration is the backend's frame-count rule, not luck), or an opinion says so.

The verdict carries ``knobs`` (a typed ``Knobs``): the complete, cumulative set of changes for the next
take (what the shooting nodes read): ``seed_offset``, ``prompt_note``, ``reference_strength``, ``preset``,
and ``rung`` (the ladder rung that made it). An LLM reviewer's opinion is the critic role's own answer
(``agents.crew.critic.CriticOpinion``), not a copy of it. Pass them back as ``CriticInput.knobs`` when judging that take: the
ladder continues from ``rung`` (and from any ``Attempt.knob`` in the history).
Never an endless loop: the cap and the ladder both bound it.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.critic import CriticOpinion
from generator.measure import Finding

Knob = Literal["new_seed", "revised_prompt", "stronger_reference", "backend_preset"]
#: The ladder, lowest rung first.
LADDER: tuple[Knob, ...] = ("new_seed", "revised_prompt", "stronger_reference", "backend_preset")
#: Failing checks that no reshoot fixes: they go straight to the creator.
NOT_FIXED_BY_RESHOOT: frozenset[str] = frozenset({"duration"})

Verdict = Literal["pass", "reshoot", "escalate"]


class Attempt(BaseModel):
    """One earlier take of this shot that the critic judged (oldest first)."""

    take: int = Field(0, description="Take number, for the reasons shown to people.")
    knob: Knob | None = Field(None, description="The rung that produced this take; None for the first take.")
    failed_checks: list[str] = Field(default_factory=list, description="Check ids that failed on it.")
    gpu_seconds: float = Field(0.0, ge=0, description="GPU time its render took.")


class Knobs(BaseModel):
    """What the next take changes: cumulative over a shot's reshoots, carried in the shooting job's state."""

    seed_offset: int = Field(0, ge=0, description="Added to the shot's base seed.")
    prompt_note: str = Field("", description="Appended to the shot's prompt ('; '-separated notes).")
    reference_strength: float | None = Field(None, ge=0, le=1, description="Reference conditioning; None = the backend's default.")
    preset: str | None = Field(None, description="Backend preset to render with; None = the configured one.")
    rung: Knob | None = Field(None, description="The ladder rung that set these knobs; None for a first take.")

    def render_options(self) -> dict[str, Any]:
        """The knobs a backend reads from ``RenderRequest.options``."""
        return {k: v for k, v in (("reference_strength", self.reference_strength), ("preset", self.preset)) if v is not None}


class CriticInput(BaseModel):
    """Everything the policy looks at for one take."""

    shot: str = Field(description="Shot id, e.g. '1A' (seeds are derived from it).")
    findings: list[Finding] = Field(default_factory=list, description="The take's measured findings.")
    history: list[Attempt] = Field(default_factory=list, description="Earlier takes in this shot's loop, oldest first.")
    knobs: Knobs = Field(default_factory=Knobs, description="Knobs the current take was rendered with.")
    opinion: CriticOpinion | None = Field(None, description="A configured LLM/VLM reviewer's opinion, if any.")
    max_reshoots: int = Field(2, ge=0, description="Reshoots allowed per shot before escalating (settings.max_reshoots).")
    take_gpu_seconds: float = Field(0.0, ge=0, description="GPU time the current take took.")
    film_gpu_seconds: float = Field(0.0, ge=0, description="GPU time the whole film has used so far, this take included.")
    gpu_budget_s: float | None = Field(None, gt=0, description="GPU seconds allowed for the whole film; None = no budget.")
    has_references: bool = Field(False, description="The shot's characters have reference images to condition on.")
    reference_strength: float = Field(0.6, ge=0, le=1, description="The backend's default reference strength.")
    reference_step: float = Field(0.2, gt=0, le=1, description="How much each 'stronger reference' rung adds.")
    preset: str | None = Field(None, description="The backend preset the current take used.")
    presets: list[str] = Field(default_factory=list, description="Other presets to fall back to, preferred first.")


class Change(BaseModel):
    """What a reshoot changes, for people and for the record."""

    knob: Knob
    detail: str


class CriticVerdict(BaseModel):
    verdict: Verdict
    reasons: list[str] = Field(description="Why, most important first: failing findings, then the decision.")
    failing: list[str] = Field(default_factory=list, description="Check ids that failed the take.")
    change: Change | None = Field(None, description="On a reshoot: the rung climbed.")
    knobs: Knobs = Field(default_factory=Knobs, description="On a reshoot: all knobs for the next take.")


@cache
def prompt_notes() -> dict[str, str]:
    """Check id → the note a 'revised prompt' reshoot adds (``agents/crew/prompts/critic_notes.md``)."""
    text = resources.files("agents.crew").joinpath("prompts/critic_notes.md").read_text(encoding="utf-8")
    return {m[1]: m[2].strip() for m in re.finditer(r"^- (\w+): (.+)$", text, flags=re.MULTILINE)}


def new_seed_offset(shot: str, reshoot: int) -> int:
    """A seed offset for reshoot ``reshoot`` of ``shot``: deterministic (replays match), never 0."""
    digest = hashlib.sha256(f"{shot}/reshoot/{reshoot}".encode()).digest()
    return 1 + int.from_bytes(digest[:4], "big") % (2**31 - 1)


def _note(failing: list[str], opinion: CriticOpinion | None, current: str) -> str:
    notes = prompt_notes()
    parts = [p for p in current.split("; ") if p]
    for check in failing:
        n = notes.get(check)
        if n and n not in parts:
            parts.append(n)
    if opinion is not None and opinion.prompt_note and opinion.prompt_note not in parts:
        parts.append(opinion.prompt_note)
    return "; ".join(parts)


def _next_rung(inp: CriticInput, failing: list[str]) -> tuple[Change, Knobs] | None:
    """The lowest applicable rung above every rung already used, with the knobs it sets."""
    used = [LADDER.index(a.knob) for a in inp.history if a.knob is not None]
    if inp.knobs.rung is not None:  # the rung that produced the current take
        used.append(LADDER.index(inp.knobs.rung))
    start = max(used) + 1 if used else 0
    knobs = inp.knobs.model_copy(update={"seed_offset": new_seed_offset(inp.shot, len(inp.history) + 1)})
    strength = knobs.reference_strength if knobs.reference_strength is not None else inp.reference_strength
    current_preset = knobs.preset or inp.preset
    tried = {current_preset, inp.preset}
    for rung in LADDER[start:]:
        if rung == "new_seed":
            return Change(knob=rung, detail=f"new seed (offset {knobs.seed_offset})"), knobs
        if rung == "revised_prompt":
            note = _note(failing, inp.opinion, knobs.prompt_note)
            if note and note != knobs.prompt_note:
                return Change(knob=rung, detail=f"prompt adds: {note}"), knobs.model_copy(update={"prompt_note": note})
        if rung == "stronger_reference" and inp.has_references and strength < 1.0:
            stronger = round(min(1.0, strength + inp.reference_step), 3)
            detail = f"reference strength {strength:g} → {stronger:g}"
            return Change(knob=rung, detail=detail), knobs.model_copy(update={"reference_strength": stronger})
        if rung == "backend_preset":
            fresh = [p for p in inp.presets if p not in tried]
            if fresh:
                detail = f"backend preset {current_preset or 'default'} → {fresh[0]}"
                return Change(knob=rung, detail=detail), knobs.model_copy(update={"preset": fresh[0]})
    return None


def decide(inp: CriticInput) -> CriticVerdict:
    """The verdict on one take (see the module docstring for the rules)."""
    failing_findings = [f for f in inp.findings if f.fails]
    failing: list[str] = list(dict.fromkeys(str(f.check) for f in failing_findings))
    reasons = [f"{f.check}: {f.message}" for f in failing_findings]
    reasons += [f"warning — {f.check}: {f.message}" for f in inp.findings if not f.fails]
    opinion = inp.opinion
    if opinion is not None and opinion.verdict != "pass":
        reasons += [f"reviewer: {r}" for r in opinion.reasons] or [f"reviewer asks to {opinion.verdict}"]
        if not failing:
            failing = ["opinion"]

    def escalate(why: str) -> CriticVerdict:
        return CriticVerdict(verdict="escalate", reasons=[*reasons, why], failing=failing)

    if not failing:
        return CriticVerdict(verdict="pass", reasons=reasons or ["every check passed"])
    if opinion is not None and opinion.verdict == "escalate":
        return escalate("the reviewer asks the creator to decide")
    unfixable = [c for c in failing if c in NOT_FIXED_BY_RESHOOT]
    if unfixable:
        return escalate(f"a reshoot cannot fix {', '.join(unfixable)}: the backend renders the same length every time")
    done = len(inp.history)
    if done >= inp.max_reshoots:
        return escalate(f"reshoot cap reached ({done} of {inp.max_reshoots}): the creator decides")
    if inp.gpu_budget_s is not None:
        spent = [a.gpu_seconds for a in inp.history] + [inp.take_gpu_seconds]
        estimate = sum(spent) / len(spent)
        if inp.film_gpu_seconds + estimate > inp.gpu_budget_s:
            return escalate(
                f"GPU budget: {inp.film_gpu_seconds:.0f} s used of {inp.gpu_budget_s:.0f} s, "
                f"another take needs about {estimate:.0f} s"
            )
    rung = _next_rung(inp, failing)
    if rung is None:
        return escalate("no reshoot left to try (every rung of the ladder was used)")
    change, knobs = rung
    knobs = knobs.model_copy(update={"rung": change.knob})
    why = f"reshoot {done + 1} of {inp.max_reshoots}: {change.detail}"
    return CriticVerdict(verdict="reshoot", reasons=[*reasons, why], failing=failing, change=change, knobs=knobs)
