"""Fixtures for crew tests: a real story memory on SQLite and a project planned from the roles' examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.settings import load_settings
from memory.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.at(tmp_path / "memory.db")


@pytest.fixture
def deps(store: Store) -> Deps:
    return Deps(store=store, llm=None, settings=load_settings())


@pytest.fixture
def small_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders at 320×180, 12 fps: the smallest size at which H.264's chroma keeps the animatic's figure
    colours measurable by the critic, and fast enough for whole films in tests."""
    for name, value in {"WIDTH": "320", "HEIGHT": "180", "FPS": "12"}.items():
        monkeypatch.setenv(f"DAILIES_{name}", value)


@pytest.fixture
def planned(deps: Deps) -> str:
    """A project taken through the planning roles' example answers (no LLM), with one take on the first shot."""
    project = deps.store.create_project("A keeper and her son in a storm", title="The Keeper", target_runtime_s=30).id
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    first = deps.store.shots(project)[0].key
    deps.store.add_take(project, first, request_hash="0" * 64, path="take.mp4", backend="animatic")
    return project
