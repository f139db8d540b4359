"""The story vocabulary the roles share through memory: typed values stored in JSON columns.

Why typed: the writer, screenwriter, director, cinematographer, coverage planner and the cut all read
a scene's dialogue and cast, a location's interior flag and the story's beats. As string conventions
(an ``"INT. "`` prefix, a ``"beats: a | b"`` fact, keys inside ``Scene.extra``) a rename broke them
silently; as fields, mypy and pydantic see the contract. ``ModelList`` stores a list of pydantic models
as plain JSON and validates it on the way in and out, so a bad line is refused naming the field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from sqlalchemy import JSON
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class SpokenLine(BaseModel):
    """One line of a scene's dialogue, as a screenplay gives it."""

    model_config = ConfigDict(extra="forbid")

    character: str = Field(min_length=1, description="Key of the speaking character, e.g. 'mara'.")
    line: str = Field(description="What is said (may span several lines).")
    parenthetical: str | None = Field(None, description="Delivery note, e.g. 'quietly'.")
    extension: str | None = Field(None, description="Cue extensions, e.g. 'V.O.' or 'O.S., CONT'D'.")
    dual: bool = Field(False, description="Spoken at the same time as the line before it (Fountain's '^').")


class CharacterVoice(BaseModel):
    """How a character sounds: a voice backend, one of its voices, and this character's pitch and rate.

    The same fields as ``generator.voice.Voice`` (memory does not import the generator; the studio turns
    one into the other). Chosen by ``agents.crew.voices`` from the character sheet; editable by the creator.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: str = Field("piper", min_length=1, description="Voice registry name, e.g. 'piper'.")
    voice_id: str = Field("en_US-joe-medium", min_length=1, description="The backend's voice (model id).")
    pitch: float = Field(0.0, ge=-12.0, le=12.0, description="Pitch shift in semitones (+4 ≈ 26 % higher).")
    rate: float = Field(1.0, ge=0.5, le=2.0, description="Speaking rate: 1.2 speaks 20 % faster.")
    speaker: int | None = Field(None, ge=0, description="Speaker index of a multi-speaker model.")


class ModelValue(TypeDecorator[Any]):
    """A JSON column holding one pydantic model (or NULL): validated on write, a model again on read."""

    impl = JSON
    cache_ok = True

    def __init__(self, item: type[BaseModel]) -> None:
        super().__init__()
        self.item = item

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.item.model_validate(value).model_dump(mode="json", exclude_defaults=True)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.item.model_validate(value)

    def copy(self, **kw: Any) -> ModelValue:
        return ModelValue(self.item)


class ModelList(TypeDecorator[list[Any]]):
    """A JSON column holding a list of one pydantic model: validated on write, models again on read.

    Stored without default-valued fields, so the JSON stays what a person would write by hand.
    """

    impl = JSON
    cache_ok = True

    def __init__(self, item: type[BaseModel]) -> None:
        super().__init__()
        self.item = item
        self._adapter: TypeAdapter[list[Any]] = TypeAdapter(list[item])  # type: ignore[valid-type]

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return [line.model_dump(mode="json", exclude_defaults=True) for line in self._adapter.validate_python(value)]

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self._adapter.validate_python(value)

    def copy(self, **kw: Any) -> ModelList:
        return ModelList(self.item)
