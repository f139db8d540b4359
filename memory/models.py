"""The story memory's tables (SQLModel).

One row type per concept of a production. Keys that people and files use (``"s1"``, ``"s1-01"``,
``"mara"``) are stored as ``key`` columns, unique within their project; integer ``id`` columns are the
database's own and never leave the store's API except as take/review ids.

JSON columns use ``MutableDict``/``MutableList`` so in-place edits are seen by SQLAlchemy (a plain
``Column(JSON)`` silently drops them). Every table that belongs to a project has a foreign key with
``ON DELETE CASCADE``, so deleting a project removes all of it in one statement.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlmodel import Field, SQLModel

from memory.story import CharacterVoice, ModelList, ModelValue, SpokenLine


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json_dict() -> Any:
    return Field(default_factory=dict, sa_column=Column(MutableDict.as_mutable(JSON), nullable=False))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(MutableList.as_mutable(JSON), nullable=False))


def _json_dict_with_default() -> Any:
    """A JSON dict column added after the first schema: existing rows get ``{}`` from the server default."""
    return Field(
        default_factory=dict,
        sa_column=Column(MutableDict.as_mutable(JSON), nullable=False, server_default=text("'{}'")),
    )


def _json_list_with_default() -> Any:
    """A JSON list column added after the first schema: existing rows get ``[]`` from the server default."""
    return Field(
        default_factory=list,
        sa_column=Column(MutableList.as_mutable(JSON), nullable=False, server_default=text("'[]'")),
    )


def _project_fk() -> Any:
    return Field(sa_column=Column(String, ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True))


PROJECT_STATUSES = ("new", "developing", "planned", "shooting", "review", "cut", "failed")


class Project(SQLModel, table=True):
    id: str = Field(primary_key=True, description="Short stable id, e.g. 'the-keeper-3fa2'; also the graph's thread id.")
    title: str = ""
    premise: str = ""
    logline: str = ""
    target_runtime_s: float = 60.0
    style_notes: str = ""
    status: str = "new"
    owner: str | None = Field(default=None, index=True, description="User who owns it (studio login); None = local.")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    beats: list[str] = _json_list_with_default()
    """The story's beats in order, one short sentence each (the writer's outline). Revision 0004."""
    extra: dict[str, Any] = _json_dict_with_default()
    """Free project-level data kept for round trips: ``shotlist`` (unknown top-level fields of an imported
    shot-list file), ``title_page`` (a Fountain title page), a role's notes. Added in revision 0002."""


