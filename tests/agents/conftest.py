"""Fixtures for crew tests: a real story memory on SQLite and a project planned from the roles' examples;
and the one vLLM server of a test session (``vllm_server``), shared by the vLLM tests and the production profile."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.settings import load_settings
from memory.store import Store

if TYPE_CHECKING:
    from agents.llm.vllm_server import VllmServer


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


@pytest.fixture(scope="session")
def vllm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VllmServer]:
    """A real vLLM CPU server (its own environment, ``tests/agents/llm/vllm_env.py``) serving the converted
    bundled model on 127.0.0.1 as ``smollm2``, started once per session: it takes ~40 s to be ready, so the
    vLLM tests and the production-profile film share it instead of starting two."""
    from agents.llm import bundled
    from agents.llm.vllm_server import start_vllm_server
    from tests.agents.llm.vllm_env import vllm_python

    home = tmp_path_factory.mktemp("vllm-home")
    folder = bundled.ensure_converted(home)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    started = start_vllm_server(
        str(folder), python=str(vllm_python()), port=port, served_name="smollm2", log_path=home / "vllm.log", cpu=True
    )
    try:
        started.wait_ready(timeout_s=420)
        yield started
    finally:
        started.stop()
