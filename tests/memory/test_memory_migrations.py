"""Migrations: a database made by the previous schema is upgraded on open, and keeps its data."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from memory import migrations
from memory.store import Store, make_engine


def _schema_differences(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True, "include_name": migrations.include_name}
        )
        return list(compare_metadata(context, SQLModel.metadata))


def test_head_schema_matches_the_models(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "head.db")
    assert migrations.current(store.engine) == migrations.head() == "0007"
    assert _schema_differences(store) == []
    store.close()


def test_a_database_at_revision_0001_is_upgraded_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrations.upgrade(engine, "0001")
    assert migrations.current(engine) == "0001"
    assert "extra" not in {c["name"] for c in inspect(engine).get_columns("project")}
    now = "2026-01-02 03:04:05.000000"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner, created_at, updated_at)"
            " VALUES ('old-1', 'Old', 'an old film', '', 30.0, '', 'planned', NULL, :now, :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO scene (id, project_id, key, position, heading, location, time_of_day, story_day, summary, screenplay, notes, extra)"
            " VALUES (1, 'old-1', 's1', 0, 'INT. X - DAY', 'x', 'day', 1, '', 'INT. X - DAY', '{}', '{}')"))
        conn.execute(text(
            "INSERT INTO shot (id, project_id, scene_id, key, position, size, duration_s, framing, characters, camera, crosses_axis,"
            " movement, time_of_day, wardrobe, dialogue, description, lighting, prompt, negative_prompt, notes, extra, status)"
            " VALUES (1, 'old-1', 1, 's1-01', 0, 'CU', 2.0, NULL, :chars, '{}', 0, NULL, NULL, '{}', '[]', 'a face', NULL, NULL, NULL,"
            " '{}', '{}', 'planned')"), {"chars": json.dumps([{"id": "mara", "x": 0.5, "facing": "camera"}])})
        conn.execute(text(
            "INSERT INTO take (id, project_id, shot_id, number, request_hash, path, seed, backend, model, parameters, timings,"
            " frame_count, status, created_at) VALUES (1, 'old-1', 1, 1, 'h', 'p.mp4', 1, 'animatic', '', '{}', '{}', 12, 'done', :now)"),
            {"now": now})
        conn.execute(text(
            "INSERT INTO chatmessage (project_id, role, content, data, created_at) VALUES ('old-1', 'creator', 'hello', '{}', :now)"),
            {"now": now})
    engine.dispose()

    store = Store(url)
    assert migrations.current(store.engine) == migrations.head()
    assert _schema_differences(store) == []
    project = store.project("old-1")
    assert (project.title, project.target_runtime_s, project.extra) == ("Old", 30.0, {})
    shot = store.shot("old-1", "s1-01")
    assert (shot.size, shot.description, shot.characters[0]["id"]) == ("CU", "a face", "mara")
    take = store.takes("old-1", "s1-01")[0]
    assert (take.path, take.stale_reason) == ("p.mp4", None)
    assert store.set_take_status(take.id, "stale", reason="upgraded").stale_reason == "upgraded"  # type: ignore[arg-type]
    assert [m.content for m in store.messages("old-1")] == ["hello"]
    store.update_project("old-1", extra={"new": True})
    assert store.project("old-1").extra == {"new": True}
    store.close()


def test_opening_an_up_to_date_database_again_is_a_no_op(tmp_path: Path) -> None:
    first = Store.at(tmp_path / "x.db")
    pid = first.create_project("kept").id
    first.close()
    second = Store.at(tmp_path / "x.db")
    assert second.project(pid).premise == "kept"
    with second.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [migrations.head()]
    second.close()


def test_a_batch_migration_that_rebuilds_a_parent_table_keeps_the_children(tmp_path: Path) -> None:
    """Downgrading 0002 rebuilds ``project`` (SQLite batch mode); foreign keys must not cascade the copy's DROP."""
    from alembic import command
    from memory_fixtures import populate

    store = Store.at(tmp_path / "d.db")
    pid = populate(store)
    counts = {name: len(getattr(store.dump_project(pid), name)) for name in ("scenes", "shots", "takes", "reviews", "decisions")}
    command.downgrade(migrations.config(store.engine), "0001")
    assert migrations.current(store.engine) == "0001"
    migrations.upgrade(store.engine)
    assert {name: len(getattr(store.dump_project(pid), name)) for name in counts} == counts
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
