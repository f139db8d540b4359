"""Scenes and shots: the plan of a project, written by key; shots read in film order.

A scene's cast and dialogue are typed fields (``Scene.cast``, ``Scene.dialogue``); ``extra`` keeps only
what a file carried that memory does not know, so a caller that puts them there is told so.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import select

from memory.errors import InvalidValue
from memory.models import Scene, Shot
from memory.store.base import StoreBase
from memory.store.bulk_rows import detached
from memory.store.fields import checked, writable
from memory.store.keys import check_key

#: Keys that are typed fields of a scene and so never belong in its ``extra``.
SCENE_TYPED_KEYS = frozenset({"cast", "characters", "dialogue"})


def checked_scene(fields: dict[str, Any]) -> dict[str, Any]:
    """Scene fields validated, with the story vocabulary refused inside ``extra``."""
    fields = checked(Scene, fields, "scene")
    refuse_story_in_extra(fields.get("extra") or {}, "scene")
    return fields


def refuse_story_in_extra(extra: dict[str, Any], where: str) -> None:
    """``extra`` is for fields memory does not know; a scene's cast and dialogue there would be invisible to the roles."""
    misplaced = sorted(SCENE_TYPED_KEYS & set(extra))
    if misplaced:
        raise InvalidValue(f"{where} field 'extra' holds {', '.join(misplaced)}: use the typed fields cast= and dialogue=")


class PlanStore(StoreBase):
    #: Fields a caller may set on a shot (everything but ids, links and the key).
    SHOT_FIELDS = writable(Shot)

    def upsert_scene(self, project_id: str, key: str, **fields: Any) -> Scene:
        fields = checked_scene(fields)
        check_key("scene", key)
        with self.session() as s:
            self._project(s, project_id)
            row = s.exec(select(Scene).where(Scene.project_id == project_id, Scene.key == key)).first()
            if row is None:
                count = s.exec(select(func.count()).select_from(Scene).where(Scene.project_id == project_id)).one()
                row = Scene(project_id=project_id, key=key, position=int(count))
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row

    def scene(self, project_id: str, key: str) -> Scene:
        with self.session(write=False) as s:
            return self._scene(s, project_id, key)

    def scenes(self, project_id: str) -> list[Scene]:
        return self._rows(Scene, project_id, Scene.position)

    def upsert_shot(self, project_id: str, scene_key: str, key: str, **fields: Any) -> Shot:
        fields = checked(Shot, fields, "shot")
        check_key("shot", key)
        with self.session() as s:
            scene = self._scene(s, project_id, scene_key)
            row = s.exec(select(Shot).where(Shot.project_id == project_id, Shot.key == key)).first()
            if row is None:
                count = s.exec(select(func.count()).select_from(Shot).where(Shot.scene_id == scene.id)).one()
                row = Shot(project_id=project_id, scene_id=scene.id, key=key, position=int(count))  # type: ignore[arg-type]
            row.scene_id = scene.id  # type: ignore[assignment]
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row

    def update_shot(self, project_id: str, key: str, **fields: Any) -> Shot:
        fields = checked(Shot, fields, "shot")
        with self.session() as s:
            row = self._shot(s, project_id, key)
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row

    def annotate(self, project_id: str, shot_key: str, *, role: str, data: Any) -> Shot:
        """Store one role's free notes on a shot (e.g. a sound designer's cues), replacing that role's previous notes."""
        with self.session() as s:
            row = self._shot(s, project_id, shot_key)
            row.notes[role] = data
            s.add(row)
            return row

    def shot(self, project_id: str, key: str) -> Shot:
        with self.session(write=False) as s:
            return self._shot(s, project_id, key)

    def shots(self, project_id: str, scene_key: str | None = None) -> list[Shot]:
        """Shots in film order (scene order, then position in scene)."""
        with self.session(write=False) as s:
            self._project(s, project_id)
            table, scenes = Shot.__table__, Scene.__table__  # type: ignore[attr-defined]
            query = (
                select(table).join(scenes, table.c.scene_id == scenes.c.id)
                .where(table.c.project_id == project_id)
                .order_by(scenes.c.position, table.c.position, table.c.id)
            )
            if scene_key is not None:
                query = query.where(scenes.c.key == scene_key)
            return detached(s, Shot, query)

    def shot_scene_keys(self, project_id: str) -> dict[str, str]:
        """Shot key → its scene's key, for the whole project in one query."""
        with self.session(write=False) as s:
            rows = s.exec(
                select(Shot.key, Scene.key).join(Scene, Shot.scene_id == Scene.id).where(Shot.project_id == project_id)  # type: ignore[arg-type]
            ).all()
            return dict(rows)

    def delete_shot(self, project_id: str, key: str) -> None:
        with self.session() as s:
            s.delete(self._shot(s, project_id, key))

    def clear_plan(self, project_id: str) -> None:
        """Remove every scene and shot (and so every take) of a project: used when a plan is rewritten."""
        with self.session() as s:
            self._project(s, project_id)
            for scene in s.exec(select(Scene).where(Scene.project_id == project_id)).all():
                s.delete(scene)
