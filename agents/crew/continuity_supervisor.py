"""Continuity supervisor: keeps the story-fact ledger and runs the grammar checks over the plan.

Two halves. The LLM half reads the screenplay and records continuity facts (props, wounds, wardrobe
changes, time jumps) in the ledger, each with the scene it holds from (and, if it ends, the scene it
holds until); the ledger is read back into the generation prompt of every shot a fact concerns
(``agents.shots.ledger``), so prompts are compiled again whenever the ledger or the shots change.
The deterministic half (``review_plan``) runs the grammar engine over the shot list, applies the fixes
that are mechanical (mirror a facing, copy the scene's wardrobe, break a jump cut, split a shot too long
for one clip) and returns what is left, which the graph sends back to the cinematographer until the
plan is clean or the round cap is reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from agents.crew.answer_shape import describe
from agents.crew.fidelity import Provenance, problem, words
from agents.crew.ids import SceneId
from agents.crew.premise import read_premise, things
from agents.crew.role import Deps, Role
from agents.crew.scene_chunks import AskedByScenes, chunks
from agents.grammar.fixes import apply_fixes
from agents.grammar.length import with_clip_limit
from agents.grammar.rules import check
from agents.llm.base import asks_small_questions
from agents.llm.errors import LLMOutputInvalid
from agents.shots.ledger import LEDGER_SUBJECT_PREFIX
from agents.shots.prompt_compiler import compile_plan_prompts
from memory.shotlist import ShotList
from memory.shotlist_io import export_shotlist
from memory.store import Store

#: A fact is a short visible state ("scarf torn", "soaked hair and jacket"): longer is a line or a story.
FACT_WORDS = 8
_WHEN = frozenset(["later", "earlier", "after", "next", "morning", "noon", "afternoon", "evening", "night", "midnight", "dawn",
                   "dusk", "sunrise", "sunset", "day", "days", "week", "weeks", "month", "months", "year", "years", "hour",
                   "hours", "minute", "minutes", "season", "winter", "spring", "summer", "autumn", "tomorrow", "yesterday"])
_SPEECH = frozenset(["i", "i'm", "i've", "i'll", "me", "my", "we", "our", "you", "your"])


class Fact(BaseModel):
    subject: str = Field(max_length=30, description="Who or what: a character id, a prop ('lamp'), or 'time' for a time jump.")
    fact: str = Field(max_length=80, description="What is true from that scene on, e.g. 'scarf torn'.")
    since_scene: SceneId
    until_scene: SceneId | None = Field(None, description="The last scene it holds in, when it ends (a wound healed); null: to the end.")


class Ledger(BaseModel):
    facts: list[Fact] = Field(default_factory=list, max_length=6 * 8)


#: One request's answer: the facts of a few scenes (``agents.crew.scene_chunks``); the same name as the
#: whole ledger, so a model (or a scripted test crew) sees one schema, "Ledger", with room for six facts.
LedgerPart: type[Ledger] = create_model("Ledger", __base__=Ledger, facts=(list[Fact], Field(default_factory=list, max_length=6)))


def ledger_part_for(subjects: Sequence[str]) -> type[Ledger]:
    """``LedgerPart`` whose subjects may only be ``subjects``: the story's people, its things, and "time".

    For a small model (``agents.llm.base.asks_small_questions``): asked for a free-text subject, the bundled
    model wrote "facts" or "The Lighthouse Keeper in the 1" for all 18 facts of a ten-minute plan, and every
    one was refused. A large model keeps the free text: it names the props the screenplay invents ("lamp").
    """
    about: Any = Literal[tuple(subjects)]
    fact = create_model("Fact", __base__=Fact, subject=(about, Field(
        description="Who or what: a character id, a thing of the story, or 'time' for a time jump.")),
        fact=(str, Field(max_length=FACT_WORDS * 6, description="What is true from that scene on, e.g. 'scarf torn'.")))
    return create_model("Ledger", __base__=Ledger, facts=(list[fact], Field(default_factory=list, max_length=6)))  # type: ignore[valid-type]


def subjects_of(store: Store, project: str) -> list[str]:
    """What a fact may be about: the story's character ids, the things its premise names, and "time"."""
    return list(dict.fromkeys([*(c.key for c in store.characters(project)), *things(read_premise(store.project(project).premise)), "time"]))