class Character(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    key: str
    name: str = ""
    description: str = ""
    wardrobe: dict[str, str] = _json_dict()
    voice_notes: str = ""
    voice: CharacterVoice | None = Field(default=None, sa_column=Column(ModelValue(CharacterVoice), nullable=True))
    """How the character sounds (backend, voice id, pitch, rate); None until cast. Revision 0005."""
    reference_images: list[str] = _json_list()
    extra: dict[str, Any] = _json_dict()


class Location(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    key: str
    name: str = ""
    interior: bool | None = None
    """Inside (``INT.``) or outside (``EXT.``); None when nobody said (e.g. a Fountain import). Revision 0004."""
    description: str = ""


class Scene(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    key: str
    position: int = 0
    heading: str = ""
    location: str = ""
    time_of_day: str | None = None
    story_day: int | None = None
    summary: str = ""
    screenplay: str = ""
    cast: list[str] = _json_list_with_default()
    """Keys of the characters in the scene, speaking or not. Revision 0004."""
    dialogue: list[SpokenLine] = Field(
        default_factory=list,
        sa_column=Column(MutableList.as_mutable(ModelList(SpokenLine)), nullable=False, server_default=text("'[]'")),
    )
    """The scene's lines in order. Revision 0004."""
    notes: dict[str, Any] = _json_dict()
    extra: dict[str, Any] = _json_dict()
    """Only fields a file carried that memory does not know (kept for round trips): e.g. a Fountain
    scene's ``sections`` and ``scene_number``."""


class Shot(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "key"), Index("ix_shot_scene_position", "scene_id", "position"))
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    scene_id: int = Field(sa_column=Column(Integer, ForeignKey("scene.id", ondelete="CASCADE"), nullable=False))
    key: str
    position: int = 0
    size: str = "MS"
    duration_s: float = 3.0
    framing: str | None = None
    characters: list[dict[str, Any]] = _json_list()
    camera: dict[str, Any] = _json_dict()
    crosses_axis: bool = False
    movement: dict[str, Any] | None = Field(default=None, sa_column=Column(MutableDict.as_mutable(JSON), nullable=True))
    time_of_day: str | None = None
    wardrobe: dict[str, str] = _json_dict()
    dialogue: list[dict[str, Any]] = _json_list()
    description: str = ""
    lighting: str | None = None
    prompt: str | None = None
    negative_prompt: str | None = None
    notes: dict[str, Any] = _json_dict()
    extra: dict[str, Any] = _json_dict()
    status: str = "planned"


TAKE_STATUSES = ("rendering", "done", "failed", "stale", "approved", "rejected")
#: Statuses of a take that still stands for its shot (not failed, set aside, or outdated by a change).
CURRENT_TAKE_STATUSES = ("done", "approved")


class Take(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    shot_id: int = Field(sa_column=Column(Integer, ForeignKey("shot.id", ondelete="CASCADE"), nullable=False, index=True))
    number: int = 1
    request_hash: str = Field(index=True)
    path: str = ""
    seed: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))  # seeds reach 2**63 (64-bit)
    backend: str = ""
    model: str = ""
    parameters: dict[str, Any] = _json_dict()
    timings: dict[str, float] = _json_dict()
    frame_count: int = 0
    status: str = "done"
    stale_reason: str | None = None
    """Why a take no longer matches its shot (e.g. "shot s1-02 edited: size MS→CU"); set with status 'stale'. Revision 0002."""
    tier: str = Field(default="draft", sa_column=Column(String, nullable=False, server_default=text("'draft'")))
    """``draft`` (the production's own renders) or ``final`` (a promotion at the quality preset). Revision 0006."""
    created_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    take_id: int = Field(sa_column=Column(Integer, ForeignKey("take.id", ondelete="CASCADE"), nullable=False, index=True))
    reviewer: str = "critic"
    verdict: str = ""
    scores: dict[str, Any] = _json_dict()
    notes: str = ""
    created_at: datetime = Field(default_factory=utcnow)


DECISION_KINDS = ("approve_plan", "approve", "reshoot", "edit", "revert")


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    shot_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("shot.id", ondelete="CASCADE"), nullable=True, index=True)
    )
    take_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("take.id", ondelete="SET NULL"), nullable=True))
    kind: str
    by: str = "creator"
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class ChatMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    role: str
    content: str
    data: dict[str, Any] = _json_dict()
    created_at: datetime = Field(default_factory=utcnow, index=True)


class StoryFact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: str = _project_fk()
    subject: str
    fact: str
    since_scene: str | None = None
    until_scene: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


TIERS = ("draft", "final")


class UsageEntry(SQLModel, table=True):
    """One render in the usage ledger: whose, which month, which tier, how many output seconds. Revision 0006.

    Why a ledger of entries and not a counter per month: an operator sees what was spent where, and a
    deleted project does not give its minutes back (no foreign key to the project on purpose)."""

    __table_args__ = (Index("ix_usageentry_user_month", "user", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    user: str = Field(description="Who rendered ('' = the local single user).")
    month: str = Field(description="UTC month of the render, 'YYYY-MM'.")
    tier: str = "draft"
    seconds: float = Field(description="Output seconds rendered (the take's length, not the compute time).")
    project_id: str = ""
    shot_key: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    """A public-API key of one user: only its argon2 hash is kept, found by its short public id. Revision 0006."""

    id: int | None = Field(default=None, primary_key=True)
    key_id: str = Field(sa_column=Column(String, nullable=False, unique=True))
    user: str = Field(index=True)
    secret_hash: str
    created_at: datetime = Field(default_factory=utcnow)


ALL_TABLES = (Project, Character, Location, Scene, Shot, Take, Review, Decision, ChatMessage, StoryFact)
