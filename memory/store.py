"""The story memory's one API: ``Store``. It is the only code that opens a database session.

Why one class: every write is one transaction (nothing half-written when an error is raised), every
bad id becomes a typed error naming it, and SQLite gets the same connection settings everywhere
(WAL, foreign keys, a busy timeout) so two processes on one file wait for each other instead of
failing. Rows come back detached (``expire_on_commit=False``), safe to read after the call.

Any SQLAlchemy URL works (``sqlite:///path.db`` by default, ``postgresql+psycopg://…`` when set).

SQLite and several processes: pysqlite's own transaction handling is switched off and every write
transaction starts with ``BEGIN IMMEDIATE``. A deferred transaction that reads and then writes fails at
once with "database is locked" when another process committed in between (the busy timeout does not
apply to that case); taking the write lock up front makes the second writer wait instead. Read-only
calls use a plain ``BEGIN`` and never wait for writers (WAL). It also makes DDL transactional, which is
what lets several processes run the migrations on open at the same time.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
import types
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic_core import PydanticUndefined
from sqlalchemy import bindparam, delete, event, func, insert, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import configure_mappers, instrumentation
from sqlmodel import Session, SQLModel, create_engine, select

from memory import migrations
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

T = TypeVar("T", bound=SQLModel)

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SQLITE_BUSY_TIMEOUT_MS = 30_000


def check_key(kind: str, key: str) -> str:
    """Refuse ids that could not be used safely as file names or URL parts."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise InvalidValue(
            f"{kind} id {key!r} is not valid: use 1–64 letters, digits, '-', '_' or '.', starting with a letter or digit"
        )
    return key


def slugify(text: str, limit: int = 32) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
    return slug or "film"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


#: Execution option that marks a read-only transaction (plain ``BEGIN`` on SQLite instead of ``BEGIN IMMEDIATE``).
READ_ONLY = "dailies_read_only"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # We emit BEGIN ourselves (see _sqlite_begin): pysqlite's implicit transactions would defer the lock.
    dbapi_connection.isolation_level = None


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL (it stays so); wait while another process holds the lock.

    Changing the journal mode needs the database to itself, and SQLite answers "database is locked" at
    once, without its busy handler, when another connection is in a transaction — as when several
    processes open a fresh file together and one of them is migrating it. A file already in WAL needs no
    change, so only the very first openers ever wait here.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def _json_dumps(value: Any) -> str:
    """JSON columns refuse NaN and infinities (meaningless in a plan; other readers reject them)."""
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


#: 19 digits in a row: possibly an integer beyond 64 bits, which orjson silently turns into a float.
_LONG_NUMBER = re.compile(r"\d{19}")