class ContinuitySupervisor(AskedByScenes, Role[Ledger]):
    name = "continuity"
    stage = "continuity"
    output = Ledger
    goal = "Record what must stay the same (or change) from scene to scene."
    max_tokens = 240

    def __init__(self) -> None:
        #: Parts of the film whose request gave no valid answer (path, why): labelled in the provenance.
        self.lost: list[tuple[str, str]] = []

    def inputs(self, deps: Deps, project: str, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """The prompt's variables for the scenes ``keys`` (all of them by default)."""
        return {
            "scenes": [{"id": s.key, "text": s.screenplay or s.summary} for s in deps.store.scenes(project) if keys is None or s.key in keys],
            "example": describe(LedgerPart),
        }

    def ask(self, deps: Deps, project: str) -> Ledger:
        """The facts of a few scenes per request, merged in scene order (no prompt grows with the film)."""
        if deps.llm is None:
            return super().ask(deps, project)  # raises the "needs an LLM" error
        facts: list[Fact] = []
        self.lost = []
        keys = chunks([s.key for s in deps.store.scenes(project)])
        schema = ledger_part_for(subjects_of(deps.store, project)) if asks_small_questions(deps.llm) else LedgerPart
        for part, messages in zip(keys, self.requests(deps, project), strict=True):
            try:
                facts += [Fact.model_validate(f.model_dump()) for f in deps.llm.structured(messages, schema, max_tokens=self.max_tokens).facts]
            except LLMOutputInvalid as exc:  # the ledger is notes on the plan: a part without facts is said, not fatal
                self.lost.append((f"facts of {part[0]}-{part[-1]}", f"no valid answer ({exc})"[:160]))
        return Ledger(facts=facts)

    def apply(self, deps: Deps, project: str, out: Ledger) -> None:
        prov = Provenance(self.name)
        for path, reason in self.lost:
            prov.removed(path, reason)
        plan = PlanFacts.read(deps.store, project)
        kept: set[tuple[str, str]] = set()
        for index, fact in enumerate(out.facts, start=1):
            key = (fact.subject.strip().lower(), " ".join(words(fact.fact)))
            why = "it repeated an earlier fact" if key in kept else fact_problem(plan, fact)
            kept.add(key)
            if why:
                prov.removed(f"fact {index}", why)
                continue
            prov.model(f"fact {index}")
            deps.store.add_fact(project, LEDGER_SUBJECT_PREFIX + fact.subject, fact.fact,
                                since_scene=fact.since_scene, until_scene=fact.until_scene)
        self.provenance = prov
        compile_plan_prompts(deps.store, project)  # the facts reach the prompts of the shots they concern

    def recall(self, deps: Deps, project: str) -> Ledger:
        return Ledger(facts=[
            Fact(subject=f.subject.removeprefix(LEDGER_SUBJECT_PREFIX), fact=f.fact, since_scene=f.since_scene or "s1",
                 until_scene=f.until_scene)
            for f in deps.store.facts(project) if f.subject.startswith(LEDGER_SUBJECT_PREFIX)
        ])


@dataclass(frozen=True)
class PlanFacts:
    """What a model-written fact is checked against, read from memory once per ledger (not once per fact)."""

    premise: str
    scene_ids: frozenset[str]
    people: frozenset[str]  # character ids and names, lower-cased
    written: str  # the screenplay's and the shots' words, space-padded for whole-phrase search

    @classmethod
    def read(cls, store: Store, project: str) -> PlanFacts:
        scenes = store.scenes(project)
        characters = store.characters(project)
        told = [s.screenplay or s.summary for s in scenes] + [shot.description for shot in store.shots(project)]
        return cls(premise=store.project(project).premise, scene_ids=frozenset(s.key for s in scenes),
                   people=frozenset(n.lower() for c in characters for n in (c.key, c.name)),
                   written=f" {' '.join(words(' '.join(told)))} ")


def fact_problem(plan: PlanFacts, fact: Fact) -> str | None:
    """Why a model-written fact may not enter the ledger (it would reach every prompt it concerns), or None.

    A fact must be about someone in the story, "time", or a thing its screenplay or shots name, hold from a scene
    the plan has, and be usable text (no placeholder, loop, or a shape copied from the prompt).
    """
    if fact.since_scene not in plan.scene_ids:
        return f"it starts in {fact.since_scene!r}, a scene the plan does not have"
    why = problem(fact.fact, sources=[plan.premise], min_words=1)
    if why:
        return why
    said, subject = words(fact.fact), fact.subject.strip().lower()
    if subject == "time" and not _WHEN.intersection(said):
        # measured: "The Lighthouse Keeper in the sea, moment 11" (a beat copied) as a time jump
        return "a time jump must say how much time passes (e.g. 'an hour later')"
    if len(said) >= 4 and f" {' '.join(said)} " in plan.written:
        return "it copied the screenplay instead of naming a state"
    if len(said) > FACT_WORDS or _SPEECH.intersection(said) or fact.fact.strip().rstrip(".").count(".") > 0:
        # measured on the bundled model: "The sea is a place of endless wonder. I've seen it in my time."
        return "it is not a state a camera shows (a fact is short, e.g. 'scarf torn')"
    if subject != "time" and subject not in plan.people and f" {' '.join(words(subject))} " not in plan.written:
        return f"its subject {fact.subject!r} is no one and nothing in the screenplay"
    return None


def review_plan(store: Store, project: str, *, longest_clip_s: float | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Check the plan, apply mechanical fixes to memory, and return (remaining findings, changes made).

    ``longest_clip_s`` is the generator's longest clip (``agents.shots.clip_limit``): longer shots are split.
    """
    plan = with_clip_limit(export_shotlist(store, project), longest_clip_s)
    fixed, changes = apply_fixes(plan)
    if changes:
        write_back(store, project, plan, fixed)
        compile_plan_prompts(store, project)  # new and reframed shots get prompts naming what they show
    findings = [f.model_dump(mode="json") for f in check(fixed)]
    return findings, [str(c) for c in changes]


def write_back(store: Store, project: str, before: ShotList, after: ShotList) -> None:
    """Store a fixed plan shot by shot (keeping every other note on the shots), inserting new shots in place."""
    old = {shot.id: shot for _, shot in before.shots()}
    for scene in after.scenes:
        for position, shot in enumerate(scene.shots):
            fields = shot.model_dump(mode="json", exclude={"id"})
            known = {k: v for k, v in fields.items() if k in store.SHOT_FIELDS}
            extra = {k: v for k, v in fields.items() if k not in store.SHOT_FIELDS}
            if shot.id in old and old[shot.id] == shot:
                store.update_shot(project, shot.id, position=position)
            else:
                store.upsert_shot(project, scene.id, shot.id, **known, extra=extra, position=position)


def example() -> Ledger:
    return Ledger(facts=[Fact(subject="tom", fact="soaked hair and jacket", since_scene="s1")])
