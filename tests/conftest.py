"""Fixtures shared by the whole suite. Package-specific fixtures live in tests/<package>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def dailies_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder and config file: nothing touches the user's home."""
    home = tmp_path / "dailies-home"
    monkeypatch.setenv("DAILIES_HOME", str(home))
    monkeypatch.setenv("DAILIES_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("LANGGRAPH_STRICT_MSGPACK", "true")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    return home
