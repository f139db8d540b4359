"""Checking the fields a caller writes, through pydantic models generated from the tables.

Why: SQLModel table models do not validate on construction or assignment, so a wrong type would reach
the database (or be stored as the wrong JSON). Instead of allow-lists that repeat the models' fields, each
table gets a generated *partial update* model: every writable column optional, strict types (no ``"4"``
for a number, no ``True`` for an integer), unknown names forbidden. Its errors become one
``InvalidValue`` that names the field, as callers and tests expect.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from sqlmodel import SQLModel

from memory.errors import InvalidValue

#: Columns never written through a row API: database ids and links, keys, take numbers, timestamps.
NOT_WRITABLE = frozenset({"id", "project_id", "key", "scene_id", "shot_id", "take_id", "number", "created_at", "updated_at"})

_EXPECTED = {
    "string_type": "text", "float_type": "a number", "int_type": "an integer", "bool_type": "true or false",
    "dict_type": "an object", "list_type": "a list", "datetime_type": "a date-time", "model_type": "an object",
    "none_required": "null", "missing": "present", "extra_forbidden": "free of unknown fields",
}


def writable(model: type[SQLModel]) -> frozenset[str]:
    """The columns of ``model`` a caller may set."""
    return frozenset(name for name in model.model_fields if name not in NOT_WRITABLE)


@cache
def update_model(model: type[SQLModel]) -> type[BaseModel]:
    """The partial-update model of a table: every writable field optional, strict, nothing else allowed."""
    fields: dict[str, Any] = {name: (model.model_fields[name].annotation, None) for name in sorted(writable(model))}
    return create_model(f"{model.__name__}Update", __config__=ConfigDict(extra="forbid", strict=True), **fields)


def checked(model: type[SQLModel], fields: dict[str, Any], kind: str) -> dict[str, Any]:
    """``fields`` validated against ``model``'s columns; values come back as the model types them
    (e.g. dialogue lines as ``SpokenLine``). Raises ``InvalidValue`` naming the first bad field."""
    try:
        instance = update_model(model).model_validate(fields)
    except ValidationError as exc:
        raise _invalid(exc, model, fields, kind) from None
    return {name: getattr(instance, name) for name in fields}


def _invalid(exc: ValidationError, model: type[SQLModel], fields: dict[str, Any], kind: str) -> InvalidValue:
    errors = exc.errors()
    unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1)
    if unknown:
        allowed = ", ".join(sorted(writable(model)))
        return InvalidValue(f"{kind} has no field(s) {', '.join(unknown)}; allowed: {allowed}")
    name = str(errors[0]["loc"][0])
    mine = [e for e in errors if e["loc"][:1] == (name,)]
    expected = " or ".join(dict.fromkeys(_EXPECTED.get(e["type"], e["msg"]) for e in mine))
    value = fields.get(name)
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    path = ".".join(str(part) for part in mine[0]["loc"])
    where = f" (at {path})" if path != name else ""
    return InvalidValue(f"{kind} field {name!r} must be {expected}{where}, got {type(value).__name__} {shown}")


def one_of(name: str, value: Any, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise InvalidValue(f"{name} {value!r} is not one of: {', '.join(allowed)}")


def number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


def positive(name: str, value: Any, *, upper: float) -> float:
    value = number(name, value)
    if not 0 < value <= upper:
        raise InvalidValue(f"{name} must be between 0 and {upper:g}, got {value:g}")
    return value
