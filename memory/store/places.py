"""Cast and places: characters and locations of a project, written by key (insert or update)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import select

from memory.errors import NotFound
from memory.models import Character, Location
from memory.store.base import StoreBase
from memory.store.fields import checked
from memory.store.keys import check_key

R = TypeVar("R", Character, Location)


class PlaceStore(StoreBase):
    def upsert_character(self, project_id: str, key: str, **fields: Any) -> Character:
        return self._upsert_keyed(Character, "character", project_id, key, fields)

    def character(self, project_id: str, key: str) -> Character:
        with self.session(write=False) as s:
            row = s.exec(select(Character).where(Character.project_id == project_id, Character.key == key)).first()
            if row is None:
                raise NotFound(f"project {project_id!r} has no character {key!r}")
            return row

    def characters(self, project_id: str) -> list[Character]:
        return self._rows(Character, project_id, Character.id)

    def upsert_location(self, project_id: str, key: str, **fields: Any) -> Location:
        """``interior``: True inside (INT.), False outside (EXT.), None not said."""
        return self._upsert_keyed(Location, "location", project_id, key, fields)

    def locations(self, project_id: str) -> list[Location]:
        return self._rows(Location, project_id, Location.id)

    def _upsert_keyed(self, model: type[R], kind: str, project_id: str, key: str, fields: dict[str, Any]) -> R:
        fields = checked(model, fields, kind)
        check_key(kind, key)
        table: Any = model
        with self.session() as s:
            self._project(s, project_id)
            row = s.exec(select(model).where(table.project_id == project_id, table.key == key)).first()
            row = row or model(project_id=project_id, key=key, name=fields.get("name") or key)
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row
