"""The story memory on PostgreSQL: runs only where ``DAILIES_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it).

Each test gets its own schema (``search_path``), so runs never see each other's tables. The URL names
a database the test may create schemas in, e.g. ``postgresql+psycopg://dailies@127.0.0.1:54329/dailies_test``.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from datetime import UTC, datetime

import pytest
from legacy_data import assert_upgraded, write_0003_project
from memory_fixtures import DATA, populate
from sqlalchemy import text

from memory import bible, fountain, migrations
from memory import shotlist as sl
from memory.errors import Duplicate, FormatError
from memory.shotlist_io import export_shotlist, import_shotlist
from memory.store import Store, make_engine

pytestmark = pytest.mark.requires("postgres")


def test_every_model_round_trips_and_the_bible_too(pg_url: str) -> None:
    store = Store(pg_url)
    assert migrations.current(store.engine) == migrations.head()
    pid = populate(store)
    first = bible.export_bible(store, pid)
    copy = bible.import_bible(store, json.loads(json.dumps(first)))
    second = bible.export_bible(store, copy.id)
    for document in (first, second):
        document.pop("exported_at")
        document["project"].pop("id")
    assert first == second
    assert store.takes(copy.id, "s1-02")[0].stale_reason == "shot s1-02 edited"
    with pytest.raises(Duplicate):
        store.create_project("again", project_id=pid)
    store.close()


def test_shot_list_and_fountain(pg_url: str) -> None:
    store = Store(pg_url)
    pid = populate(store)
    document = json.loads(export_shotlist(store, pid).to_json())
    document["scenes"][0]["shots"][0]["lens_note"] = "35mm"
    import_shotlist(store, pid, document)
    assert export_shotlist(store, pid) == sl.ShotList.model_validate(document)
    project = fountain.import_fountain(store, (DATA / "night_ferry.fountain").read_text(encoding="utf-8"))
    assert len(store.scenes(project.id)) == 5
    with pytest.raises(FormatError):
        import_shotlist(store, pid, {**document, "format": "dailies.shotlist/9"})
    store.close()


def test_a_database_at_0001_is_upgraded_on_open(pg_url: str) -> None:
    engine = make_engine(pg_url)
    migrations.upgrade(engine, "0001")
    now = datetime(2026, 1, 2, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner, created_at, updated_at)"
            " VALUES ('old-1', 'Old', 'an old film', '', 30.0, '', 'planned', NULL, :now, :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO scene (project_id, key, position, heading, location, summary, screenplay, notes, extra)"
            " VALUES ('old-1', 's1', 0, 'INT. X - DAY', 'x', '', '', '{}', '{}')"))
    engine.dispose()
    store = Store(pg_url)
    assert migrations.current(store.engine) == migrations.head()
    assert store.project("old-1").extra == {}
    assert [s.key for s in store.scenes("old-1")] == ["s1"]
    store.close()


def test_0004_moves_the_story_conventions_into_typed_columns(pg_url: str) -> None:
    engine = make_engine(pg_url)
    write_0003_project(engine)
    engine.dispose()
    store = Store(pg_url)
    assert migrations.current(store.engine) == migrations.head()
    assert_upgraded(store)
    store.close()


def _writer(url: str, project: str, name: str) -> None:
    store = Store(url)
    for i in range(30):
        store.add_message(project, name, f"{name} {i}")
        store.annotate(project, "shared", role=f"{name}-{i}", data=i)
    store.close()


def test_two_processes_lose_nothing(pg_url: str) -> None:
    store = Store(pg_url)
    pid = store.create_project("race").id
    store.upsert_scene(pid, "s1")
    store.upsert_shot(pid, "s1", "shared")
    store.close()
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    workers = [ctx.Process(target=_writer, args=(pg_url, pid, name)) for name in ("a", "b")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    store = Store(pg_url)
    assert len(store.messages(pid)) == 60
    assert len(store.shot(pid, "shared").notes) == 60, "a concurrent read-modify-write lost an update"
    store.close()
