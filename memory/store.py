"""The story memory's one API: ``Store``. It is the only code that opens a database session.

Why one class: every write is one transaction (nothing half-written when an error is raised), every
bad id becomes a typed error naming it, and SQLite gets the same connection settings everywhere
(WAL, foreign keys, a busy timeout) so two processes on one file wait for each other instead of
failing. Rows come back detached (``expire_on_commit=False``), safe to read after the call.

Any SQLAlchemy URL works (``sqlite:///path.db`` by default, ``postgresql+psycopg://…`` when set).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, SQLModel, create_engine, select

from memory import migrations
from memory.errors import Duplicate, InvalidValue, NotFound
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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with the project's connection settings (SQLite: WAL, foreign keys, busy timeout)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """Story memory over one database. Create with a SQLAlchemy URL; the schema is upgraded on open."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine = make_engine(url)
        if upgrade:
            migrations.upgrade(self.engine)

    @classmethod
    def at(cls, path: Path) -> Store:
        return cls(sqlite_url(path))

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ sessions
    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except IntegrityError as exc:
                session.rollback()
                raise Duplicate(f"already exists: {_integrity_message(exc)}") from exc
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
        with self.session() as s:
            return self._project(s, project_id)

    def projects(self, owner: str | None = None, *, all_owners: bool = False) -> list[Project]:
        with self.session() as s:
            query = select(Project).order_by(Project.created_at.desc())  # type: ignore[attr-defined]
            if not all_owners:
                query = query.where(Project.owner == owner) if owner is not None else query.where(Project.owner.is_(None))  # type: ignore[union-attr]
            return list(s.exec(query).all())

    def update_project(self, project_id: str, **fields: Any) -> Project:
        allowed = {"title", "premise", "logline", "target_runtime_s", "style_notes", "status", "owner"}
        _only(fields, allowed, "project")
        if "status" in fields:
            _one_of("status", fields["status"], PROJECT_STATUSES)
        if "target_runtime_s" in fields:
            fields["target_runtime_s"] = _positive("target_runtime_s", fields["target_runtime_s"], upper=4 * 3600)
        with self.session() as s:
            project = self._project(s, project_id)
            for name, value in fields.items():
                setattr(project, name, value)
            project.updated_at = utcnow()
            s.add(project)
            return project

    def delete_project(self, project_id: str) -> None:
        with self.session() as s:
            s.delete(self._project(s, project_id))

    # ------------------------------------------------------------------ characters and locations
    def upsert_character(self, project_id: str, key: str, **fields: Any) -> Character:
        _only(fields, {"name", "description", "wardrobe", "voice_notes", "reference_images", "extra"}, "character")
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
        with self.session() as s:
            row = s.exec(select(Character).where(Character.project_id == project_id, Character.key == key)).first()
            if row is None:
                raise NotFound(f"project {project_id!r} has no character {key!r}")
            return row

    def characters(self, project_id: str) -> list[Character]:
        return self._rows(Character, project_id, Character.id)

    def upsert_location(self, project_id: str, key: str, **fields: Any) -> Location:
        _only(fields, {"name", "description"}, "location")
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
        with self.session() as s:
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
        check_key("shot", key)
        if "duration_s" in fields:
            _number("duration_s", fields["duration_s"])
        with self.session() as s:
            scene = self._scene(s, project_id, scene_key)
            row = s.exec(select(Shot).where(Shot.project_id == project_id, Shot.key == key)).first()
            if row is None:
                count = s.exec(select(func.count()).select_from(Shot).where(Shot.scene_id == scene.id)).one()
                row = Shot(project_id=project_id, scene_id=scene.id, key=key, position=int(count))
            row.scene_id = scene.id  # type: ignore[assignment]
            for name, value in fields.items():
                setattr(row, name, value)
            s.add(row)
            return row

    def update_shot(self, project_id: str, key: str, **fields: Any) -> Shot:
        _only(fields, self.SHOT_FIELDS, "shot")
        if "duration_s" in fields:
            _number("duration_s", fields["duration_s"])
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
        with self.session() as s:
            return self._shot(s, project_id, key)

    def shots(self, project_id: str, scene_key: str | None = None) -> list[Shot]:
        """Shots in film order (scene order, then position in scene)."""
        with self.session() as s:
            self._project(s, project_id)
            query = (
                select(Shot).join(Scene, Shot.scene_id == Scene.id)  # type: ignore[arg-type]
                .where(Shot.project_id == project_id)
                .order_by(Scene.position, Shot.position)  # type: ignore[arg-type]
            )
            if scene_key is not None:
                query = query.where(Scene.key == scene_key)
            return list(s.exec(query).all())

    def shot_scene_keys(self, project_id: str) -> dict[str, str]:
        """Shot key → its scene's key, for the whole project in one query."""
        with self.session() as s:
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
        _only(fields, {"request_hash", "path", "seed", "backend", "model", "parameters", "timings", "frame_count", "status"}, "take")
        if "status" in fields:
            _one_of("status", fields["status"], TAKE_STATUSES)
        with self.session() as s:
            shot = self._shot(s, project_id, shot_key)
            count = s.exec(select(func.count()).select_from(Take).where(Take.shot_id == shot.id)).one()
            take = Take(project_id=project_id, shot_id=shot.id, number=int(count) + 1, **fields)  # type: ignore[arg-type]
            s.add(take)
            return take

    def take(self, take_id: int) -> Take:
        with self.session() as s:
            return self._get(s, Take, take_id, "take")

    def takes(self, project_id: str, shot_key: str | None = None) -> list[Take]:
        with self.session() as s:
            query = select(Take).where(Take.project_id == project_id)
            if shot_key is not None:
                query = query.where(Take.shot_id == self._shot(s, project_id, shot_key).id)
            return list(s.exec(query.order_by(Take.id)).all())  # type: ignore[arg-type]

    def set_take_status(self, take_id: int, status: str) -> Take:
        _one_of("status", status, TAKE_STATUSES)
        with self.session() as s:
            take = self._get(s, Take, take_id, "take")
            take.status = status
            s.add(take)
            return take

    def add_review(self, take_id: int, *, reviewer: str, verdict: str, scores: dict[str, Any] | None = None, notes: str = "") -> Review:
        with self.session() as s:
            take = self._get(s, Take, take_id, "take")
            review = Review(project_id=take.project_id, take_id=take_id, reviewer=reviewer, verdict=verdict, scores=scores or {}, notes=notes)
            s.add(review)
            return review

    def reviews(self, take_id: int) -> list[Review]:
        with self.session() as s:
            self._get(s, Take, take_id, "take")
            return list(s.exec(select(Review).where(Review.take_id == take_id).order_by(Review.id)).all())  # type: ignore[arg-type]

    def add_decision(
        self, project_id: str, kind: str, *, shot_key: str | None = None, take_id: int | None = None, by: str = "creator", note: str = ""
    ) -> Decision:
        _one_of("kind", kind, DECISION_KINDS)
        with self.session() as s:
            self._project(s, project_id)
            shot_id = self._shot(s, project_id, shot_key).id if shot_key else None
            if take_id is not None:
                self._get(s, Take, take_id, "take")
            decision = Decision(project_id=project_id, shot_id=shot_id, take_id=take_id, kind=kind, by=by, note=note)
            s.add(decision)
            return decision

    def decisions(self, project_id: str, shot_key: str | None = None) -> list[Decision]:
        with self.session() as s:
            query = select(Decision).where(Decision.project_id == project_id)
            if shot_key is not None:
                query = query.where(Decision.shot_id == self._shot(s, project_id, shot_key).id)
            return list(s.exec(query.order_by(Decision.id)).all())  # type: ignore[arg-type]

    # ------------------------------------------------------------------ chat and story facts
    def add_message(self, project_id: str, role: str, content: str) -> ChatMessage:
        if not role:
            raise InvalidValue("chat message role is empty")
        with self.session() as s:
            self._project(s, project_id)
            message = ChatMessage(project_id=project_id, role=role, content=str(content))
            s.add(message)
            return message

    def messages(self, project_id: str) -> list[ChatMessage]:
        return self._rows(ChatMessage, project_id, ChatMessage.id)

    def add_fact(self, project_id: str, subject: str, fact: str, *, since_scene: str | None = None, until_scene: str | None = None) -> StoryFact:
        if not subject or not fact:
            raise InvalidValue("a story fact needs a subject and a fact")
        with self.session() as s:
            self._project(s, project_id)
            row = StoryFact(project_id=project_id, subject=subject, fact=fact, since_scene=since_scene, until_scene=until_scene)
            s.add(row)
            return row

    def facts(self, project_id: str) -> list[StoryFact]:
        return self._rows(StoryFact, project_id, StoryFact.id)

    # ------------------------------------------------------------------ internals
    def _rows(self, model: type[T], project_id: str, order: Any) -> list[T]:
        with self.session() as s:
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
        project = s.get(Project, project_id)
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


def _only(fields: dict[str, Any], allowed: set[str] | frozenset[str], kind: str) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidValue(f"{kind} has no field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _one_of(name: str, value: Any, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise InvalidValue(f"{name} {value!r} is not one of: {', '.join(allowed)}")


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
