"""A full disk or a read-only database is one line that says what to do (issue 18), and nothing is written.

Before: a full disk surfaced as SQLAlchemy's ``OperationalError`` with the statement and kilobytes of
parameters (a 160-line traceback in the CLI); a read-only database said only "cannot upgrade".
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from memory_fixtures import populate
from sqlalchemy import event

from memory.errors import SchemaError, StorageError
from memory.shotlist_io import export_shotlist, import_shotlist
from memory.store import Store

RELEASE_DB = Path(__file__).parent / "data" / "release_0003.db"


def _read_only_url(path: Path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_a_full_disk_is_one_line_without_the_sql(store: Store) -> None:
    pid = populate(store)
    document = export_shotlist(store, pid).model_dump(mode="json")
    for scene in document["scenes"]:
        for shot in scene["shots"]:
            shot["description"] = "x" * 200_000  # far more than the pages left below
    store.engine.dispose()

    def cap_pages(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages + 2}")

    event.listen(store.engine, "connect", cap_pages)
    before = store.shots(pid)
    with pytest.raises(StorageError, match="is full: free some space") as raised:
        import_shotlist(store, pid, document)
    assert "INSERT" not in str(raised.value) and "UPDATE" not in str(raised.value) and len(str(raised.value)) < 300
    assert [s.description for s in store.shots(pid)] == [s.description for s in before]


def test_a_read_only_database_says_so_on_write(tmp_path: Path) -> None:
    path = tmp_path / "memory.db"
    writable = Store.at(path)
    pid = populate(writable)
    writable.close()
    store = Store(_read_only_url(path))
    assert store.project(pid).title == "The Keeper"  # reading works
    with pytest.raises(StorageError, match="is read-only: make the file and its folder writable"):
        store.update_project(pid, title="changed")
    store.close()


def test_a_read_only_database_that_needs_an_upgrade_says_read_only(tmp_path: Path) -> None:
    path = tmp_path / "release.db"
    shutil.copyfile(RELEASE_DB, path)
    with pytest.raises(SchemaError, match=r"cannot upgrade the database: the database .* is read-only"):
        Store(_read_only_url(path))
