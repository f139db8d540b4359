"""A character's voice is a typed field of story memory (revision 0005) that survives every round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from memory import migrations
from memory.bible import export_bible, import_bible
from memory.errors import InvalidValue
from memory.shotlist_io import export_shotlist, import_shotlist
from memory.store import Store, make_engine
from memory.story import CharacterVoice

DEEP = CharacterVoice(pitch=-3.5, rate=0.92)


def _project(store: Store) -> str:
    project = store.create_project("a keeper", title="The Keeper").id
    store.upsert_character(project, "tom", name="Tom", description="man, 30s", voice=DEEP)
    store.upsert_character(project, "mara", name="Mara", description="woman, 60s")
    return project


def test_the_voice_is_stored_typed_and_checked(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "m.db")
    project = _project(store)
    assert store.character(project, "tom").voice == DEEP
    assert store.character(project, "mara").voice is None
    with pytest.raises(InvalidValue, match="voice"):
        store.upsert_character(project, "tom", voice={"pitch": 40})
    assert store.dump_project(project).characters[0].voice == DEEP


def test_bible_round_trip_keeps_the_voice_and_older_bibles_still_read(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "m.db")
    bible = json.loads(json.dumps(export_bible(store, _project(store))))
    assert bible["characters"][0]["voice"]["pitch"] == -3.5
    copy = import_bible(store, bible).id
    assert store.character(copy, "tom").voice == DEEP
    for character in bible["characters"]:
        del character["voice"]  # a bible written before voices existed
    older = import_bible(store, bible).id
    assert store.character(older, "tom").voice is None


def test_shot_list_round_trip_keeps_the_voice_and_an_import_without_one_keeps_the_cast(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "m.db")
    project = _project(store)
    document = export_shotlist(store, project).model_dump(mode="json", exclude_none=True)
    tom = next(c for c in document["characters"] if c["id"] == "tom")
    assert tom["voice"]["pitch"] == -3.5
    tom.pop("voice")
    import_shotlist(store, project, document)  # no voice in the file: the one in memory stays
    assert store.character(project, "tom").voice == DEEP
    tom["voice"] = {"pitch": 2.0}
    import_shotlist(store, project, document)
    assert store.character(project, "tom").voice == CharacterVoice(pitch=2.0)


def test_a_database_at_0004_gains_the_column_with_no_voice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrations.upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner,"
                          " created_at, updated_at) VALUES ('p', 'P', '', '', 30, '', 'new', NULL, '2026-01-01', '2026-01-01')"))
        conn.execute(text("INSERT INTO character (project_id, key, name, description, wardrobe, voice_notes, reference_images,"
                          " extra) VALUES ('p', 'tom', 'Tom', '', '{}', '', '[]', '{}')"))
    engine.dispose()
    store = Store(url)
    assert migrations.current(store.engine) == migrations.head()
    assert store.character("p", "tom").voice is None
    store.upsert_character("p", "tom", voice=DEEP)
    assert store.character("p", "tom").voice == DEEP
