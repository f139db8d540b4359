"""Shot list ⇄ story memory: ``export_shotlist`` and ``import_shotlist`` (format ``dailies.shotlist/1``).

Why a lossless mapping: the shot list is what a creator edits by hand and what ``dailies check`` reads,
so import → export must give back an equal document. Every field of the format has a column; whatever a
file carries beyond the format is kept in the ``extra`` JSON columns (a shot's on the shot, a scene's on
the scene, a character's on the character, the top level's in ``Project.extra["shotlist"]``) and written
back out. The scene's ``day`` is the column ``story_day``. A scene's ``characters`` and ``dialogue`` (not
fields of format 1, written by Dailies since the screenwriter's first release) are the typed columns
``Scene.cast`` and ``Scene.dialogue``, never ``extra``.

Why matching by key on import: a shot that stays in the plan keeps its row, so its takes, decisions and
role notes survive an edit of the file. The whole import is one transaction (``Store.apply_plan``); a bad
document raises a typed error before anything is written.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from memory import shotlist as sl
from memory.errors import Duplicate, FormatError
from memory.gc_pause import gc_paused
from memory.models import Character, Project, Scene, Shot
from memory.project_rows import ProjectRows
from memory.store import Store, check_key, slugify
from memory.story import SpokenLine

_LINES: TypeAdapter[list[SpokenLine]] = TypeAdapter(list[SpokenLine])

#: Shot-list shot fields that have a column of the same name on ``models.Shot``.
SHOT_COLUMNS = (
    "size", "duration_s", "framing", "characters", "camera", "crosses_axis", "movement", "time_of_day",
    "wardrobe", "dialogue", "description", "prompt", "lighting",
)
#: Marker in ``Project.extra["shotlist"]``: the file had no ``target_runtime_s`` (the project's column cannot be null).
_NO_RUNTIME = "target_runtime_s"


def export_shotlist(store: Store, project_id: str) -> sl.ShotList:
    """The project's plan as a shot-list document (one read of the store)."""
    return rows_to_shotlist(store.dump_project(project_id, plan_only=True))


def import_shotlist(store: Store, project_id: str, shotlist: sl.ShotList | Mapping[str, Any], *, replace: bool = True) -> None:
    """Write a shot list into an existing project, all or nothing.

    ``replace=True`` makes the project's plan exactly the document (scenes, shots and characters it does
    not name are deleted, with their takes); ``replace=False`` merges it into the plan. Rows are matched
    by id, so shots that stay keep their takes. Raises ``FormatError`` (not a shot list), ``Duplicate``
    (an id used twice), ``InvalidValue`` (an id that is not a safe key, a wrong type), ``NotFound``
    (no such project).
    """
    with gc_paused():
        document = parse_shotlist(shotlist)
        plan = _plan(document)
    store.apply_plan(
        project_id,
        title=document.title,
        target_runtime_s=document.target_runtime_s,
        shotlist_extra=plan["extra"],
        characters=plan["characters"],
        scenes=plan["scenes"],
        replace=replace,
    )


def create_project_from_shotlist(
    store: Store, shotlist: sl.ShotList | Mapping[str, Any], *, project_id: str | None = None, owner: str | None = None
) -> Project:
    """A new project whose plan is the document (one transaction). The premise is the title."""
    with gc_paused():
        return store.load_project(_new_project_rows(shotlist, project_id=project_id, owner=owner))


def _new_project_rows(shotlist: sl.ShotList | Mapping[str, Any], *, project_id: str | None, owner: str | None) -> ProjectRows:
    document = parse_shotlist(shotlist)
    plan = _plan(document)
    title = document.title.strip()
    pid = check_key("project", project_id) if project_id else f"{slugify(title or 'shot list')}-{secrets.token_hex(2)}"
    project = Project(
        id=pid, title=document.title, premise=title or "Imported shot list", owner=owner,
        target_runtime_s=60.0 if document.target_runtime_s is None else document.target_runtime_s,
        extra={"shotlist": plan["extra"]},
    )
    rows = ProjectRows(project=project)
    # model_construct: the values are already checked; the table models' own __init__ costs seconds at 10,000 shots.
    rows.characters = [Character.model_construct(**fields) for fields in plan["characters"]]
    for position, fields in enumerate(plan["scenes"]):
        rows.scenes.append(Scene.model_construct(position=position, **{k: v for k, v in fields.items() if k != "shots"}))
        rows.shots += [(fields["key"], Shot.model_construct(position=i, **shot)) for i, shot in enumerate(fields["shots"])]
    return rows


