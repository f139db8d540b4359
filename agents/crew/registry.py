"""The crew, in the order it works. Adding a role: one file, one prompt in ``prompts/``, one line here."""

from __future__ import annotations

from agents.crew.cinematographer import Cinematographer
from agents.crew.continuity_supervisor import ContinuitySupervisor
from agents.crew.critic import Critic
from agents.crew.director import Director
from agents.crew.editor import Editor
from agents.crew.producer import Producer
from agents.crew.role import Role
from agents.crew.screenwriter import ScreenWriter
from agents.crew.writer import Writer

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
