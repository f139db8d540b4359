"""Fixtures for the studio page's tests: a studio on a scripted crew, and one launched app.

The launched app (session-wide, two logins) is shared by the API and browser tests; each test makes its
own film on it. The scripted LLM holds several films' worth of the planning roles' answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from studio_doubles import free_port, scripted_films, small_settings, users_file

from agents.studio import Studio
from generator.animatic.backend import AnimaticBackend


@pytest.fixture
def studio(dailies_home: Path) -> Iterator[Studio]:
    studio = Studio(settings=small_settings(dailies_home), llm=scripted_films(), generator=AnimaticBackend())
    yield studio
    studio.close()


@pytest.fixture(scope="session")
def launched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, Studio]]:
    """The studio served on 127.0.0.1 (random free port) with two logins: (Blocks, URL, Studio)."""
    from ui.studio.app import launch
    from ui.studio.users import load_users

    home = tmp_path_factory.mktemp("studio-home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DAILIES_HOME", str(home))
        env.setenv("DAILIES_CONFIG", str(home / "config.toml"))
        env.setenv("LANGGRAPH_STRICT_MSGPACK", "true")
        env.setenv("HF_HUB_OFFLINE", "1")
        env.setenv("TRANSFORMERS_OFFLINE", "1")
        env.setenv("GRADIO_ANALYTICS_ENABLED", "False")
        # One app for the whole session: every browser test that creates a project takes one film's answers
        # (with four, a full run of the suite ran out once the Bible-tab voice test joined).
        studio = Studio(settings=small_settings(home), llm=scripted_films(films=12), generator=AnimaticBackend())
        logins = load_users(users_file(home / "users.txt"))
        demo, url = launch(studio, host="127.0.0.1", port=free_port(), auth=logins, block=False)
        try:
            yield demo, url, studio
        finally:
            demo.close()
            studio.close()
