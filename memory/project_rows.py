"""``ProjectRows``: every row of one project, detached from any session, keyed by what files use.

Why a plain bundle: the interchange formats (story bible, shot list, Fountain) convert files to and from
rows without ever touching a session; the store reads or writes a whole bundle in one transaction, so an
import is all-or-nothing and an export is one consistent snapshot. Rows refer to each other by the keys
files use (scene key, shot key, take index), never by database ids, which are assigned on insert.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from memory.models import (
    Character,
    ChatMessage,
    Decision,
    Location,
    Project,
    Review,
    Scene,
    Shot,
    StoryFact,
    Take,
)


@dataclass
class TakeRow:
    """A take and the key of its shot."""

    shot_key: str
    take: Take


@dataclass
class ReviewRow:
    """A review and the index (in ``ProjectRows.takes``) of the take it judges."""

    take_index: int
    review: Review


@dataclass
class DecisionRow:
    """A decision, the key of its shot (if any) and the index of its take (if any)."""

    shot_key: str | None
    take_index: int | None
    decision: Decision


@dataclass
class ProjectRows:
    project: Project
    characters: list[Character] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    scenes: list[Scene] = field(default_factory=list)
    #: (scene key, shot) in film order; the shot's ``position`` orders it inside its scene.
    shots: list[tuple[str, Shot]] = field(default_factory=list)
    takes: list[TakeRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)
    messages: list[ChatMessage] = field(default_factory=list)
    facts: list[StoryFact] = field(default_factory=list)
