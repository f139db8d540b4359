"""Whole projects in and out in one transaction: ``dump_project``, ``load_project``, ``apply_plan``.

Why here: the interchange formats (story bible, shot list, Fountain) convert files to and from
``ProjectRows`` without touching a session; these calls read or write a whole bundle at once, so an
import is all-or-nothing and an export is one consistent snapshot, with one query per table (no N+1).
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, update
from sqlmodel import SQLModel, select

from memory.errors import Duplicate, InvalidValue, NotFound
from memory.gc_pause import gc_paused
from memory.models import (
    DECISION_KINDS,
    PROJECT_STATUSES,
    TAKE_STATUSES,
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
    utcnow,
)
from memory.project_rows import DecisionRow, ProjectRows, ReviewRow, TakeRow
from memory.store.base import StoreBase
from memory.store.bulk_rows import detached, indexed, insert_rows, upsert
from memory.store.fields import checked, number, one_of
from memory.store.keys import check_key
from memory.store.plan import checked_scene, refuse_story_in_extra

T = TypeVar("T", bound=SQLModel)


class BulkStore(StoreBase):
    def dump_project(self, project_id: str, *, plan_only: bool = False) -> ProjectRows:
        """Every row of a project in one consistent read, one query per table (no N+1).

        ``plan_only`` reads just the project, characters, scenes and shots (what a shot list needs).
        """
        with self.session(write=False) as s:
            project = self._project(s, project_id)
            rows = ProjectRows(project=project)

            def table_rows(model: type[T], *order: str) -> list[T]:
                table = model.__table__  # type: ignore[attr-defined]
                query = select(table).where(table.c.project_id == project_id).order_by(*(table.c[o] for o in order))
                return detached(s, model, query)

            rows.characters = table_rows(Character, "id")
            rows.scenes = table_rows(Scene, "position", "id")
            scene_keys = {scene.id: scene.key for scene in rows.scenes}
            shot_table, scene_table = Shot.__table__, Scene.__table__  # type: ignore[attr-defined]
            shots = detached(s, Shot, (
                select(shot_table).join(scene_table, shot_table.c.scene_id == scene_table.c.id)
                .where(shot_table.c.project_id == project_id)
                .order_by(scene_table.c.position, scene_table.c.id, shot_table.c.position, shot_table.c.id)
            ))  # film order from the database: sorting 10,000 rows by instrumented attributes costs more
            rows.shots = [(scene_keys[shot.__dict__["scene_id"]], shot) for shot in shots]
            if plan_only:
                return rows
            shot_keys = {shot.id: shot.key for shot in shots}
            rows.locations = table_rows(Location, "id")
            takes = table_rows(Take, "id")
            take_index = {take.id: index for index, take in enumerate(takes)}
            rows.takes = [TakeRow(shot_keys[take.shot_id], take) for take in takes]
            rows.reviews = [ReviewRow(take_index[review.take_id], review) for review in table_rows(Review, "id")]
            rows.decisions = [
                DecisionRow(
                    shot_keys[d.shot_id] if d.shot_id is not None else None,
                    take_index[d.take_id] if d.take_id is not None else None,
                    d,
                )
                for d in table_rows(Decision, "id")
            ]
            rows.messages = table_rows(ChatMessage, "id")
            rows.facts = table_rows(StoryFact, "id")
            return rows

    def load_project(self, rows: ProjectRows) -> Project:
        """Insert a whole project from fresh (never stored) rows in one transaction: all of it, or nothing.

        The project's id must be free (``Duplicate`` otherwise). Rows refer to each other by scene key,
        shot key and take index; database ids are assigned here.
        """
        project = rows.project
        check_key("project", project.id)
        _check_rows(rows)
        pid = project.id
        with self.session() as s:
            if s.get(Project, pid) is not None:
                raise Duplicate(f"project {pid!r} already exists")
            s.add(project)
            s.flush()
            # Core bulk inserts (one executemany per table): the ORM unit of work takes seconds for 10,000 shots.
            insert_rows(s, rows.characters, project_id=pid)
            insert_rows(s, rows.locations, project_id=pid)
            insert_rows(s, rows.scenes, project_id=pid)
            scene_table, shot_table = Scene.__table__, Shot.__table__  # type: ignore[attr-defined]
            scene_ids = dict(s.execute(select(scene_table.c.key, scene_table.c.id).where(scene_table.c.project_id == pid)).all())
            for scene_key, shot in rows.shots:
                if scene_key not in scene_ids:
                    raise NotFound(f"shot {shot.key!r} belongs to scene {scene_key!r}, which the project does not have")
            insert_rows(s, [shot for _, shot in rows.shots], project_id=pid,
                    per_row=[{"scene_id": scene_ids[scene_key]} for scene_key, _ in rows.shots])
            shot_ids = dict(s.execute(select(shot_table.c.key, shot_table.c.id).where(shot_table.c.project_id == pid)).all())
            for take_row in rows.takes:
                if take_row.shot_key not in shot_ids:
                    raise NotFound(f"a take belongs to shot {take_row.shot_key!r}, which the project does not have")
            take_ids = insert_rows(s, [t.take for t in rows.takes], project_id=pid, returning_ids=True,
                               per_row=[{"shot_id": shot_ids[t.shot_key]} for t in rows.takes])
            insert_rows(s, [r.review for r in rows.reviews], project_id=pid,
                    per_row=[{"take_id": indexed(take_ids, r.take_index, "review")} for r in rows.reviews])
            decision_links = []
            for d in rows.decisions:
                if d.shot_key is not None and d.shot_key not in shot_ids:
                    raise NotFound(f"a decision names shot {d.shot_key!r}, which the project does not have")
                decision_links.append({
                    "shot_id": shot_ids[d.shot_key] if d.shot_key is not None else None,
                    "take_id": indexed(take_ids, d.take_index, "decision") if d.take_index is not None else None,
                })
            insert_rows(s, [d.decision for d in rows.decisions], project_id=pid, per_row=decision_links)
            insert_rows(s, rows.messages, project_id=pid)
            insert_rows(s, rows.facts, project_id=pid)
        return project

    def apply_plan(
        self,
        project_id: str,
        *,
        title: str,
        target_runtime_s: float | None,
        shotlist_extra: dict[str, Any],
        characters: list[dict[str, Any]],
        scenes: list[dict[str, Any]],
        replace: bool = True,
    ) -> None:
        """Write a whole plan (a shot list's content) in one transaction; rows are matched by key.

        Each scene dict carries its ``key``, scene fields and ``shots`` (dicts with ``key`` and shot
        fields). Existing rows are updated in place, so a shot that stays keeps its takes and decisions,
        and database-only fields (a scene's screenplay, a shot's notes and status, a character's voice
        notes) survive. ``replace=True`` deletes the scenes, shots and characters the plan does not name;
        ``replace=False`` merges: new scenes go after the existing ones, and in each named scene the
        plan's shots come first in the plan's order.
        """
        checked(Project, {"title": title, "extra": shotlist_extra}, "project")
        characters = [
            {"key": check_key("character", c["key"]), **checked(Character, {k: v for k, v in c.items() if k != "key"}, "character")}
            for c in characters
        ]
        scenes = [
            {"key": check_key("scene", scene["key"]), **checked_scene({k: v for k, v in scene.items() if k not in ("key", "shots")}),
             "shots": [{"key": check_key("shot", shot["key"]), **checked(Shot, {k: v for k, v in shot.items() if k != "key"}, "shot")}
                       for shot in scene["shots"]]}
            for scene in scenes
        ]
        with self.session() as s, gc_paused():
            project = self._project(s, project_id)
            project.title = title
            if target_runtime_s is not None:
                # Kept as the file says (a runtime far from the shots' sum is the grammar's 'runtime' finding).
                project.target_runtime_s = number("target_runtime_s", target_runtime_s)
            project.extra = {**project.extra, "shotlist": shotlist_extra}
            project.updated_at = utcnow()
            s.add(project)
            s.flush()
            # Core statements from here on (one executemany per kind of change): matching 10,000 shots
            # through the ORM's unit of work takes seconds.
            character_t, scene_t, shot_t = Character.__table__, Scene.__table__, Shot.__table__  # type: ignore[attr-defined]

            def existing(table: Any, *columns: str) -> dict[str, Any]:
                query = select(table.c.key, table.c.id, *(table.c[c] for c in columns)).where(table.c.project_id == project_id)
                return {row.key: row for row in s.execute(query)}

            old_characters = existing(character_t)
            old_scenes = existing(scene_t, "position")
            old_shots = existing(shot_t, "scene_id", "position")
            scene_keys = {scene["key"] for scene in scenes}
            shot_keys = {shot["key"] for scene in scenes for shot in scene["shots"]}
            if replace:
                for table, ids in (
                    (shot_t, [row.id for key, row in old_shots.items() if key not in shot_keys]),
                    (scene_t, [row.id for key, row in old_scenes.items() if key not in scene_keys]),
                    (character_t, [row.id for key, row in old_characters.items() if key not in {c["key"] for c in characters}]),
                ):
                    for chunk in range(0, len(ids), 500):
                        s.execute(delete(table).where(table.c.id.in_(ids[chunk:chunk + 500])))

            upsert(s, character_t, project_id, old_characters, [dict(c) for c in characters])

            next_position = 0 if replace else max((row.position for row in old_scenes.values()), default=-1) + 1
            scene_rows = []
            for fields in scenes:
                row = {k: v for k, v in fields.items() if k != "shots"}
                if replace or fields["key"] not in old_scenes:
                    row["position"] = next_position
                    next_position += 1
                scene_rows.append(row)
            scene_ids = upsert(s, scene_t, project_id, old_scenes, scene_rows)

            shot_rows = []
            for fields in scenes:
                for position, shot in enumerate(fields["shots"]):
                    shot_rows.append({**shot, "scene_id": scene_ids[fields["key"]], "position": position})
            upsert(s, shot_t, project_id, old_shots, shot_rows)
            if not replace:
                # Shots of a named scene that the plan does not list keep their order, after the plan's shots.
                moves = []
                for fields in scenes:
                    named = {shot["key"] for shot in fields["shots"]}
                    rest = sorted(
                        (row for key, row in old_shots.items() if row.scene_id == scene_ids[fields["key"]] and key not in named),
                        key=lambda row: row.position,
                    )
                    moves += [{"b_id": row.id, "position": len(named) + offset} for offset, row in enumerate(rest)]
                if moves:
                    s.execute(update(shot_t).where(shot_t.c.id == bindparam("b_id")), moves)


def _check_rows(rows: ProjectRows) -> None:
    """The value rules the row APIs apply, for rows that arrive in bulk (bibles, Fountain, shot lists).

    Why: rows built from a file skip the table models' constructors (``model_construct``, for speed), so
    an unknown status, an infinite runtime or dialogue hidden in ``extra`` would otherwise be stored.
    """
    one_of("project status", rows.project.status, PROJECT_STATUSES)
    if not math.isfinite(rows.project.target_runtime_s):
        raise InvalidValue(f"project target_runtime_s must be a finite number, got {rows.project.target_runtime_s}")
    for scene in rows.scenes:
        refuse_story_in_extra(scene.extra, f"scene {scene.key!r}")
    for take in rows.takes:
        one_of(f"take of shot {take.shot_key!r}: status", take.take.status, TAKE_STATUSES)
    for decision in rows.decisions:
        one_of("decision kind", decision.decision.kind, DECISION_KINDS)
