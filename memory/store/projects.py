"""Project rows: create, read, list by owner, update, delete (the delete cascades to everything)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlmodel import select

from memory.errors import Duplicate, InvalidValue
from memory.models import PROJECT_STATUSES, Project, utcnow
from memory.store.base import StoreBase
from memory.store.fields import checked, one_of, positive
from memory.store.keys import check_key, slugify

#: Longest film a project may ask for.
MAX_RUNTIME_S = 4 * 3600


class ProjectStore(StoreBase):
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
        runtime = positive("target_runtime_s", target_runtime_s, upper=MAX_RUNTIME_S)
        checked(Project, {"title": title, "style_notes": style_notes, "owner": owner}, "project")
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
        """Set any writable project field (title, premise, logline, beats, status, owner, extra…)."""
        fields = checked(Project, fields, "project")
        if "status" in fields:
            one_of("status", fields["status"], PROJECT_STATUSES)
        if "target_runtime_s" in fields:
            fields["target_runtime_s"] = positive("target_runtime_s", fields["target_runtime_s"], upper=MAX_RUNTIME_S)
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
