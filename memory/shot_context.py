"""One shot's render inputs — the shot, its scene and the characters it shows — in one short read.

Why not ``export_shotlist``: the render node compiles one shot at a time, and exporting the whole plan
for each of a film's N shots makes its reads grow with N². This read touches four rows (the project,
the shot, its scene, its characters) whatever the film's length, and returns the same shot-list types
the whole-plan export does (built by the same ``rows_to_shotlist``), so the request compiler cannot
tell the difference.
"""

from __future__ import annotations

from sqlmodel import col, select

from memory import shotlist as sl
from memory.errors import NotFound
from memory.models import Character, Project, Scene, Shot
from memory.project_rows import ProjectRows
from memory.store import Store


def shot_plan(store: Store, project_id: str, shot_key: str) -> tuple[sl.ShotList, sl.Scene, sl.Shot]:
    """A shot list holding only ``shot_key``, its scene and its characters; with that scene and shot.

    Raises ``NotFound`` naming the project or the shot.
    """
    with store.session(write=False) as s:
        project = s.get(Project, project_id)
        if project is None:
            raise NotFound(f"no project {project_id!r}")
        found = s.exec(
            select(Shot, Scene).join(Scene, col(Shot.scene_id) == col(Scene.id))
            .where(Shot.project_id == project_id, Shot.key == shot_key)
        ).first()
        if found is None:
            raise NotFound(f"project {project_id!r} has no shot {shot_key!r}")
        shot, scene = found
        shown = [str(c.get("id")) for c in shot.characters if isinstance(c, dict) and c.get("id")]
        shown += [str(d.get("character")) for d in shot.dialogue if isinstance(d, dict) and d.get("character")]
        characters = list(s.exec(
            select(Character).where(Character.project_id == project_id, col(Character.key).in_(shown)).order_by(col(Character.id))
        ).all()) if shown else []
        rows = ProjectRows(project=project, characters=characters, scenes=[scene], shots=[(scene.key, shot)])
    from memory.shotlist_io import rows_to_shotlist  # the whole-plan export's own builder: one mapping

    plan = rows_to_shotlist(rows)
    return plan, plan.scenes[0], plan.scenes[0].shots[0]
