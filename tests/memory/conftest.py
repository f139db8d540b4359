"""Fixtures for the story memory: a store on a real SQLite file (helpers live in ``memory_fixtures``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from memory.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.at(tmp_path / "memory.db")
    yield s
    s.close()
