"""Every studio handler that takes a project refuses another user's project exactly as a missing one.

Found by walking the tab modules rather than listed by hand, so a handler added later (cancel, reference
upload, re-dress, re-cut, reopen…) is covered at once; a function that takes a ``ProjectView`` without the
guard fails here too. Nothing the refused calls could change (the project, its characters, its jobs) changes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from studio_doubles import plan_without_graph

import ui.studio.tabs
from agents.studio import Studio
from ui.studio.desk import Desk
from ui.studio.errors import NoSuchProject


def project_handlers() -> dict[str, Callable[..., Any]]:
    """``module.name`` → every function in ``ui.studio.tabs`` whose third parameter is the project."""
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(ui.studio.tabs.__path__):
        module = importlib.import_module(f"ui.studio.tabs.{info.name}")
        for name, fn in vars(module).items():
            if not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            inner = inspect.unwrap(fn)
            params = list(inspect.signature(inner).parameters.values())
            if len(params) >= 3 and params[2].name == "project" and "ProjectView" in str(params[2].annotation):
                found[f"{info.name}.{name}"] = fn
    return found


HANDLERS = project_handlers()


def test_the_walk_finds_the_handlers_the_issue_names() -> None:
    assert {"crew.cancel", "bible.upload_reference", "shots.save_shots", "crew.decide", "projects.delete_project"} <= set(HANDLERS)


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_each_project_handler_is_guarded(name: str) -> None:
    assert HANDLERS[name] is not inspect.unwrap(HANDLERS[name]), f"{name} takes a ProjectView but has no @owned guard"


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "value", call()
    except NoSuchProject as exc:
        return "refused", str(exc).replace("no-such-project-0000", "ID")


@pytest.mark.slow  # one planned project per handler (~0.6 s each)
@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_bob_gets_what_a_missing_project_gets(desk: Desk, alices: str, tmp_path: Path, name: str) -> None:
    fn = HANDLERS[name]
    extra = len(inspect.signature(inspect.unwrap(fn)).parameters) - 3
    picture = tmp_path / "mara.png"
    Image.new("RGB", (8, 8), "red").save(picture)
    args: list[Any] = ["mara", str(picture)] if name == "bible.upload_reference" else [None] * extra
    before = (desk.studio.store.project(alices), desk.studio.store.characters(alices), desk.studio.store.shots(alices))

    as_bob = _outcome(lambda: fn(desk, "bob", alices, *args))
    missing = _outcome(lambda: fn(desk, "bob", "no-such-project-0000", *args))
    assert (as_bob[0], str(as_bob[1]).replace(alices, "ID")) == (missing[0], str(missing[1]))
    if as_bob[0] == "refused":
        assert "for you" in as_bob[1]
    after = (desk.studio.store.project(alices), desk.studio.store.characters(alices), desk.studio.store.shots(alices))
    assert after == before and not desk.jobs.busy(alices)
    assert not (desk.studio.settings.home / "references" / alices).exists()


@pytest.fixture
def desk(studio: Studio) -> Desk:
    return Desk(studio=studio)


@pytest.fixture
def alices(desk: Desk) -> str:
    return plan_without_graph(desk.studio, "alice")
