"""Files in and out: kind detection, safe reading, atomic writes that refuse to overwrite."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from memory_fixtures import DATA, dump, populate

from memory import exchange
from memory.errors import Duplicate, FormatError
from memory.shotlist_io import export_shotlist
from memory.store import Store


def test_detect_kind(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text(json.dumps({"format": "dailies.bible", "version": 1}))
    (tmp_path / "plan.json").write_text(json.dumps({"format": "dailies.shotlist/1"}))
    (tmp_path / "other.json").write_text(json.dumps({"format": "something"}))
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert exchange.detect_kind(DATA / "the_keeper.fountain") == "fountain"
    assert exchange.detect_kind(tmp_path / "b.json") == "bible"
    assert exchange.detect_kind(tmp_path / "plan.json") == "shotlist"
    assert exchange.detect_kind(tmp_path / "any.shots.json") == "shotlist"
    with pytest.raises(FormatError, match="neither a story bible"):
        exchange.detect_kind(tmp_path / "other.json")
    with pytest.raises(FormatError, match="unknown kind of file"):
        exchange.detect_kind(tmp_path / "x.pdf")


def test_every_kind_imports_as_a_new_project(store: Store, tmp_path: Path) -> None:
    pid = populate(store)
    exchange.export_bible_file(store, pid, tmp_path / "keeper.json")
    exchange.export_shots_file(store, pid, tmp_path / "keeper.shots.json")
    kinds = {}
    for path in (DATA / "night_ferry.fountain", tmp_path / "keeper.json", tmp_path / "keeper.shots.json"):
        kind, project = exchange.import_path(store, path)
        kinds[kind] = project.id
    assert set(kinds) == {"fountain", "bible", "shotlist"}
    assert export_shotlist(store, kinds["shotlist"]) == export_shotlist(store, pid)
    assert len(store.takes(kinds["bible"])) == 2


BROKEN_FILES = {
    "broken.json": (b'{"format": "dailies.bible", "version": 1,', "line 1"),
    "nan.shots.json": (b'{"format": "dailies.shotlist/1", "target_runtime_s": NaN}', "NaN"),
    "latin1.fountain": ("INT. CAFÉ - DAY\n\nBOB\nSalut.\n".encode("latin-1"), "not UTF-8"),
    "binary.fountain": (bytes(range(256)), "not UTF-8"),
    "list.shots.json": (b"[1, 2]", "JSON object"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_a_broken_file_raises_format_error_and_changes_nothing(store: Store, tmp_path: Path, name: str) -> None:
    content, message = BROKEN_FILES[name]
    (tmp_path / name).write_bytes(content)
    populate(store)
    before = dump(store)
    with pytest.raises(FormatError, match=message):
        exchange.import_path(store, tmp_path / name)
    assert dump(store) == before


def test_missing_and_folder_paths(store: Store, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        exchange.import_path(store, tmp_path / "nope.fountain")
    (tmp_path / "dir.fountain").mkdir()
    with pytest.raises(IsADirectoryError):
        exchange.import_path(store, tmp_path / "dir.fountain")


def test_write_refuses_to_overwrite_unless_forced_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.shots.json"
    assert exchange.write_text(target, "one\n") == target.resolve()
    with pytest.raises(Duplicate, match="--force"):
        exchange.write_text(target, "two\n")
    assert target.read_text() == "one\n"
    exchange.write_text(target, "two\n", force=True)
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.shots.json"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    with pytest.raises(Duplicate, match="folder"):
        exchange.write_text(tmp_path, "x")


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bible.json"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        exchange.write_text(target, "new", force=True)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["bible.json"]
