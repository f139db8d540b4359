"""The story bible: a whole project as one versioned JSON document (``"format": "dailies.bible"``).

Why: a project must survive a move between installations (SQLite here, PostgreSQL there), a backup, or
a hand-over to another person, without either side sharing a database. The bible carries everything:
the project, characters, locations, scenes (with their screenplay), shots, takes, reviews, decisions,
the chat and the story facts, with their original timestamps.

Shape (version 2)::

    {"format": "dailies.bible", "version": 2, "exported_at": "…",
     "project": {"id": "…", "title": …, "beats": ["…"], "created_at": …, …},
     "characters": [{"key": "mara", …}], "locations": [{"key": …, "interior": true, …}],
     "scenes": [{"key": "s1", "cast": ["mara"], "dialogue": [{"character": "mara", "line": …}], …}],  # film order
     "shots": [{"key": "s1-01", "scene": "s1", …}],  # film order; position in scene = order here
     "takes": [{"shot": "s1-01", "number": 1, …}],
     "reviews": [{"take": 0, …}],                    # index into "takes"
     "decisions": [{"shot": "s1-01" | null, "take": 0 | null, …}],
     "messages": [{"role": …, "content": …, "created_at": …}], "facts": [{"subject": …, …}]}

Rows refer to each other by key (scene, shot) and by take index, never by database id, so a bible is
independent of the database it came from. Importing always makes a *new* project (a fresh id, or one
you give) in one transaction. Export → import → export gives an equal document except
``project.id`` and ``exported_at``; the project's ``owner`` (a login name) is never exported, and an
import belongs to whoever imports it.

A version-1 bible (string conventions: ``INT.`` prefixes, a beats fact, dialogue in ``scenes[].extra``)
is upgraded on read by ``memory.bible_v1``. A bible of a newer version than this code reads is refused
with a message that says so; the field
sets are generated from the tables, so a column added to ``memory/models.py`` is carried at once
(and a test fails if the version is not bumped for a change that needs it).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import PurePath
from typing import Annotated, Any, Final

from pydantic import BaseModel, ConfigDict, FailFast, Field, ValidationError, create_model
from pydantic_core import PydanticUndefined
from sqlmodel import SQLModel

from memory.bible_v1 import upgrade_v1
from memory.errors import Duplicate, FormatError
from memory.gc_pause import gc_paused
from memory.models import (
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
)
from memory.project_rows import DecisionRow, ProjectRows, ReviewRow, TakeRow
from memory.store import Store, check_key, slugify

FORMAT: Final = "dailies.bible"
#: 2: typed story fields (``project.beats``, ``locations[].interior``, ``scenes[].cast``/``dialogue``);
#: version 1 is still read (see ``memory.bible_v1``).
VERSION: Final = 2

#: Columns that never appear in a bible: database ids and links (replaced by keys and indexes),
#: positions (the order of the lists), and the project's owner (a login, not part of the story).
INTERNAL: Final = frozenset({"id", "project_id", "scene_id", "shot_id", "take_id", "position", "owner"})

#: Bible section → (table model, the link fields it carries instead of database ids).
SECTIONS: Final[dict[str, tuple[type[SQLModel], dict[str, Any]]]] = {
    "characters": (Character, {}),
    "locations": (Location, {}),
    "scenes": (Scene, {}),
    "shots": (Shot, {"scene": (str, Field(description="Key of the shot's scene."))}),
    "takes": (Take, {"shot": (str, Field(description="Key of the take's shot."))}),
    "reviews": (Review, {"take": (int, Field(description="Index of the reviewed take in `takes`."))}),
    "decisions": (
        Decision,
        {"shot": (str | None, Field(None, description="Key of the shot decided on.")),
         "take": (int | None, Field(None, description="Index of the take decided on, in `takes`."))},
    ),
    "messages": (ChatMessage, {}),
    "facts": (StoryFact, {}),
}


def export_bible(store: Store, project_id: str) -> dict[str, Any]:
    """The whole project as bible JSON data (plain dicts and lists; ``json.dumps`` it to write a file)."""
    rows = store.dump_project(project_id)
    with gc_paused():
        return _document(rows)


def _document(rows: ProjectRows) -> dict[str, Any]:
    bible: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "project": _fields(rows.project, keep_id=True),
        "characters": [_fields(row) for row in rows.characters],
        "locations": [_fields(row) for row in rows.locations],
        "scenes": [_fields(row) for row in rows.scenes],
        "shots": [{"scene": scene_key, **_fields(shot)} for scene_key, shot in rows.shots],
        "takes": [{"shot": t.shot_key, **_fields(t.take)} for t in rows.takes],
        "reviews": [{"take": r.take_index, **_fields(r.review)} for r in rows.reviews],
        "decisions": [{"shot": d.shot_key, "take": d.take_index, **_fields(d.decision)} for d in rows.decisions],
        "messages": [_fields(row) for row in rows.messages],
        "facts": [_fields(row) for row in rows.facts],
    }
    return bible


def import_bible(
    store: Store, data: Mapping[str, Any], *, project_id: str | None = None, owner: str | None = None
) -> Project:
    """Make a new project from bible data, all or nothing; returns it.

    ``project_id`` gives the new project's id (``Duplicate`` if taken); by default a fresh one is made
    from the title. Raises ``FormatError`` for anything that is not a bible this version reads (naming
    the place in the document), ``Duplicate`` for a key used twice, ``InvalidValue`` for an unsafe key.
    """
    with gc_paused():
        bible: Any = parse_bible(data)  # a model generated from the tables: its fields are not known statically
        foreign = _foreign_projects(store, bible.project.id, owner)
        return store.load_project(_rows(bible, project_id=project_id, owner=owner, foreign=foreign))


def parse_bible(data: Any) -> BaseModel:
    """Check the format and version first (so a newer bible gets the right message), then the shape."""
    if not isinstance(data, Mapping):
        raise FormatError(f"a story bible must be a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise FormatError(f"not a story bible: 'format' is {data.get('format')!r}, expected {FORMAT!r}")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise FormatError(f"story bible 'version' must be an integer, got {version!r}")
    if version > VERSION:
        raise FormatError(
            f"this story bible is version {version}, written by a newer Dailies; this one reads version {VERSION} "
            "and older: upgrade Dailies to import it"
        )
    if version < 1:
        raise FormatError(f"story bible version {version} does not exist (versions start at 1)")
    if version == 1:
        data = {**upgrade_v1(data), "version": VERSION}
    try:
        with gc_paused():
            return _bible_model().model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in first["loc"]) or "top level"
        raise FormatError(f"story bible is malformed at {place}: {first['msg']} ({exc.error_count()} problem(s))") from exc


def _foreign_projects(store: Store, claimed: str | None, owner: str | None) -> frozenset[str]:
    """Ids of the projects in this store whose folders a bible imported by ``owner`` may not name: all of
    them but the one the bible says it was exported from, and that one too unless it is ``owner``'s own.

    Why: take paths resolve against the takes folder and reference paths against the home, so a bible
    naming ``<another project>/s1-01/1.mp4`` (or claiming another project's id to pass the absolute-path
    rule) would make another user's footage part of the importer's project — and of the film they cut.
    """
    return frozenset(p.id for p in store.projects(all_owners=True) if p.id != claimed or p.owner != owner)


def _rows(bible: Any, *, project_id: str | None, owner: str | None, foreign: frozenset[str] = frozenset()) -> ProjectRows:
    source = bible.project.model_dump()
    old_id = source.pop("id", None)
    pid = check_key("project", project_id) if project_id else f"{slugify(source['title'] or source['premise'])}-{secrets.token_hex(2)}"
    rows = ProjectRows(project=Project(id=pid, owner=owner, **source))
    # The sections were validated by the bible's models above; model_construct skips the table models' slow __init__.
    for index, item in enumerate(_unique(bible.characters, "character")):
        fields = item.model_dump()
        fields["reference_images"] = [media_path(image, f"characters[{index}].reference_images[{n}]", old_id, foreign)
                                      for n, image in enumerate(fields["reference_images"])]
        rows.characters.append(Character.model_construct(**fields))
    rows.locations = [Location.model_construct(**item.model_dump()) for item in _unique(bible.locations, "location")]
    rows.scenes = [Scene.model_construct(position=i, **item.model_dump()) for i, item in enumerate(_unique(bible.scenes, "scene"))]
    scene_keys = {scene.key for scene in rows.scenes}
    counts: dict[str, int] = {}
    for index, item in enumerate(_unique(bible.shots, "shot")):
        fields = item.model_dump()
        scene_key = fields.pop("scene")
        if scene_key not in scene_keys:
            raise FormatError(f"shots[{index}] ({item.key!r}) names scene {scene_key!r}, which the bible does not have")
        counts[scene_key] = counts.get(scene_key, -1) + 1
        rows.shots.append((scene_key, Shot.model_construct(position=counts[scene_key], **fields)))
    shot_keys = {shot.key for _, shot in rows.shots}
    for index, item in enumerate(bible.takes):
        fields = item.model_dump()
        shot_key = fields.pop("shot")
        if shot_key not in shot_keys:
            raise FormatError(f"takes[{index}] names shot {shot_key!r}, which the bible does not have")
        fields["path"] = media_path(fields["path"], f"takes[{index}].path", old_id, foreign)
        rows.takes.append(TakeRow(shot_key, Take.model_construct(**fields)))
    for index, item in enumerate(bible.reviews):
        fields = item.model_dump()
        rows.reviews.append(ReviewRow(_take_index(fields.pop("take"), len(rows.takes), f"reviews[{index}]"), Review.model_construct(**fields)))
    for index, item in enumerate(bible.decisions):
        fields = item.model_dump()
        shot_key, take = fields.pop("shot"), fields.pop("take")
        if shot_key is not None and shot_key not in shot_keys:
            raise FormatError(f"decisions[{index}] names shot {shot_key!r}, which the bible does not have")
        take_index = None if take is None else _take_index(take, len(rows.takes), f"decisions[{index}]")
        rows.decisions.append(DecisionRow(shot_key, take_index, Decision.model_construct(**fields)))
    rows.messages = [ChatMessage.model_construct(**item.model_dump()) for item in bible.messages]
    rows.facts = [StoryFact.model_construct(**item.model_dump()) for item in bible.facts]
    return rows


def media_path(value: str, place: str, project_id: str | None, foreign: frozenset[str] = frozenset()) -> str:
    """A take file or reference image path from a bible, refused when it could leave the project's folders.

    Accepted: a relative path without ``..`` (inside the home it is resolved against), or an absolute one
    inside the exporting project's own ``takes/<id>/`` or ``references/<id>/`` folder (where Dailies puts
    them). Refused: ``../../`` anywhere, a NUL, any other absolute path (``/etc/passwd``), and a path with
    a part named like a ``foreign`` project (another project's folder, see ``_foreign_projects``).
    """
    if not value:
        return value
    if "\x00" in value:
        raise FormatError(f"{place}: the path contains a NUL character")
    parts = PurePath(value).parts
    if ".." in parts:
        raise FormatError(f"{place}: the path {value[:80]!r} leaves the project's folders ('..')")
    if foreign.intersection(parts):
        raise FormatError(f"{place}: the path {value[:80]!r} names the folder of a project that is not yours")
    if PurePath(value).is_absolute():
        inside = any(parts[i] in ("takes", "references") and parts[i + 1] == project_id for i in range(len(parts) - 1))
        if project_id is None or not inside:
            raise FormatError(f"{place}: the path {value[:80]!r} is outside the project's takes/ and references/ folders")
    return value


def _take_index(value: int, count: int, place: str) -> int:
    if not 0 <= value < count:
        raise FormatError(f"{place} names take {value}, but the bible has {count} take(s) (indexes 0…{count - 1})")
    return value


def _unique(items: list[Any], kind: str) -> list[Any]:
    seen: set[str] = set()
    for item in items:
        check_key(kind, item.key)
        if item.key in seen:
            raise Duplicate(f"{kind} key {item.key!r} appears more than once in the story bible")
        seen.add(item.key)
    return items


def _fields(row: SQLModel, *, keep_id: bool = False) -> dict[str, Any]:
    skip = INTERNAL - {"id"} if keep_id else INTERNAL
    return row.model_dump(mode="json", exclude=set(skip))


def _section_model(name: str, table: type[SQLModel], links: dict[str, Any], *, keep_id: bool = False) -> type[BaseModel]:
    """A strict pydantic model of one bible section, generated from the table so the two never drift."""
    fields: dict[str, Any] = dict(links)
    for field_name, info in table.model_fields.items():
        if field_name in INTERNAL and not (keep_id and field_name == "id"):
            continue
        if info.default_factory is not None:
            fields[field_name] = (info.annotation, Field(default_factory=info.default_factory))
        elif info.default is PydanticUndefined:
            fields[field_name] = (info.annotation, Field())
        else:
            fields[field_name] = (info.annotation, Field(default=info.default))
    # allow_inf_nan=False: an infinite runtime or duration would be stored and break every later read.
    return create_model(f"Bible{name.title()}", __config__=ConfigDict(extra="forbid", allow_inf_nan=False), **fields)


@cache
def _bible_model() -> type[BaseModel]:
    project = _section_model("project", Project, {}, keep_id=True)
    fields: dict[str, Any] = {
        "format": (str, Field()),
        "version": (int, Field()),
        "exported_at": (str | None, Field(None)),
        "project": (project, Field()),
    }
    for name, (table, links) in SECTIONS.items():
        # FailFast: a section of junk is one problem at its first bad row, not millions of errors collected.
        row = _section_model(name, table, links)
        fields[name] = (Annotated[list[row], FailFast()], Field(default_factory=list))  # type: ignore[valid-type]
    return create_model("Bible", __config__=ConfigDict(extra="forbid"), **fields)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the current bible version (for tools and documentation)."""
    return _bible_model().model_json_schema()
