"""A process killed (SIGKILL) in the middle of a schema migration leaves the database as it was; the next
open migrates it and the data is all there.

The kill lands at a fixed place: after every revision's DDL and the version stamp ran inside the migration's
one transaction, before that transaction commits (the worst moment: everything done, nothing durable). It is
injected by wrapping Alembic's ``MigrationContext.run_migrations`` in the killed process, because ``memory``
cannot import the crash points in ``generator.faults`` (the two packages are independent layers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from memory import migrations
from memory.store import Store, make_engine

pytestmark = pytest.mark.slow  # a second Python process that migrates, then is killed

KILLED_MID_MIGRATION = """
import os, signal, sys
from alembic.runtime.migration import MigrationContext
from memory.store import Store

original = MigrationContext.run_migrations

def run_then_die(self, **kw):
    original(self, **kw)  # every revision's DDL and the version stamp, inside the one transaction
    os.kill(os.getpid(), signal.SIGKILL)

MigrationContext.run_migrations = run_then_die
Store(sys.argv[1])
print("survived")
"""


def test_a_migration_killed_before_commit_leaves_the_old_database_and_reruns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrations.upgrade(engine, "0001")
    now = "2026-01-02 03:04:05.000000"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner, created_at, updated_at)"
            " VALUES ('old-1', 'Old', 'an old film', '', 30.0, '', 'planned', NULL, :now, :now)"), {"now": now})
    engine.dispose()

    root = Path(__file__).parents[2]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_MIGRATION, url], cwd=root, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert "survived" not in killed.stdout

    engine = make_engine(url)
    assert migrations.current(engine) == "0001"  # nothing of the killed migration is left
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM project WHERE id = 'old-1'")).scalar_one() == "Old"
    engine.dispose()

    store = Store(url)  # the next open migrates as if the crash never happened
    try:
        assert migrations.current(store.engine) == migrations.head()
        assert store.project("old-1").title == "Old"
    finally:
        store.close()
