"""Fixtures shared by the whole suite. Package-specific fixtures live in tests/<package>/conftest.py."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

#: A PostgreSQL database the tests may create schemas in (``.ci/run`` starts one); empty = those tests skip.
POSTGRES_URL = os.environ.get("DAILIES_TEST_POSTGRES_URL", "")


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


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A schema of its own in the test PostgreSQL (``search_path``), so runs never see each other's tables."""
    if not POSTGRES_URL:
        pytest.skip("set DAILIES_TEST_POSTGRES_URL to a PostgreSQL database to run")
    from sqlalchemy import create_engine, text

    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
