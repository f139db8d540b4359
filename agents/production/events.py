"""Typed progress events the production graph streams to the studio, the UI and the CLI.

Why typed: the Gradio chat labels messages by role and the CLI draws progress bars from the same
stream; a shared, documented shape keeps both honest. Events are plain data (JSON-ready), never objects
with behaviour, so they can be queued across threads and logged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter


class RoleEvent(BaseModel):
    """A crew role started, finished or failed its step."""

    kind: Literal["role"] = "role"
    role: str
    status: Literal["started", "finished", "failed"]
    summary: str = ""


class RenderEvent(BaseModel):
    """Progress of one shot's render (fraction 0…1)."""

    kind: Literal["render"] = "render"
    shot: str
    fraction: float
    message: str = ""


class TakeEvent(BaseModel):
    """A take is ready (rendered now, or an identical one reused)."""

    kind: Literal["take"] = "take"
    shot: str
    take_id: int
    path: str
    reused: bool = False
    number: int = 0
    """The take's number within its shot (#1, #2…: what the storyboard shows); ``take_id`` is the database id."""


class VerdictEvent(BaseModel):
    """The critic's verdict on a take."""

    kind: Literal["verdict"] = "verdict"
    shot: str
    take_id: int
    verdict: Literal["pass", "reshoot", "escalate"]
    reasons: list[str] = Field(default_factory=list)


class WaitingEvent(BaseModel):
    """The graph paused: a person must decide (``what``: the plan, or shots)."""

    kind: Literal["waiting"] = "waiting"
    what: Literal["plan", "shots"]
    items: list[str] = Field(default_factory=list)


class CutEvent(BaseModel):
    """The film is cut; ``path`` is the MP4."""

    kind: Literal["cut"] = "cut"
    path: str


class FailureEvent(BaseModel):
    """A step failed in a way the crew cannot fix by itself; it is recorded in the chat too."""

    kind: Literal["failed"] = "failed"
    step: str
    message: str


Event = Annotated[
    RoleEvent | RenderEvent | TakeEvent | VerdictEvent | WaitingEvent | CutEvent | FailureEvent,
    Field(discriminator="kind"),
]
EVENT = TypeAdapter(Event)


def parse_event(data: dict[str, Any]) -> Event:
    return EVENT.validate_python(data)
