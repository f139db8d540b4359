"""Helpers for the studio page's tests: a scripted crew for several films, a project planned without the
graph, small render settings, a free port. (A uniquely named module: a bare ``conftest`` import clashes.)
"""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path
from typing import Any

from agents.crew.producer import Routing
from agents.crew.registry import role
from agents.crew.role import Deps
from agents.llm.scripted import ScriptedLLM
from agents.settings import Settings, load_settings
from agents.studio import Studio

#: The logins people type; the studio itself sees only their hashes (``users_file``).
USERS = [("alice", "wonderland"), ("bob", "builder")]
#: 320×180 is the smallest size at which the animatic's colour marks stay measurable after H.264.
SMALL = {"width": 320, "height": 180, "fps": 12}


def _crew_answers() -> dict[str, list[Any]]:
    path = Path(__file__).parents[1] / "agents" / "doubles.py"
    spec = importlib.util.spec_from_file_location("ui_tests_crew_doubles", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.crew_answers()


def scripted_films(films: int = 4, routings: list[Routing] | None = None) -> ScriptedLLM:
    """A scripted LLM with the planning roles' answers for ``films`` films, plus producer routings."""
    answers = {name: list(queue) * films for name, queue in _crew_answers().items()}
    answers["Routing"] = list(routings or []) + [Routing(intent="question", reply="Noted.")] * 8
    return ScriptedLLM(answers)


def small_settings(home: Path) -> Settings:
    return load_settings(home=home, **SMALL)


def plan_without_graph(studio: Studio, owner: str | None, premise: str = "A keeper and her son in a storm") -> str:
    """A project planned from the roles' example answers directly (no graph, no renders): fast."""
    project = studio.new(premise, runtime_s=12, owner=owner).id
    deps = Deps(store=studio.store, llm=None, settings=studio.settings)
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    return project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def users_file(path: Path) -> Path:
    """A users file with ``USERS``' argon2id hashes, written the way ``dailies user add`` writes it."""
    from ui.studio.users import add_user

    for user, password in USERS:
        add_user(path, user, password)
    return path
