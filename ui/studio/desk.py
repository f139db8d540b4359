"""The studio page's desk: the facade, the job runner, who opened what, and the one ownership guard.

Why one guard: every handler that takes a project id must refuse a project the user does not own, and
must refuse it with the same words whether the project exists or not (ids cannot be probed). ``owned``
is that check, written once: a handler declares the project it works on and receives it resolved
(``ProjectView``); ``owned(empty=...)`` is the variant for what a page *draws*, which shows nothing
instead of raising. ``shown`` turns our typed errors into the message a person sees.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

import gradio as gr

from agents import AgentError, ProjectView, StoryMemoryError, Studio
from ui.studio.errors import NoSuchProject, StudioPageError
from ui.studio.jobs import Job, JobRunner, Work
from ui.studio.steps import crew_work

P = ParamSpec("P")
R = TypeVar("R")

#: Errors shown to the person as a message instead of a server error.
SHOWN: tuple[type[Exception], ...] = (StudioPageError, StoryMemoryError, AgentError)


@dataclass
class Desk:
    """Everything a handler needs: the studio facade, the job runner, and each user's last-opened project
    (kept in this process, keyed by user — never in the page's ``gr.State``)."""

    studio: Studio
    jobs: JobRunner = field(default_factory=JobRunner)
    opened: dict[str | None, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, user: str | None, project: str | None) -> None:
        with self._lock:
            if project:
                self.opened[user] = project
            else:
                self.opened.pop(user, None)

    def crew_job(self, project: str, label: str, work: Work, *, once: bool = False) -> Job:
        """Queue work that runs the crew: when its model is not loaded yet, the job loads it first as a step the
        page shows (what it does, the seconds spent) rather than a silent wait inside the first role."""
        return self.jobs.submit(project, label, crew_work(self.studio, work), once=once)

    def project(self, user: str | None, project_id: str | None) -> ProjectView:
        """The project ``project_id`` if ``user`` owns it (``None`` = no login, local projects)."""
        if not project_id:
            raise NoSuchProject("no project is open: pick one from the list or create one")
        project = self.studio.project_for(str(project_id), owner=user)
        if project is None:
            raise NoSuchProject(f"no project {str(project_id)[:80]!r} for you")
        return project


Handler = Callable[Concatenate[Desk, str | None, ProjectView, P], R]
Guarded = Callable[Concatenate[Desk, str | None, str | None, P], R]


def owned(fn: Handler[P, R]) -> Guarded[P, R]:
    """The guard: call ``fn(desk, user, project, …)`` with the user's project resolved from its id, or
    raise ``NoSuchProject`` ("no project … for you") — the same whether it is missing or someone else's."""

    @functools.wraps(fn)
    def guarded(desk: Desk, user: str | None, project_id: str | None, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(desk, user, desk.project(user, project_id), *args, **kwargs)

    return guarded


def owned_or(empty: Callable[[], R]) -> Callable[[Handler[P, R]], Guarded[P, R]]:
    """The guard for what a page draws: ``empty()`` instead of an error when the user has no such project."""

    def decorate(fn: Handler[P, R]) -> Guarded[P, R]:
        @functools.wraps(fn)
        def guarded(desk: Desk, user: str | None, project_id: str | None, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                project = desk.project(user, project_id)
            except NoSuchProject:
                return empty()
            return fn(desk, user, project, *args, **kwargs)

        return guarded

    return decorate


def user_of(request: gr.Request | None) -> str | None:
    """The logged-in user of a page request (None without logins)."""
    return getattr(request, "username", None) if request is not None else None


def shown(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn our typed errors into a ``gr.Error`` the page shows as a message."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SHOWN as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    return wrapper


def hint(text: str) -> str:
    """A validation message shown next to its field (Markdown), instead of an error badge covering the field."""
    return f"<span class='field-hint'>⚠ {text}</span>" if text else ""


def as_rows(value: Any) -> list[list[Any]]:
    """A Dataframe's value as plain rows (Gradio hands a pandas frame or a list)."""
    return value.values.tolist() if hasattr(value, "values") else list(value or [])
