"""Reference images go through ``memory.safe_read``: regular files only, a size cap, nothing written on refusal."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from agents.production import references
from agents.production.references import add_reference_image
from memory.errors import StoryMemoryError
from memory.store import Store


def _picture(path: Path) -> Path:
    Image.new("RGB", (16, 16), "blue").save(path)
    return path


def _nothing_written(store: Store, home: Path, project: str) -> None:
    folder = home / "references" / project
    assert not folder.exists() or not any(folder.iterdir())
    assert store.character(project, "mara").reference_images == []


def test_a_real_picture_is_stored_by_content(store: Store, planned: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    stored = add_reference_image(store, home, planned, "mara", _picture(tmp_path / "mara.png"))
    assert stored.read_bytes() == (tmp_path / "mara.png").read_bytes() and stored.suffix == ".png"
    assert store.character(planned, "mara").reference_images == [str(stored)]


def test_a_symlink_to_dev_zero_is_refused_at_once(store: Store, planned: str, tmp_path: Path) -> None:
    link = tmp_path / "zero.png"
    link.symlink_to("/dev/zero")
    started = time.monotonic()
    with pytest.raises(StoryMemoryError, match="symbolic link"):
        add_reference_image(store, tmp_path / "home", planned, "mara", link)
    assert time.monotonic() - started < 1.0
    _nothing_written(store, tmp_path / "home", planned)


def test_a_symlink_to_a_real_picture_is_refused_too(store: Store, planned: str, tmp_path: Path) -> None:
    link = tmp_path / "link.png"
    link.symlink_to(_picture(tmp_path / "real.png"))
    with pytest.raises(StoryMemoryError, match="symbolic link"):
        add_reference_image(store, tmp_path / "home", planned, "mara", link)
    _nothing_written(store, tmp_path / "home", planned)


def test_a_fifo_is_refused_without_hanging(store: Store, planned: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            add_reference_image(store, tmp_path / "home", planned, "mara", fifo)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # unblock the reader so the thread ends, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO as a reference image blocked")
    assert outcome and isinstance(outcome[0], StoryMemoryError) and "not a regular file" in str(outcome[0])
    _nothing_written(store, tmp_path / "home", planned)


def test_a_picture_over_the_cap_is_refused_before_it_is_read(
    store: Store, planned: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = _picture(tmp_path / "big.png")
    monkeypatch.setattr(references, "MAX_BYTES", picture.stat().st_size - 1)
    with pytest.raises(StoryMemoryError, match="larger than"):
        add_reference_image(store, tmp_path / "home", planned, "mara", picture)
    _nothing_written(store, tmp_path / "home", planned)
