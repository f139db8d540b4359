"""Several processes on one SQLite file: nothing is lost, nobody fails with "database is locked"."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

from sqlalchemy import text

from memory import migrations
from memory.store import Store

WRITES = 60


def _context() -> multiprocessing.context.BaseContext:
    # fork is quick on Linux and still gives separate processes with their own connections.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _writer(url: str, project: str, name: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    store = Store(url)
    barrier.wait()
    for i in range(WRITES):
        store.add_message(project, name, f"{name} message {i}")
        store.upsert_shot(project, "s1", f"{name}-{i:03d}", description=f"by {name}")
        # read-modify-write of one JSON column shared by both writers: a lost update would drop a role
        store.annotate(project, "shared", role=f"{name}-{i}", data=i)
    store.close()


def test_two_processes_writing_the_same_file_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    setup = Store(url)
    project = setup.create_project("a race").id
    setup.upsert_scene(project, "s1")
    setup.upsert_shot(project, "s1", "shared")
    setup.close()
    ctx = _context()
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=_writer, args=(url, project, name, barrier)) for name in ("alpha", "beta")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    store = Store(url)
    messages = store.messages(project)
    assert len(messages) == 2 * WRITES
    assert {m.content for m in messages} == {f"{n} message {i}" for n in ("alpha", "beta") for i in range(WRITES)}
    keys = {s.key for s in store.shots(project)}
    assert len(keys) == 2 * WRITES + 1
    assert len(store.shot(project, "shared").notes) == 2 * WRITES
    store.close()


def _opener(url: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    store = Store(url)
    store.create_project("opened concurrently")
    store.close()


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    ctx = _context()
    barrier = ctx.Barrier(4)
    openers = [ctx.Process(target=_opener, args=(url, barrier)) for _ in range(4)]
    for p in openers:
        p.start()
    for p in openers:
        p.join(timeout=120)
    assert [p.exitcode for p in openers] == [0, 0, 0, 0]
    store = Store(url)
    assert migrations.current(store.engine) == migrations.head()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    assert len(store.projects()) == 4
    store.close()