def _json_loads(text: str | bytes) -> Any:
    """orjson is several times faster; the standard module reads what orjson would read wrongly (huge integers).

    psycopg hands JSON columns over as bytes, pysqlite as text: both are read.
    """
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    if _LONG_NUMBER.search(text):
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def make_engine(url: str) -> Engine:
    """An engine with the project's connection settings (SQLite: WAL, foreign keys, busy timeout, write lock up front)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            json_serializer=_json_dumps, json_deserializer=_json_loads,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_dumps, json_deserializer=_json_loads)


class Store:
    """Story memory over one database. Create with a SQLAlchemy URL; the schema is upgraded on open."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine = make_engine(url)
        self._read_engine = self.engine.execution_options(**{READ_ONLY: True})
        if upgrade:
            migrations.upgrade(self.engine)

    @classmethod
    def at(cls, path: Path) -> Store:
        return cls(sqlite_url(path))

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ sessions
    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error.

        ``write=False`` for calls that only read: on SQLite they do not take the write lock, and on
        PostgreSQL they do not lock the project's row (see ``_project``).
        """
        with Session(self.engine if write else self._read_engine, expire_on_commit=False) as session:
            session.info["write"] = write
            try:
                yield session
                session.commit()
            except IntegrityError as exc:
                session.rollback()
                message = _integrity_message(exc)
                if "unique" in message.lower() or "duplicate" in message.lower():
                    raise Duplicate(f"already exists: {message}") from exc
                raise InvalidValue(f"refused by the database: {message}") from exc
            except StatementError as exc:
                session.rollback()
                if isinstance(exc.orig, TypeError | ValueError):
                    raise InvalidValue(f"cannot store a value: {exc.orig}") from exc
                raise
            except BaseException:
                session.rollback()
                raise

    # ------------------------------------------------------------------ projects
    def create_project(
        self,
        premise: str,
        *,
        title: str = "",
        target_runtime_s: float = 60.0,
        style_notes: str = "",
        owner: str | None = None,
        project_id: str | None = None,
    ) -> Project:
        if not isinstance(premise, str) or not premise.strip():
            raise InvalidValue("premise is empty: describe the film in a sentence or two")
        runtime = _positive("target_runtime_s", target_runtime_s, upper=4 * 3600)
        pid = check_key("project", project_id) if project_id else f"{slugify(title or premise)}-{secrets.token_hex(2)}"
        project = Project(
            id=pid, premise=premise.strip(), title=title.strip(), target_runtime_s=runtime,
            style_notes=style_notes, owner=owner,
        )
        with self.session() as s:
            if s.get(Project, pid) is not None:
                raise Duplicate(f"project {pid!r} already exists")
            s.add(project)
        return project

    def project(self, project_id: str) -> Project:
        with self.session(write=False) as s:
            return self._project(s, project_id)

    def projects(self, owner: str | None = None, *, all_owners: bool = False) -> list[Project]:
        with self.session(write=False) as s:
            query = select(Project).order_by(Project.created_at.desc())  # type: ignore[attr-defined]
            if not all_owners:
                query = query.where(Project.owner == owner) if owner is not None else query.where(Project.owner.is_(None))  # type: ignore[union-attr]
            return list(s.exec(query).all())

    def update_project(self, project_id: str, **fields: Any) -> Project:
        allowed = {"title", "premise", "logline", "target_runtime_s", "style_notes", "status", "owner", "extra"}
        _only(fields, allowed, "project")
        _typed(Project, fields, "project")
        if "status" in fields:
            _one_of("status", fields["status"], PROJECT_STATUSES)
        if "target_runtime_s" in fields:
            fields["target_runtime_s"] = _positive("target_runtime_s", fields["target_runtime_s"], upper=4 * 3600)
        with self.session() as s:
            project = self._project(s, project_id)
            for name, value in fields.items():
                setattr(project, name, value)
            if "target_runtime_s" in fields and "target_runtime_s" in project.extra.get("shotlist", {}):
                # An imported shot list without a runtime left a marker (see shotlist_io); a set runtime replaces it.
                project.extra = {**project.extra, "shotlist": {k: v for k, v in project.extra["shotlist"].items() if k != "target_runtime_s"}}
            project.updated_at = utcnow()
            s.add(project)
            return project

    def delete_project(self, project_id: str) -> None:
        with self.session() as s:
            s.delete(self._project(s, project_id))

    # ------------------------------------------------------------------ characters and locations
    def upsert_character(self, project_id: str, key: str, **fields: Any) -> Character:
        _only(fields, {"name", "description", "wardrobe", "voice_notes", "reference_images", "extra"}, "character")
        _typed(Character, fields, "character")
        check_key("character", key)
        with self.session() as s:
            self._project(s, project_id)
            row = s.exec(select(Character).where(Character.project_id == project_id, Character.key == key)).first()
            row = row or Character(project_id=project_id, key=key, name=fields.get("name") or key)
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row

    def character(self, project_id: str, key: str) -> Character:
        with self.session(write=False) as s:
            row = s.exec(select(Character).where(Character.project_id == project_id, Character.key == key)).first()
            if row is None:
                raise NotFound(f"project {project_id!r} has no character {key!r}")
            return row

    def characters(self, project_id: str) -> list[Character]:
        return self._rows(Character, project_id, Character.id)

    def upsert_location(self, project_id: str, key: str, **fields: Any) -> Location:
        _only(fields, {"name", "description"}, "location")
        _typed(Location, fields, "location")
        check_key("location", key)
        with self.session() as s:
            self._project(s, project_id)
            row = s.exec(select(Location).where(Location.project_id == project_id, Location.key == key)).first()
            row = row or Location(project_id=project_id, key=key, name=fields.get("name") or key)
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row

    def locations(self, project_id: str) -> list[Location]:
        return self._rows(Location, project_id, Location.id)

    # ------------------------------------------------------------------ scenes and shots
    def upsert_scene(self, project_id: str, key: str, **fields: Any) -> Scene:
        _only(fields, {"position", "heading", "location", "time_of_day", "story_day", "summary", "screenplay", "notes", "extra"}, "scene")
        _typed(Scene, fields, "scene")
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

    SHOT_FIELDS = frozenset({
        "position", "size", "duration_s", "framing", "characters", "camera", "crosses_axis", "movement",
        "time_of_day", "wardrobe", "dialogue", "description", "lighting", "prompt", "negative_prompt",
        "notes", "extra", "status",
    })

    def upsert_shot(self, project_id: str, scene_key: str, key: str, **fields: Any) -> Shot:
        _only(fields, self.SHOT_FIELDS, "shot")
        _typed(Shot, fields, "shot")
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
        _only(fields, self.SHOT_FIELDS, "shot")
        _typed(Shot, fields, "shot")
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
            return _detached(s, Shot, query)

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

    # ------------------------------------------------------------------ takes, reviews, decisions
    def add_take(self, project_id: str, shot_key: str, **fields: Any) -> Take:
        _only(fields, {"request_hash", "path", "seed", "backend", "model", "parameters", "timings", "frame_count", "status", "stale_reason"}, "take")
        _typed(Take, fields, "take")
        if "status" in fields:
            _one_of("status", fields["status"], TAKE_STATUSES)
        with self.session() as s:
            shot = self._shot(s, project_id, shot_key)
            count = s.exec(select(func.count()).select_from(Take).where(Take.shot_id == shot.id)).one()
            take = Take(project_id=project_id, shot_id=shot.id, number=int(count) + 1, **fields)  # type: ignore[arg-type]
            s.add(take)
            return take

    def take(self, take_id: int) -> Take:
        with self.session(write=False) as s:
            return self._get(s, Take, take_id, "take")

    def takes(self, project_id: str, shot_key: str | None = None) -> list[Take]:
        with self.session(write=False) as s:
            query = select(Take).where(Take.project_id == project_id)
            if shot_key is not None:
                query = query.where(Take.shot_id == self._shot(s, project_id, shot_key).id)
            return list(s.exec(query.order_by(Take.id)).all())  # type: ignore[arg-type]

    def set_take_status(self, take_id: int, status: str, *, reason: str | None = None) -> Take:
        """Set a take's status; ``reason`` says why (kept as ``stale_reason`` when the status is 'stale', else cleared)."""
        _one_of("status", status, TAKE_STATUSES)
        _typed(Take, {"stale_reason": reason}, "take")
        with self.session() as s:
            take = self._get(s, Take, take_id, "take")
            take.status = status
            take.stale_reason = reason if status == "stale" else None
            s.add(take)
            return take

    def add_review(self, take_id: int, *, reviewer: str, verdict: str, scores: dict[str, Any] | None = None, notes: str = "") -> Review:
        _typed(Review, {"reviewer": reviewer, "verdict": verdict, "scores": scores or {}, "notes": notes}, "review")
        with self.session() as s:
            take = self._get(s, Take, take_id, "take")
            review = Review(project_id=take.project_id, take_id=take_id, reviewer=reviewer, verdict=verdict, scores=scores or {}, notes=notes)
            s.add(review)
            return review

    def reviews(self, take_id: int) -> list[Review]:
        with self.session(write=False) as s:
            self._get(s, Take, take_id, "take")
            return list(s.exec(select(Review).where(Review.take_id == take_id).order_by(Review.id)).all())  # type: ignore[arg-type]

    def add_decision(
        self, project_id: str, kind: str, *, shot_key: str | None = None, take_id: int | None = None, by: str = "creator", note: str = ""
    ) -> Decision:
        _one_of("kind", kind, DECISION_KINDS)
        _typed(Decision, {"by": by, "note": note}, "decision")
        with self.session() as s:
            self._project(s, project_id)
            shot_id = self._shot(s, project_id, shot_key).id if shot_key else None
            if take_id is not None:
                self._get(s, Take, take_id, "take")
            decision = Decision(project_id=project_id, shot_id=shot_id, take_id=take_id, kind=kind, by=by, note=note)
            s.add(decision)
            return decision

    def decisions(self, project_id: str, shot_key: str | None = None) -> list[Decision]:
        with self.session(write=False) as s:
            query = select(Decision).where(Decision.project_id == project_id)
            if shot_key is not None:
                query = query.where(Decision.shot_id == self._shot(s, project_id, shot_key).id)
            return list(s.exec(query.order_by(Decision.id)).all())  # type: ignore[arg-type]

    # ------------------------------------------------------------------ chat and story facts
    def add_message(self, project_id: str, role: str, content: str, *, data: dict[str, Any] | None = None) -> ChatMessage:
        """Append to the project's chat; ``data`` carries a role's structured answer beside its text."""
        if not isinstance(role, str) or not role:
            raise InvalidValue("chat message role must be non-empty text")
        _typed(ChatMessage, {"data": dict(data or {}) if isinstance(data, dict | None) else data}, "chat message")
        with self.session() as s:
            self._project(s, project_id)
            message = ChatMessage(project_id=project_id, role=role, content=str(content), data=dict(data or {}))
            s.add(message)
            return message

    def messages(self, project_id: str) -> list[ChatMessage]:
        return self._rows(ChatMessage, project_id, ChatMessage.id)

    def add_fact(self, project_id: str, subject: str, fact: str, *, since_scene: str | None = None, until_scene: str | None = None) -> StoryFact:
        if not subject or not fact:
            raise InvalidValue("a story fact needs a subject and a fact")
        _typed(StoryFact, {"subject": subject, "fact": fact, "since_scene": since_scene, "until_scene": until_scene}, "story fact")
        with self.session() as s:
            self._project(s, project_id)
            row = StoryFact(project_id=project_id, subject=subject, fact=fact, since_scene=since_scene, until_scene=until_scene)
            s.add(row)
            return row

    def facts(self, project_id: str) -> list[StoryFact]:
        return self._rows(StoryFact, project_id, StoryFact.id)

    # ------------------------------------------------------------------ whole projects (interchange formats)
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
                return _detached(s, model, query)

            rows.characters = table_rows(Character, "id")
            rows.scenes = table_rows(Scene, "position", "id")
            scene_keys = {scene.id: scene.key for scene in rows.scenes}
            shot_table, scene_table = Shot.__table__, Scene.__table__  # type: ignore[attr-defined]
            shots = _detached(s, Shot, (
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
        pid = project.id
        with self.session() as s:
            if s.get(Project, pid) is not None:
                raise Duplicate(f"project {pid!r} already exists")
            s.add(project)
            s.flush()
            # Core bulk inserts (one executemany per table): the ORM unit of work takes seconds for 10,000 shots.
            _insert(s, rows.characters, project_id=pid)
            _insert(s, rows.locations, project_id=pid)
            _insert(s, rows.scenes, project_id=pid)
            scene_table, shot_table = Scene.__table__, Shot.__table__  # type: ignore[attr-defined]
            scene_ids = dict(s.execute(select(scene_table.c.key, scene_table.c.id).where(scene_table.c.project_id == pid)).all())
            for scene_key, shot in rows.shots:
                if scene_key not in scene_ids:
                    raise NotFound(f"shot {shot.key!r} belongs to scene {scene_key!r}, which the project does not have")
            _insert(s, [shot for _, shot in rows.shots], project_id=pid,
                    per_row=[{"scene_id": scene_ids[scene_key]} for scene_key, _ in rows.shots])
            shot_ids = dict(s.execute(select(shot_table.c.key, shot_table.c.id).where(shot_table.c.project_id == pid)).all())
            for take_row in rows.takes:
                if take_row.shot_key not in shot_ids:
                    raise NotFound(f"a take belongs to shot {take_row.shot_key!r}, which the project does not have")
            take_ids = _insert(s, [t.take for t in rows.takes], project_id=pid, returning_ids=True,
                               per_row=[{"shot_id": shot_ids[t.shot_key]} for t in rows.takes])
            _insert(s, [r.review for r in rows.reviews], project_id=pid,
                    per_row=[{"take_id": _indexed(take_ids, r.take_index, "review")} for r in rows.reviews])
            decision_links = []
            for d in rows.decisions:
                if d.shot_key is not None and d.shot_key not in shot_ids:
                    raise NotFound(f"a decision names shot {d.shot_key!r}, which the project does not have")
                decision_links.append({
                    "shot_id": shot_ids[d.shot_key] if d.shot_key is not None else None,
                    "take_id": _indexed(take_ids, d.take_index, "decision") if d.take_index is not None else None,
                })
            _insert(s, [d.decision for d in rows.decisions], project_id=pid, per_row=decision_links)
            _insert(s, rows.messages, project_id=pid)
            _insert(s, rows.facts, project_id=pid)
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
        _typed(Project, {"title": title, "extra": shotlist_extra}, "project")
        for character in characters:
            check_key("character", character["key"])
            _typed(Character, {k: v for k, v in character.items() if k != "key"}, "character")
        for scene in scenes:
            check_key("scene", scene["key"])
            _typed(Scene, {k: v for k, v in scene.items() if k not in ("key", "shots")}, "scene")
            for shot in scene["shots"]:
                check_key("shot", shot["key"])
                _only({k: v for k, v in shot.items() if k != "key"}, self.SHOT_FIELDS, "shot")
                _typed(Shot, {k: v for k, v in shot.items() if k != "key"}, "shot")
        with self.session() as s, gc_paused():
            project = self._project(s, project_id)
            project.title = title
            if target_runtime_s is not None:
                # Kept as the file says (a runtime far from the shots' sum is the grammar's 'runtime' finding).
                project.target_runtime_s = _number("target_runtime_s", target_runtime_s)
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

            _upsert(s, character_t, project_id, old_characters, [dict(c) for c in characters])

            next_position = 0 if replace else max((row.position for row in old_scenes.values()), default=-1) + 1
            scene_rows = []
            for fields in scenes:
                row = {k: v for k, v in fields.items() if k != "shots"}
                if replace or fields["key"] not in old_scenes:
                    row["position"] = next_position
                    next_position += 1
                scene_rows.append(row)
            scene_ids = _upsert(s, scene_t, project_id, old_scenes, scene_rows)

            shot_rows = []
            for fields in scenes:
                for position, shot in enumerate(fields["shots"]):
                    shot_rows.append({**shot, "scene_id": scene_ids[fields["key"]], "position": position})
            _upsert(s, shot_t, project_id, old_shots, shot_rows)
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

    # ------------------------------------------------------------------ internals
    def _rows(self, model: type[T], project_id: str, order: Any) -> list[T]:
        with self.session(write=False) as s:
            self._project(s, project_id)
            return list(s.exec(select(model).where(model.project_id == project_id).order_by(order)).all())  # type: ignore[attr-defined]

    @staticmethod
    def _get(s: Session, model: type[T], key: Any, kind: str) -> T:
        row = s.get(model, key)
        if row is None:
            raise NotFound(f"no {kind} with id {key!r}")
        return row

    def _project(self, s: Session, project_id: str) -> Project:
        if not isinstance(project_id, str):
            raise InvalidValue(f"project id must be text, got {type(project_id).__name__}")
        # A write locks the project's row first (SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE already
        # serialises writers): on PostgreSQL two read-modify-write calls on one project (annotate, take
        # numbering) would otherwise interleave and lose an update.
        project = s.get(Project, project_id, with_for_update=bool(s.info.get("write")))
        if project is None:
            raise NotFound(f"no project {project_id!r} (see `dailies list`)")
        return project

    def _scene(self, s: Session, project_id: str, key: str) -> Scene:
        self._project(s, project_id)
        row = s.exec(select(Scene).where(Scene.project_id == project_id, Scene.key == key)).first()
        if row is None:
            raise NotFound(f"project {project_id!r} has no scene {key!r}")
        return row

    def _shot(self, s: Session, project_id: str, key: str) -> Shot:
        self._project(s, project_id)
        row = s.exec(select(Shot).where(Shot.project_id == project_id, Shot.key == key)).first()
        if row is None:
            raise NotFound(f"project {project_id!r} has no shot {key!r}")
        return row


def _detached(s: Session, model: type[T], query: Any) -> list[T]:
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


def _upsert(s: Session, table: Any, project_id: str, old: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, int]:
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
        defaults = _column_defaults(table)
        values = [{**defaults, **row, "project_id": project_id} for row in inserts]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids.update(zip((row["key"] for row in inserts), s.execute(statement, values).scalars(), strict=True))
    return ids


def _column_defaults(table: Any) -> dict[str, Any]:
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


def _indexed(take_ids: list[int], index: int, kind: str) -> int:
    if not isinstance(index, int) or not 0 <= index < len(take_ids):
        raise NotFound(f"a {kind} names take #{index}, but the project has {len(take_ids)} take(s)")
    return take_ids[index]


def _insert(
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


def _only(fields: dict[str, Any], allowed: set[str] | frozenset[str], kind: str) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidValue(f"{kind} has no field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _one_of(name: str, value: Any, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise InvalidValue(f"{name} {value!r} is not one of: {', '.join(allowed)}")


def _typed(model: type[SQLModel], fields: dict[str, Any], kind: str) -> None:
    """Refuse values of the wrong type before they reach the database (table models do not validate on assignment)."""
    for name, value in fields.items():
        annotation = model.model_fields[name].annotation
        if not _fits(annotation, value):
            shown = repr(value)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            raise InvalidValue(f"{kind} field {name!r} must be {_describe(annotation)}, got {type(value).__name__} {shown}")  # type: ignore[arg-type]


def _fits(annotation: Any, value: Any) -> bool:
    if annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return any(_fits(arg, value) for arg in args)
    if annotation is type(None):
        return value is None
    if origin is dict:
        return isinstance(value, dict) and all(isinstance(k, str) and _fits(args[1], v) for k, v in value.items())
    if origin is list:
        return isinstance(value, list) and all(_fits(args[0], v) for v in value)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation in (str, bool, datetime):
        return isinstance(value, annotation)
    return True


@cache
def _describe(annotation: Any) -> str:
    names = {str: "text", int: "an integer", float: "a number", bool: "true or false", datetime: "a date-time"}
    if annotation in names:
        return names[annotation]
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        return " or ".join("null" if a is type(None) else _describe(a) for a in typing.get_args(annotation))
    if origin is dict:
        return "an object"
    if origin is list:
        return "a list"
    return str(annotation)


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


def _positive(name: str, value: Any, *, upper: float) -> float:
    number = _number(name, value)
    if not 0 < number <= upper:
        raise InvalidValue(f"{name} must be between 0 and {upper:g}, got {number:g}")
    return number


def _integrity_message(exc: IntegrityError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)


__all__ = ["OperationalError", "Store", "check_key", "make_engine", "slugify", "sqlite_url"]
