"""The production board: one project as the studio's pages show it, read in one bulk query per table.

Why a read model of its own: the studio page draws the script, the shot list, the storyboard and the
bible every time the plan or a take changes. Reading them row by row (one query per shot, one per take,
one per review) grows with the film; ``board`` reads the project once (``Store.dump_project``) and
hands back frozen, typed views, so the page only renders. The domain rules the page needs live here
too, next to the data they judge: which take is on screen for a shot (``current_take``, from
``memory.models.CURRENT_TAKE_STATUSES``), and whether a take belongs to a shot (``take_of_shot``, the
rule the shot gate applies).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from agents.crew.voices import voice_of
from memory.board_page import board_page
from memory.models import CURRENT_TAKE_STATUSES, Project, Review, Take
from memory.project_rows import ProjectRows
from memory.store import Store
from memory.story import CharacterVoice


class _HasStatus(Protocol):
    @property
    def status(self) -> str: ...


T = TypeVar("T", bound=_HasStatus)


@dataclass(frozen=True)
class ProjectView:
    """The project's own fields, detached from memory."""

    id: str
    title: str
    premise: str
    logline: str
    status: str
    target_runtime_s: float
    style_notes: str
    owner: str | None
    updated_at: datetime

    @property
    def label(self) -> str:
        """The project's one name wherever it shows: its title, else the start of its premise."""
        return self.title or (self.premise[:40] + ("…" if len(self.premise) > 40 else ""))

    @classmethod
    def of(cls, row: Project) -> ProjectView:
        return cls(
            id=row.id, title=row.title, premise=row.premise, logline=row.logline, status=row.status,
            target_runtime_s=float(row.target_runtime_s), style_notes=row.style_notes, owner=row.owner,
            updated_at=row.updated_at,
        )  # fmt: skip


@dataclass(frozen=True)
class ReviewFinding:
    """One measured check of the critic's newest review: its value against the threshold."""

    check: str
    value: float
    threshold: float
    severity: str


@dataclass(frozen=True)
class TakeView:
    """One take of a shot and the critic's newest review of it ("" when nobody reviewed it)."""

    id: int
    number: int
    status: str
    path: str
    verdict: str = ""
    notes: str = ""
    findings: tuple[ReviewFinding, ...] = ()
    stale_reason: str = ""
    """Why the take no longer matches its shot ("s1-02 edited: duration 3→4 s"); "" unless it is stale."""
    measured: tuple[tuple[str, float], ...] = ()
    """Every value the critic measured on the take (check name, value), passing or not."""
    tier: str = "draft"
    """``draft`` (the production's render) or ``final`` (a promotion: ``agents.desk.tiers``)."""
    rung: str = ""
    """The critic's reshoot-ladder rung that made this take ("revised_prompt"); "" for a first take."""


ShotState = Literal["planned", "shot", "approved", "stale", "failed"]


@dataclass(frozen=True)
class StagedCharacter:
    """Where a character stands in a shot (0 = left edge, 1 = right edge) and which way they look."""

    id: str
    x: float
    facing: str


@dataclass(frozen=True)
class ShotView:
    """A shot in film order, its staging and its takes (oldest first)."""

    key: str
    scene: str
    size: str
    duration_s: float
    description: str
    prompt: str
    staging: tuple[StagedCharacter, ...]
    takes: tuple[TakeView, ...] = ()
    note_changes: tuple[str, ...] = ()
    """What the creator's last reshoot note changed in the shot ("size MS→MCU"; ``agents.shots.note_changes``)."""

    @property
    def current(self) -> TakeView | None:
        """The take on screen for the shot (see ``current_take``)."""
        return current_take(self.takes)

    @property
    def state(self) -> ShotState:
        """Where the shot stands, from its takes: ``planned`` (never shot), ``shot`` (a take waits for a
        decision), ``approved``, ``stale`` (the shot changed after its take was made) or ``failed``. The page adds
        what only the job runner knows (``rendering``) and the graph (``needs you``)."""
        current = self.current
        if current is None:
            return "planned"
        states: dict[str, ShotState] = {"approved": "approved", "done": "shot", "stale": "stale", "rejected": "stale", "rendering": "planned"}
        return states.get(current.status, "failed")


@dataclass(frozen=True)
class SceneView:
    key: str
    heading: str
    location: str
    summary: str
    screenplay: str


@dataclass(frozen=True)
class VoiceView:
    """How a character sounds (the bible page shows and edits it): a voice backend, one of its voices, the
    character's pitch shift in semitones and speaking rate."""

    backend: str
    voice_id: str
    pitch: float
    rate: float


@dataclass(frozen=True)
class CharacterView:
    key: str
    name: str
    description: str
    wardrobe: Mapping[str, str]
    reference_images: tuple[str, ...]
    voice: VoiceView | None = None  # the stored voice, or the one cast from the sheet when none is stored yet


@dataclass(frozen=True)
class LocationView:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class Board:
    """Everything the studio's pages show of one project, from one consistent read."""

    project: ProjectView
    scenes: tuple[SceneView, ...] = ()
    shots: tuple[ShotView, ...] = ()
    characters: tuple[CharacterView, ...] = ()
    locations: tuple[LocationView, ...] = ()
    messages: int = 0
    by_key: Mapping[str, ShotView] = field(default_factory=dict, compare=False, repr=False)

    def shot(self, key: str) -> ShotView | None:
        return self.by_key.get(key)


