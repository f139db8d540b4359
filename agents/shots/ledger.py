"""The continuity ledger, read: which story facts a shot must show.

The continuity supervisor writes facts — a prop, a wound, a wardrobe change, a time jump — each holding
from a scene on (``since_scene``) and, when it ends, up to a scene (``until_scene``). A fact is only worth
something if the shots it concerns show it, so the prompt compiler asks ``facts_for_shot`` and puts what
it returns into the prompt verbatim. A fact concerns a shot when the shot's scene lies in the fact's
range and its subject is

- a character staged in the shot (by id or name): ``tom`` — "soaked hair and jacket";
- a time jump (``TIME_SUBJECTS``): every shot in the range — "three days later, snow on the ground";
- anything else, a prop: shots that name it in their description, dialogue or ``props`` — ``lamp`` — "cracked glass"
  (a character merely mentioned in a line is not on screen, so their facts stay out).

Which facts a scene reads at all: ``ledger_for_scene`` searches the ledger's subjects by all of the scene's
own words (its place, the people it shows, its shots' descriptions, lines and props, and the time-jump words)
through ``memory.fact_search`` (SQLite FTS5 by default) and returns at most ``SCENE_FACTS`` of them. So compiling a
scene's prompts reads the same few rows in a ten-minute film as in a short one, and a fact set in act one
is found in act three because the search is by what the scene shows, not by where the fact was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from memory.fact_search import search_facts
from memory.models import StoryFact
from memory.shotlist import Scene, Shot, ShotList
from memory.store import Store

#: Ledger facts are stored as story facts whose subject starts with this (other facts are the writer's).
LEDGER_SUBJECT_PREFIX: Final = "ledger:"
#: Subjects that mean "the whole story from here": a time jump concerns every shot in its range.
TIME_SUBJECTS: Final = frozenset({"time", "time jump", "story", "world", "everyone", "all"})
#: Most ledger facts one scene reads (the best matches of its words); the ledger itself may be far longer.
SCENE_FACTS: Final = 24


@dataclass(frozen=True)
class LedgerFact:
    """One continuity fact as the crew reads it."""

    subject: str  # a character id or name, a prop ("lamp"), or a TIME_SUBJECTS word for a time jump
    fact: str  # what is true in that range, e.g. "scarf torn"
    since_scene: str | None = None  # first scene it holds in (None: from the start)
    until_scene: str | None = None  # last scene it holds in (None: to the end)

    @property
    def is_time(self) -> bool:
        return self.subject.strip().casefold() in TIME_SUBJECTS


def ledger_facts(rows: Iterable[StoryFact]) -> list[LedgerFact]:
    """The ledger's facts among a project's story facts (``Store.facts``), in the order they were written."""
    return [
        LedgerFact(row.subject.removeprefix(LEDGER_SUBJECT_PREFIX).strip(), row.fact.strip(), row.since_scene, row.until_scene)
        for row in rows
        if row.subject.startswith(LEDGER_SUBJECT_PREFIX) and row.fact.strip()
    ]


def facts_for_shot(
    facts: Sequence[LedgerFact], plan: ShotList, scene: Scene, shot: Shot, *, scene_order: Sequence[str] | None = None
) -> list[LedgerFact]:
    """The facts ``shot`` must show: in its scene's range, about someone on screen, a time jump, or a prop it names.

    ``scene_order`` is the film's scene ids in order, when ``plan`` holds only part of the film.
    """
    if not facts:
        return []
    order = {key: i for i, key in enumerate(scene_order if scene_order is not None else [s.id for s in plan.scenes])}
    here = order.get(scene.id)
    if here is None:
        return []
    on_screen: set[str] = set()
    for staged in shot.characters:
        on_screen.add(staged.id.casefold())
        character = plan.character(staged.id)
        if character is not None and character.name:
            on_screen.add(character.name.strip().casefold())
    cast = {c.id.casefold() for c in plan.characters} | {c.name.strip().casefold() for c in plan.characters if c.name}
    text = " ".join([shot.description, *(line.line for line in shot.dialogue), *(prop.partition(":")[0] for prop in shot.props)])
    chosen = []
    for fact in facts:
        if not _in_range(fact, order, here):
            continue
        subject = fact.subject.strip().casefold()
        if subject in on_screen or fact.is_time or (subject not in cast and _names(text, subject)):
            chosen.append(fact)
    return chosen


def _in_range(fact: LedgerFact, order: dict[str, int], here: int) -> bool:
    """Inside since…until (both inclusive); a scene id the plan does not have places the fact nowhere."""
    if fact.since_scene is not None and order.get(fact.since_scene, len(order)) > here:
        return False
    return fact.until_scene is None or order.get(fact.until_scene, -1) >= here


def _names(text: str, subject: str) -> bool:
    """``text`` names ``subject`` as whole words (a plural counts): 'the lamps' names 'lamp', 'clamp' does not."""
    if not subject:
        return False
    return re.search(rf"(?<!\w){re.escape(subject)}(?:s|es)?(?!\w)", text, flags=re.IGNORECASE) is not None


def props_for_shot(
    facts: Sequence[LedgerFact], plan: ShotList, scene: Scene, shot: Shot, *, scene_order: Sequence[str] | None = None
) -> list[str]:
    """The shot's props with their state: its own ``props`` and the ledger's props it names (``'lamp: cracked glass'``).

    A ledger fact about a prop the shot already lists replaces that entry (the ledger knows its state);
    listed props the ledger does not know stay as written.
    """
    cast = {c.id.casefold() for c in plan.characters} | {c.name.strip().casefold() for c in plan.characters if c.name}
    cast |= {s.id.casefold() for s in shot.characters}
    tracked = [
        f for f in facts_for_shot(facts, plan, scene, shot, scene_order=scene_order)
        if not f.is_time and f.subject.strip().casefold() not in cast
    ]
    known = {f.subject.strip().casefold() for f in tracked}
    own = [prop for prop in shot.props if prop.strip() and prop.partition(":")[0].strip().casefold() not in known]
    return [*own, *(f"{f.subject}: {f.fact}" for f in tracked)]


def scene_words(plan: ShotList, scene: Scene) -> list[str]:
    """What ``scene`` shows, as text to search the ledger by: its place, the people in its shots (ids and
    names), its shots' descriptions, lines and props, and the time-jump subjects (they concern every scene)."""
    texts = [scene.location, scene.heading, *sorted(TIME_SUBJECTS)]
    for shot in scene.shots:
        for staged in shot.characters:
            character = plan.character(staged.id)
            texts += [staged.id, character.name if character is not None else ""]
        texts += [shot.description, *(line.line for line in shot.dialogue), *(p.partition(":")[0] for p in shot.props)]
    return texts


def ledger_for_scene(store: Store, project: str, plan: ShotList, scene: Scene, *, limit: int = SCENE_FACTS) -> list[LedgerFact]:
    """The ledger's facts that may concern ``scene`` (``facts_for_shot`` then picks per shot), found by the
    scene's words; at most ``limit``, in the order they were written.

    The search sends every word of the scene (a scene's text is bounded by its own shots, not by the film) and
    matches them against the facts' subjects only, because ``facts_for_shot`` keeps a fact only when its
    subject is on screen or named. Capped at the search's default 64 words, a scene of five shots with
    two-sentence descriptions and a line each lost its last shots' words, so a prop named there (the
    bottle of act one, in act three) never reached that shot's prompt.
    """
    rows = search_facts(
        store, project, scene_words(plan, scene), subject_prefix=LEDGER_SUBJECT_PREFIX, limit=limit,
        subject_only=True, max_words=None,
    )  # fmt: skip
    return ledger_facts(rows)
