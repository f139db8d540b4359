"""Story bible: export → import → export is equal; versions are checked; imports are all or nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from memory_fixtures import dump, populate
from test_shotlist_io import shot_lists

from memory import bible
from memory.errors import Duplicate, FormatError, InvalidValue, StoryMemoryError
from memory.models import ALL_TABLES, Project, StoryFact
from memory.shotlist_io import create_project_from_shotlist, export_shotlist
from memory.store import Store


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """What export → import → export keeps (documented in memory/bible.py): all but the id and export time."""
    document = json.loads(json.dumps(document))
    document.pop("exported_at")
    document["project"].pop("id")
    return document


def test_export_import_export_is_equal(store: Store) -> None:
    pid = populate(store, owner="alice")
    first = bible.export_bible(store, pid)
    copy = bible.import_bible(store, json.loads(json.dumps(first)))
    assert copy.id != pid and copy.owner is None
    second = bible.export_bible(store, copy.id)
    assert _comparable(second) == _comparable(first)
    assert first["format"] == "dailies.bible" and first["version"] == bible.VERSION
    assert "owner" not in first["project"]
    assert first["project"]["id"] == pid


def test_the_bible_carries_every_part_of_a_project(store: Store) -> None:
    pid = populate(store)
    document = bible.export_bible(store, pid)
    for section in bible.SECTIONS:
        assert document[section], f"{section} is empty"
    assert document["scenes"][0]["screenplay"].startswith("INT. LAMP ROOM")
    assert document["shots"][0] == {**document["shots"][0], "key": "s1-01", "scene": "s1", "negative_prompt": "blurry"}
    assert document["takes"][1]["stale_reason"] == "shot s1-02 edited"
    assert document["reviews"][0]["take"] == 0
    assert document["decisions"][1]["shot"] == "s1-01" and document["decisions"][1]["take"] == 0
    assert document["messages"][1]["data"] == {"logline": "She keeps the light."}
    copy = bible.import_bible(store, document)
    assert store.messages(copy.id)[0].created_at == store.messages(pid)[0].created_at
    take = store.takes(copy.id, "s1-01")[0]
    assert store.reviews(take.id)[0].verdict == "pass"  # type: ignore[arg-type]


def test_every_column_is_in_the_bible_or_deliberately_internal() -> None:
    schema = json.dumps(bible.json_schema())
    for table in ALL_TABLES:
        for column in table.model_fields:
            assert column in bible.INTERNAL or f'"{column}"' in schema, f"{table.__name__}.{column} is not carried"


def test_import_into_a_given_id_and_refuse_a_taken_one(store: Store) -> None:
    pid = populate(store)
    document = bible.export_bible(store, pid)
    assert bible.import_bible(store, document, project_id="keeper-copy").id == "keeper-copy"
    before = dump(store)
    with pytest.raises(Duplicate, match="keeper-copy"):
        bible.import_bible(store, document, project_id="keeper-copy")
    with pytest.raises(InvalidValue):
        bible.import_bible(store, document, project_id="no/slashes")
    assert dump(store) == before


def _broken(change: Any) -> Any:
    def make(document: dict[str, Any]) -> dict[str, Any]:
        document = json.loads(json.dumps(document))
        change(document)
        return document
    return make


BAD_BIBLES: dict[str, tuple[type[StoryMemoryError], str, Any]] = {
    "newer version": (FormatError, f"version {bible.VERSION + 1}, written by a newer Dailies", _broken(lambda d: d.update(version=bible.VERSION + 1))),
    "version zero": (FormatError, "does not exist", _broken(lambda d: d.update(version=0))),
    "version as text": (FormatError, "must be an integer", _broken(lambda d: d.update(version="2"))),
    "not a bible": (FormatError, "not a story bible", _broken(lambda d: d.update(format="dailies.shotlist/1"))),
    "unknown field": (FormatError, "shots.0.colour", _broken(lambda d: d["shots"][0].update(colour="red"))),
    "wrong type": (FormatError, "shots.0.duration_s", _broken(lambda d: d["shots"][0].update(duration_s="long"))),
    "missing project": (FormatError, "project", _broken(lambda d: d.pop("project"))),
    "unknown scene": (FormatError, "names scene 's9'", _broken(lambda d: d["shots"][2].update(scene="s9"))),
    "unknown shot of a take": (FormatError, "names shot 'zz'", _broken(lambda d: d["takes"][0].update(shot="zz"))),
    "take index out of range": (FormatError, "names take 7", _broken(lambda d: d["reviews"][0].update(take=7))),
    "decision on an unknown shot": (FormatError, "decisions[1] names shot", _broken(lambda d: d["decisions"][1].update(shot="zz"))),
    "duplicate shot key": (Duplicate, "shot key 's1-01'", _broken(lambda d: d["shots"][1].update(key="s1-01"))),
    "unsafe key": (InvalidValue, "scene id", _broken(lambda d: d["scenes"][0].update(key="a b"))),
    "not an object": (FormatError, "JSON object", lambda d: [d]),
}


@pytest.mark.parametrize("case", sorted(BAD_BIBLES))
def test_a_bad_bible_raises_its_typed_error_and_changes_nothing(store: Store, case: str) -> None:
    error, message, make = BAD_BIBLES[case]
    document = make(bible.export_bible(store, populate(store)))
    before = dump(store)
    with pytest.raises(error) as raised:
        bible.import_bible(store, document)
    assert message in str(raised.value)
    assert dump(store) == before


def test_a_failure_after_the_first_rows_are_written_leaves_nothing(store: Store) -> None:
    """The last rows (story facts) are refused by the database: the project and everything before it go too."""
    pid = populate(store)
    document = bible.export_bible(store, pid)
    document["facts"][0]["created_at"] = "not a date"
    before = dump(store)
    with pytest.raises(FormatError):
        bible.import_bible(store, document)
    rows = bible._rows(bible.parse_bible(bible.export_bible(store, pid)), project_id="half", owner=None)
    rows.facts[0] = StoryFact(subject=None, fact="x")  # type: ignore[arg-type]  # NOT NULL: fails at the very end
    with pytest.raises(StoryMemoryError):
        store.load_project(rows)
    assert dump(store) == before
    assert [p.id for p in store.projects()] == [pid]


def test_an_empty_project_round_trips(store: Store) -> None:
    pid = store.create_project("nothing yet").id
    document = bible.export_bible(store, pid)
    copy = bible.import_bible(store, document)
    assert isinstance(copy, Project)
    assert _comparable(bible.export_bible(store, copy.id)) == _comparable(document)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=shot_lists())
def test_any_planned_project_round_trips_through_a_bible(store: Store, document: dict[str, Any]) -> None:
    project = create_project_from_shotlist(store, document)
    store.add_message(project.id, "creator", "hello", data={"n": 2**65})
    first = bible.export_bible(store, project.id)
    copy = bible.import_bible(store, json.loads(json.dumps(first)))
    assert _comparable(bible.export_bible(store, copy.id)) == _comparable(first)
    assert export_shotlist(store, copy.id) == export_shotlist(store, project.id)


def _as_version_1(document: dict[str, Any]) -> dict[str, Any]:
    """A version-2 bible written the way version 1 was: the story vocabulary as string conventions."""
    old = json.loads(json.dumps(document))
    old["version"] = 1
    beats = old["project"].pop("beats")
    old["facts"].append({"subject": "story", "fact": "beats: " + " | ".join(beats), "since_scene": None, "until_scene": None,
                         "created_at": old["project"]["created_at"]})
    for location in old["locations"]:
        interior = location.pop("interior")
        if interior is not None:
            location["description"] = f"{'INT.' if interior else 'EXT.'} {location['description']}"
    for scene in old["scenes"]:
        cast, dialogue = scene.pop("cast"), scene.pop("dialogue")
        if cast or dialogue:
            scene["extra"] = {**scene["extra"], "characters": cast, "dialogue": [{"parenthetical": None, **line} for line in dialogue]}
    return old


def test_a_version_1_bible_still_imports_into_the_typed_fields(store: Store) -> None:
    pid = populate(store)
    store.update_project(pid, beats=["Mara waits.", "Tom comes back."])
    store.upsert_location(pid, "cliff", name="cliff", interior=False, description="wet rocks")
    store.upsert_location(pid, "lamp-room", interior=True)
    document = bible.export_bible(store, pid)
    old = _as_version_1(document)
    assert "beats" not in old["project"] and old["locations"][0]["description"] == "INT. brass and glass"
    copy = bible.import_bible(store, old)
    assert store.project(copy.id).beats == ["Mara waits.", "Tom comes back."]
    assert [(loc.interior, loc.description) for loc in store.locations(copy.id)] == [(True, "brass and glass"), (False, "wet rocks")]
    s1 = store.scene(copy.id, "s1")
    assert s1.cast == ["mara", "tom"] and s1.dialogue[0].line == "You came back." and "dialogue" not in s1.extra
    assert [f.subject for f in store.facts(copy.id)] == [f.subject for f in store.facts(pid)], "the beats fact is not kept as a fact"
    assert _comparable(bible.export_bible(store, copy.id)) == _comparable(document)


def test_a_version_2_bible_keeps_dialogue_out_of_extra(store: Store) -> None:
    document = bible.export_bible(store, populate(store))
    assert document["scenes"][0]["cast"] == ["mara", "tom"] and "dialogue" not in document["scenes"][0]["extra"]
    document["scenes"][0]["extra"] = {"dialogue": [{"character": "mara", "line": "hidden"}]}
    with pytest.raises(InvalidValue, match="use the typed fields"):
        bible.import_bible(store, document)
