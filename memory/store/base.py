"""The store's foundation: one database, one transaction per call, typed errors, row lookups by key.

Why one place: every write is one transaction (nothing half-written when an error is raised), every
bad id becomes a typed error naming it, and rows come back detached (``expire_on_commit=False``), safe
to read after the call. The row APIs (``projects``, ``places``, ``plan``, ``takes``, ``chat``) and the
bulk I/O (``bulk``) are mixins over this base; ``Store`` puts them together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel, select

from memory import migrations
from memory.errors import Duplicate, InvalidValue, NotFound, StorageError, storage_problem
from memory.models import Project, Scene, Shot
from memory.store.engine import READ_ONLY, make_engine, sqlite_url

T = TypeVar("T", bound=SQLModel)


class StoreBase:
    """Story memory over one database. Create with a SQLAlchemy URL; the schema is upgraded on open."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///file:"):  # a URI filename names no folder to make
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine = make_engine(url)
        self._read_engine = self.engine.execution_options(**{READ_ONLY: True})
        if upgrade:
            migrations.upgrade(self.engine)

    @classmethod
    def at(cls, path: Path) -> Self:
        return cls(sqlite_url(path))

    @property
    def where(self) -> str:
        """The database, for messages: its file for SQLite, the URL without its password otherwise."""
        if self.url.startswith("sqlite:///"):
            return f"at {self.url.removeprefix('sqlite:///').removeprefix('file:').split('?')[0]}"
        return f"at {self.engine.url.render_as_string(hide_password=True)}"

    def close(self) -> None:
        self.engine.dispose()

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
                problem = storage_problem(str(exc.orig), self.where)
                if problem is not None:
                    raise StorageError(problem) from exc
                raise
            except BaseException:
                session.rollback()
                raise

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


def _integrity_message(exc: IntegrityError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