def parse_shotlist(shotlist: sl.ShotList | Mapping[str, Any]) -> sl.ShotList:
    """Accept a model or plain JSON data; refuse what is not a ``dailies.shotlist/1`` document."""
    if isinstance(shotlist, sl.ShotList):
        document = shotlist
    elif isinstance(shotlist, Mapping):
        try:
            document = sl.ShotList.model_validate(shotlist)
        except ValidationError as exc:
            first = exc.errors()[0]
            place = ".".join(str(part) for part in first["loc"]) or "top level"
            raise FormatError(f"not a valid shot list at {place}: {first['msg']} ({exc.error_count()} problem(s))") from exc
    else:
        raise FormatError(f"a shot list must be a JSON object, got {type(shotlist).__name__}")
    if document.format != sl.FORMAT:
        raise FormatError(f"format is {document.format!r}; this version of Dailies reads {sl.FORMAT!r}")
    return document


def rows_to_shotlist(rows: ProjectRows) -> sl.ShotList:
    """Build the document from a project's rows (``Store.dump_project(..., plan_only=True)``)."""
    project = rows.project
    top_extra = dict(project.extra.get("shotlist", {}))
    runtime = top_extra.pop(_NO_RUNTIME) if _NO_RUNTIME in top_extra else project.target_runtime_s
    shots_by_scene: dict[str, list[dict[str, Any]]] = {scene.key: [] for scene in rows.scenes}
    for scene_key, shot in rows.shots:
        shots_by_scene[scene_key].append(
            {"id": shot.key, **{name: getattr(shot, name) for name in SHOT_COLUMNS}, **shot.extra}
        )
    document = {
        "format": sl.FORMAT,
        "title": project.title,
        "target_runtime_s": runtime,
        **top_extra,
        "characters": [
            {"id": c.key, "name": c.name, "description": c.description, "wardrobe": c.wardrobe,
             **({"voice": c.voice} if c.voice is not None else {}), **c.extra}
            for c in rows.characters
        ],
        "scenes": [
            {
                "id": scene.key, "heading": scene.heading, "location": scene.location,
                "time_of_day": scene.time_of_day, "day": scene.story_day, **scene.extra, **_story_fields(scene),
                "shots": shots_by_scene[scene.key],
            }
            for scene in rows.scenes
        ],
    }
    with gc_paused():
        return sl.ShotList.model_validate(document)


def _plan(document: sl.ShotList) -> dict[str, Any]:
    """The document as plain column values, checked for duplicate and unsafe ids."""
    _unique("character", [c.id for c in document.characters])
    _unique("scene", [s.id for s in document.scenes])
    _unique("shot", [shot.id for _, shot in document.shots()])
    extra = dict(document.model_extra or {})
    if document.target_runtime_s is None:
        extra[_NO_RUNTIME] = None
    characters = [
        {"key": check_key("character", c.id), "name": c.name, "description": c.description,
         "wardrobe": dict(c.wardrobe), **({"voice": c.voice} if c.voice is not None else {}),
         "extra": _json(c.model_extra)}
        for c in document.characters
    ]
    scenes = []
    for index, scene in enumerate(document.scenes):
        scene_extra = _json(scene.model_extra)
        cast, dialogue = scene_extra.pop("characters", []), scene_extra.pop("dialogue", [])
        scenes.append({
            "key": check_key("scene", scene.id), "heading": scene.heading, "location": scene.location,
            "time_of_day": scene.time_of_day, "story_day": scene.day, "extra": scene_extra,
            "cast": _cast(cast, index), "dialogue": _dialogue(dialogue, index),
            "shots": [_shot_columns(shot) for shot in scene.shots],
        })
    return {"extra": _json(extra), "characters": characters, "scenes": scenes}


def _story_fields(scene: Scene) -> dict[str, Any]:
    """A scene's cast and dialogue as the file writes them (only when there are some, as before)."""
    fields: dict[str, Any] = {}
    if scene.cast:
        fields["characters"] = list(scene.cast)
    if scene.dialogue:
        fields["dialogue"] = [line.model_dump(mode="json", exclude_defaults=True) for line in scene.dialogue]
    return fields


def _cast(value: Any, index: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise FormatError(f"not a valid shot list at scenes.{index}.characters: must be a list of character ids")
    return value


def _dialogue(value: Any, index: int) -> list[SpokenLine]:
    try:
        return _LINES.validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in (f"scenes.{index}.dialogue", *first["loc"]))
        raise FormatError(f"not a valid shot list at {place}: {first['msg']} ({exc.error_count()} problem(s))") from exc


def _shot_columns(shot: sl.Shot) -> dict[str, Any]:
    data = shot.model_dump(mode="json", include=set(SHOT_COLUMNS))
    return {"key": check_key("shot", shot.id), **data, "extra": _json(shot.model_extra)}


def _json(extra: dict[str, Any] | None) -> dict[str, Any]:
    """Extras as plain JSON values (a model passed in from Python may hold nested models)."""
    if not extra:
        return {}
    return {k: v.model_dump(mode="json") if hasattr(v, "model_dump") else v for k, v in extra.items()}


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise Duplicate(f"{kind} id {item!r} appears more than once in the shot list; ids must be unique")
        seen.add(item)
