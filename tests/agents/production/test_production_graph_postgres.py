"""The production graph with PostgreSQL as both story memory and checkpoint store: runs only where
``DAILIES_TEST_POSTGRES_URL`` is set (``.ci/run`` starts a throw-away server and sets it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from doubles import CountingGenerator, scripted_crew
from sqlalchemy import create_engine, text

from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio

pytestmark = pytest.mark.slow  # the shared ``pg_url`` fixture skips where no PostgreSQL is configured


def test_a_film_on_postgresql_with_checkpoints_there_too(pg_url: str, small_frames: None, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DAILIES_DATABASE_URL", pg_url)
    settings = load_settings()
    assert settings.checkpoints_url == pg_url
    studio = Studio(settings=settings, llm=scripted_crew(), generator=CountingGenerator(tmp_path / "r.log"))
    project = studio.new("A keeper and her son", runtime_s=8).id
    assert studio.run(project).what == "plan"  # type: ignore[union-attr]

    # a second studio (another process, after a restart) finds the run where it stopped, in PostgreSQL
    again = Studio(settings=load_settings(), llm=scripted_crew(), generator=CountingGenerator(tmp_path / "r.log"))
    pending = again.decide_all(project, CreatorDecision(kind="approve_plan"))
    while pending is not None:
        pending = again.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
    assert again.store.project(project).status == "cut"
    with create_engine(pg_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM checkpoints WHERE thread_id = :t"), {"t": project}).scalar() > 0
