"""The crew, in the order it works. Adding a role: one file, one prompt in ``prompts/``, one line here."""

from __future__ import annotations

from agents.cinematographer import Cinematographer
from agents.continuity import ContinuitySupervisor
from agents.critic import Critic
from agents.director import Director
from agents.editor import Editor
from agents.producer import Producer
from agents.role import Role
from agents.screenwriter import ScreenWriter
from agents.writer import Writer

ROLES: tuple[type[Role], ...] = (
    Producer,
    Writer,
    ScreenWriter,
    Director,
    Cinematographer,
    ContinuitySupervisor,
    Critic,
    Editor,
)


def role(name: str) -> type[Role]:
    """The role class registered under ``name``."""
    for cls in ROLES:
        if cls.name == name:
            return cls
    raise KeyError(f"no role {name!r}; the crew is: {', '.join(c.name for c in ROLES)}")
