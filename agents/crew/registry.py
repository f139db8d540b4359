"""The crew, in the order it works. Adding a role: one file, one prompt in ``prompts/``, one line here.

Each role declares its ``stage``; the graph's stage nodes ask ``roles_at(stage)`` on every run and run
those roles in the order of this tuple. So a role at any stage — the five core planners included — is
wired by this one line, never by a hand-made graph node.
"""

from __future__ import annotations

from agents.crew.cinematographer import Cinematographer
from agents.crew.continuity_supervisor import ContinuitySupervisor
from agents.crew.critic import Critic
from agents.crew.director import Director
from agents.crew.editor import Editor
from agents.crew.producer import Producer
from agents.crew.role import Role, Stage
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


def roles_at(stage: Stage) -> tuple[type[Role], ...]:
    """The registered roles of ``stage``, in registry order (read at call time, so a new line counts at once)."""
    return tuple(cls for cls in ROLES if cls.stage == stage)
