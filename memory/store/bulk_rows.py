"""Core-level helpers for reading and writing many rows at once (used by ``bulk`` and ``plan``).

Why not the ORM: its unit of work and its per-row instrumentation of JSON values take seconds for
10,000 shots; these helpers issue one statement (or one executemany) per table instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import configure_mappers, instrumentation
from sqlmodel import Session, SQLModel

from memory.errors import NotFound
from memory.gc_pause import gc_paused
from memory.models import Character, Scene, Shot

T = TypeVar("T", bound=SQLModel)


def detached(s: Session, model: type[T], query: Any) -> list[T]:
    """Rows of one table as detached model instances, without the ORM's per-row work.

    Why: loading 10,000 shots through the ORM spends most of its time wrapping every JSON value in a
    ``MutableDict``/``MutableList`` and registering it with its parent (seconds, not milliseconds). Rows
    returned by the store are snapshots (writes go through store methods), so plain JSON values are
    enough. Each instance still gets its SQLAlchemy state, so reading and setting attributes, pydantic's
    ``model_dump`` and equality work as on any row.
    """
    configure_mappers()
    manager = instrumentation.manager_of_class(model)
    result: list[T] = []
    with gc_paused():
        cursor = s.connection().execute(query)
        names = list(cursor.keys())
        fields_set = set(names)
        for row in cursor:
            instance = manager.new_instance()
            instance.__dict__.update(zip(names, row, strict=True))
            object.__setattr__(instance, "__pydantic_fields_set__", set(fields_set))
            object.__setattr__(instance, "__pydantic_extra__", None)
            object.__setattr__(instance, "__pydantic_private__", None)
            result.append(instance)
    return result


def upsert(s: Session, table: Any, project_id: str, old: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, int]:
    """Update the rows whose key exists (only the given columns), insert the others; returns key → id.

    Rows of one call may carry different columns (a scene that keeps its position has none), so
    updates are grouped by their set of columns, one executemany each.
    """
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    inserts = []
    for row in rows:
        if row["key"] in old:
            columns = tuple(sorted(k for k in row if k != "key"))
            updates.setdefault(columns, []).append({**{k: row[k] for k in columns}, "b_id": old[row["key"]].id})
        else:
            inserts.append(row)
    for columns, params in updates.items():
        if columns:
            s.execute(update(table).where(table.c.id == bindparam("b_id")), params)
    ids = {key: row.id for key, row in old.items()}
    if inserts:
        defaults = column_defaults(table)
        values = [{**defaults, **row, "project_id": project_id} for row in inserts]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids.update(zip((row["key"] for row in inserts), s.execute(statement, values).scalars(), strict=True))
    return ids


def column_defaults(table: Any) -> dict[str, Any]:
    """Python-side defaults of a table's columns (a Core insert does not run the models' default factories)."""
    model = {Character.__table__: Character, Scene.__table__: Scene, Shot.__table__: Shot}[table]  # type: ignore[attr-defined]
    defaults = {}
    for name, info in model.model_fields.items():
        if name == "id" or name not in table.c:
            continue
        if info.default_factory is not None:
            defaults[name] = info.default_factory()  # type: ignore[call-arg]
        elif info.default is not PydanticUndefined:
            defaults[name] = info.default
    return defaults


def indexed(take_ids: list[int], index: int, kind: str) -> int:
    if not isinstance(index, int) or not 0 <= index < len(take_ids):
        raise NotFound(f"a {kind} names take #{index}, but the project has {len(take_ids)} take(s)")
    return take_ids[index]


def insert_rows(
    s: Session, rows: Sequence[SQLModel], *, project_id: str, per_row: list[dict[str, Any]] | None = None,
    returning_ids: bool = False,
) -> list[int]:
    """Insert fresh rows of one table in one executemany; ``per_row`` adds each row's links (database ids).

    ``returning_ids``: the new ids, in the order of ``rows`` (RETURNING, sorted by parameter order).
    """
    if not rows:
        return []
    table = type(rows[0]).__table__  # type: ignore[attr-defined]
    columns = [c.name for c in table.columns if c.name not in ("id", "project_id")]
    values = [{**{c: row.__dict__.get(c) for c in columns}, "project_id": project_id} for row in rows]  # __dict__: rows may be model_construct-ed
    if per_row is not None:
        for value, links in zip(values, per_row, strict=True):
            value.update(links)
    if returning_ids:
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(s.execute(statement, values).scalars())
    s.execute(insert(table), values)
    return []