@dataclass(frozen=True)
class StoryboardPage:
    """One page of the storyboard: shots ``offset`` … in film order, with their takes, and the film's shot count.

    Why pages: a ten-minute film has 150 cards; the storyboard shows a screenful and asks for the next page
    as the creator scrolls, so neither the read nor the page grows with the film (``memory.board_page``).
    """

    total: int
    offset: int
    limit: int
    shots: tuple[ShotView, ...]

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts; None on the last page."""
        end = self.offset + len(self.shots)
        return end if self.shots and end < self.total else None


def storyboard_page(store: Store, project: str, *, offset: int = 0, limit: int = 24) -> StoryboardPage:
    """Shots ``offset`` … ``offset + limit - 1`` of the film as the board shows them (same views as ``board``)."""
    total, rows = board_page(store, project, offset=offset, limit=limit)
    return StoryboardPage(total=total, offset=offset, limit=limit, shots=board_of(rows).shots)


def current_take(takes: Sequence[T]) -> T | None:
    """The take on screen for a shot: the approved one, else the newest finished one, else the newest.

    ``takes`` are oldest first; the statuses that count as a usable take are memory's
    ``CURRENT_TAKE_STATUSES`` (approved is preferred over done)."""
    for status in sorted(CURRENT_TAKE_STATUSES, key=lambda s: s != "approved"):
        chosen = [t for t in takes if t.status == status]
        if chosen:
            return chosen[-1]
    return takes[-1] if takes else None


def take_of_shot(store: Store, project: str, shot: str, take_id: int) -> Take | None:
    """The take ``take_id`` if it is a take of ``shot`` in ``project``, else None (the shot gate's rule)."""
    take = next((t for t in store.takes(project, shot) if t.id == take_id), None)
    return take if take is not None and take.shot_id == store.shot(project, shot).id else None


def board(store: Store, project: str) -> Board:
    """The project's board from one ``dump_project`` (one query per table, whatever the film's length)."""
    return board_of(store.dump_project(project))


def board_of(rows: ProjectRows) -> Board:
    takes: dict[str, list[TakeView]] = {}
    latest = _latest_reviews(rows)
    for index, row in enumerate(rows.takes):
        take, review = row.take, latest.get(index)
        findings = tuple(
            ReviewFinding(str(f.get("check")), float(f.get("value", 0)), float(f.get("threshold", 0)), str(f.get("severity")))
            for f in (review.scores.get("findings") or [] if review else [])
            if isinstance(f, dict)
        )
        takes.setdefault(row.shot_key, []).append(TakeView(
            id=int(take.id or 0), number=take.number, status=take.status, path=take.path or "",
            verdict=review.verdict if review else "", notes=review.notes if review else "", findings=findings,
            stale_reason=take.stale_reason or "" if take.status == "stale" else "", measured=_measured(review), tier=take.tier,
            rung=str(((take.parameters or {}).get("knobs") or {}).get("rung") or ""),
        ))  # fmt: skip
    shots = tuple(
        ShotView(
            key=shot.key, scene=scene, size=shot.size, duration_s=float(shot.duration_s), description=shot.description,
            prompt=shot.prompt or "", takes=tuple(takes.get(shot.key, ())),
            note_changes=tuple(str(c) for c in shot.notes.get("note_changes") or () if isinstance(c, str)),
            staging=tuple(
                StagedCharacter(str(c.get("id")), float(c.get("x", 0.5)), str(c.get("facing", "camera")))
                for c in shot.characters
            ),
        )
        for scene, shot in rows.shots
    )  # fmt: skip
    return Board(
        project=ProjectView.of(rows.project),
        scenes=tuple(SceneView(s.key, s.heading, s.location, s.summary, s.screenplay) for s in rows.scenes),
        shots=shots,
        characters=tuple(
            CharacterView(c.key, c.name or c.key, c.description, dict(c.wardrobe), tuple(c.reference_images),
                          _voice_view(voice_of(c)))
            for c in rows.characters
        ),
        locations=tuple(LocationView(loc.key, loc.name or loc.key, loc.description) for loc in rows.locations),
        messages=len(rows.messages),
        by_key={s.key: s for s in shots},
    )


def _measured(review: Review | None) -> tuple[tuple[str, float], ...]:
    values = review.scores.get("measured") if review else None
    if not isinstance(values, dict):
        return ()
    return tuple((str(k), float(v)) for k, v in values.items() if isinstance(v, int | float) and not isinstance(v, bool))


def _latest_reviews(rows: ProjectRows) -> dict[int, Review]:
    """Take index → its newest review (reviews come in id order)."""
    latest: dict[int, Review] = {}
    for row in rows.reviews:
        latest[row.take_index] = row.review
    return latest


def _voice_view(voice: CharacterVoice) -> VoiceView:
    return VoiceView(voice.backend, voice.voice_id, voice.pitch, voice.rate)
