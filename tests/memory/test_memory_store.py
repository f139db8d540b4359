"""The store: every model round-trips, and every bad input gives a typed error and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from memory_fixtures import dump, populate
from sqlalchemy import text

import memory
from memory.errors import Duplicate, InvalidValue, NotFound, StoryMemoryError
from memory.models import (
    ALL_TABLES,
    Character,
    ChatMessage,
    Decision,
    Location,
    Project,
    Review,
    Scene,
    Shot,
    StoryFact,
    Take,
)
from memory.store import Store
from memory.story import SpokenLine


def _fields(row: Any) -> dict[str, Any]:
    return row.model_dump()


def test_every_model_round_trips_through_a_fresh_store(store: Store) -> None:
    pid = populate(store)
    written = store.dump_project(pid)
    store.close()
    reopened = Store(store.url)
    read = reopened.dump_project(pid)
    pairs: list[tuple[Any, Any]] = [(written.project, read.project)]
    for name in ("characters", "locations", "scenes", "messages", "facts"):
        assert len(getattr(read, name)) == len(getattr(written, name)) > 0, name
        pairs += list(zip(getattr(written, name), getattr(read, name), strict=True))
    pairs += [(a[1], b[1]) for a, b in zip(written.shots, read.shots, strict=True)]
    pairs += [(a.take, b.take) for a, b in zip(written.takes, read.takes, strict=True)]
    pairs += [(a.review, b.review) for a, b in zip(written.reviews, read.reviews, strict=True)]
    pairs += [(a.decision, b.decision) for a, b in zip(written.decisions, read.decisions, strict=True)]
    seen = set()
    for before, after in pairs:
        assert _fields(before) == _fields(after), type(before).__name__
        seen.add(type(before))
    assert seen == set(ALL_TABLES)
    shot = reopened.shot(pid, "s1-01")
    assert shot.movement == {"character": "tom", "direction": "left_to_right"}
    assert shot.characters[1] == {"id": "tom", "x": 0.7, "facing": "left"}
    assert reopened.takes(pid, "s1-02")[0].stale_reason == "shot s1-02 edited"
    assert reopened.messages(pid)[1].data == {"logline": "She keeps the light."}
    assert reopened.project(pid).extra == {"note": [1, 2]}
    reopened.close()


def test_in_place_edits_of_json_columns_are_saved(store: Store) -> None:
    pid = populate(store)
    store.annotate(pid, "s1-01", role="sound", data=["gulls"])
    store.annotate(pid, "s1-01", role="critic", data={"fixed": True})
    assert store.shot(pid, "s1-01").notes == {"critic": {"fixed": True}, "sound": ["gulls"]}


def test_json_values_come_back_exactly(store: Store) -> None:
    pid = populate(store)
    values = {"huge": 2**64, "negative": -(2**70), "edge": 2**64 - 1, "float": 0.1 + 0.2, "text": "ÿ\u0000€", "digits": "12345678901234567890"}
    store.update_shot(pid, "s1-01", extra=values)
    assert store.shot(pid, "s1-01").extra == values
    assert store.shots(pid)[0].extra == values


def test_shots_come_in_film_order(store: Store) -> None:
    pid = populate(store)
    store.upsert_scene(pid, "s1", position=5)
    assert [s.key for s in store.shots(pid)] == ["s2-01", "s1-01", "s1-02"]
    assert [s.key for s in store.shots(pid, "s1")] == ["s1-01", "s1-02"]


def test_bulk_loaded_rows_behave_like_rows_and_are_snapshots(store: Store) -> None:
    pid = populate(store)
    bulk = store.shots(pid)[0]
    single = store.shot(pid, "s1-01")
    assert bulk.model_dump() == single.model_dump() and bulk == single
    bulk.description = "changed locally"
    bulk.characters.append({"id": "ghost"})
    assert bulk.model_dump()["description"] == "changed locally"
    assert store.shot(pid, "s1-01").description == "Mara turns."
    assert len(store.shot(pid, "s1-01").characters) == 2


def test_stale_reason_is_cleared_when_the_status_moves_on(store: Store) -> None:
    pid = populate(store)
    take = store.takes(pid, "s1-02")[0]
    assert store.set_take_status(take.id, "done").stale_reason is None  # type: ignore[arg-type]


BAD_CALLS: dict[str, tuple[type[StoryMemoryError], str, Callable[[Store, str], Any]]] = {
    "unknown project": (NotFound, "no project 'nope'", lambda s, p: s.upsert_scene("nope", "s9")),
    "project id of wrong type": (InvalidValue, "must be text", lambda s, p: s.project(3)),  # type: ignore[arg-type]
    "unknown scene": (NotFound, "no scene 's9'", lambda s, p: s.upsert_shot(p, "s9", "s9-01")),
    "unknown shot": (NotFound, "no shot 'zz'", lambda s, p: s.update_shot(p, "zz", size="CU")),
    "unknown take": (NotFound, "no take with id 999", lambda s, p: s.add_review(999, reviewer="critic", verdict="x")),
    "unknown take in decision": (NotFound, "999", lambda s, p: s.add_decision(p, "approve", take_id=999)),
    "unknown character": (NotFound, "no character 'ghost'", lambda s, p: s.character(p, "ghost")),
    "duplicate project id": (Duplicate, "already exists", lambda s, p: s.create_project("x", project_id=p)),
    "unsafe key": (InvalidValue, "not valid", lambda s, p: s.upsert_scene(p, "../etc")),
    "unknown field": (InvalidValue, "no field(s) colour", lambda s, p: s.update_shot(p, "s1-01", colour="red")),
    "text where a number belongs": (InvalidValue, "'duration_s' must be a number", lambda s, p: s.update_shot(p, "s1-01", duration_s="4")),
    "bool where a number belongs": (InvalidValue, "'duration_s'", lambda s, p: s.update_shot(p, "s1-01", duration_s=True)),
    "number where text belongs": (InvalidValue, "'size' must be text", lambda s, p: s.update_shot(p, "s1-01", size=5)),
    "list where an object belongs": (InvalidValue, "'camera' must be an object", lambda s, p: s.update_shot(p, "s1-01", camera=[1])),
    "wardrobe value not text": (InvalidValue, "'wardrobe'", lambda s, p: s.upsert_character(p, "mara", wardrobe={"s1": 3})),
    "not JSON-serialisable": (InvalidValue, "cannot store", lambda s, p: s.update_shot(p, "s1-01", notes={"x": object()})),
    "unknown take status": (InvalidValue, "status 'lost'", lambda s, p: s.set_take_status(1, "lost")),
    "unknown decision kind": (InvalidValue, "kind 'maybe'", lambda s, p: s.add_decision(p, "maybe")),
    "unknown project status": (InvalidValue, "status 'done'", lambda s, p: s.update_project(p, status="done")),
    "negative runtime": (InvalidValue, "target_runtime_s", lambda s, p: s.update_project(p, target_runtime_s=-1)),
    "empty premise": (InvalidValue, "premise is empty", lambda s, p: s.create_project("  ")),
    "empty chat role": (InvalidValue, "role", lambda s, p: s.add_message(p, "", "hi")),
    "chat data not an object": (InvalidValue, "'data'", lambda s, p: s.add_message(p, "crew", "hi", data=[1])),  # type: ignore[arg-type]
    "empty story fact": (InvalidValue, "subject", lambda s, p: s.add_fact(p, "", "x")),
    "NaN in a JSON column": (InvalidValue, "cannot store", lambda s, p: s.update_shot(p, "s1-01", camera={"angle_deg": float("nan")})),
    "dialogue kept in extra": (InvalidValue, "use the typed fields", lambda s, p: s.upsert_scene(p, "s1", extra={"dialogue": []})),
    "cast kept in extra": (InvalidValue, "'extra' holds characters", lambda s, p: s.upsert_scene(p, "s1", extra={"characters": ["mara"]})),
    "dialogue line without its text": (InvalidValue, "'dialogue' must be present (at dialogue.0.line)",
                                       lambda s, p: s.upsert_scene(p, "s1", dialogue=[{"character": "mara"}])),
    "dialogue line with an unknown field": (InvalidValue, "dialogue.0.mood",
                                            lambda s, p: s.upsert_scene(p, "s1", dialogue=[{"character": "mara", "line": "x", "mood": "sad"}])),
    "cast not a list of keys": (InvalidValue, "'cast' must be text", lambda s, p: s.upsert_scene(p, "s1", cast=[1])),
    "interior as text": (InvalidValue, "'interior' must be true or false", lambda s, p: s.upsert_location(p, "lamp-room", interior="INT.")),
    "beats as one string": (InvalidValue, "'beats' must be a list", lambda s, p: s.update_project(p, beats="a | b")),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_input_raises_its_typed_error_and_changes_nothing(store: Store, case: str) -> None:
    error, message, call = BAD_CALLS[case]
    pid = populate(store)
    before = dump(store)
    with pytest.raises(error) as raised:
        call(store, pid)
    assert message in str(raised.value)
    assert dump(store) == before


def test_a_failing_write_rolls_back_its_whole_transaction(store: Store) -> None:
    pid = populate(store)
    before = dump(store)
    with pytest.raises(NotFound), store.session() as s:
        s.add(ChatMessage(project_id=pid, role="crew", content="half"))
        s.flush()
        raise NotFound("something after the first write failed")
    assert dump(store) == before


def test_table_models_cover_every_concept() -> None:
    assert set(ALL_TABLES) == {Project, Character, Location, Scene, Shot, Take, Review, Decision, ChatMessage, StoryFact}


def test_the_story_vocabulary_is_typed_fields(store: Store) -> None:
    pid = populate(store)
    store.update_project(pid, beats=["Mara waits.", "Tom comes back."])
    store.upsert_location(pid, "cliff", name="cliff", interior=False, description="wet rocks")
    store.upsert_scene(pid, "s2", cast=["tom"], dialogue=[{"character": "tom", "line": "Hello.", "dual": True}])
    assert store.project(pid).beats == ["Mara waits.", "Tom comes back."]
    assert [(loc.key, loc.interior) for loc in store.locations(pid)] == [("lamp-room", None), ("cliff", False)]
    s2 = store.scene(pid, "s2")
    assert s2.cast == ["tom"] and s2.dialogue == [SpokenLine(character="tom", line="Hello.", dual=True)] and s2.extra == {}
    with store.engine.connect() as conn:  # stored as a person would write it: defaults left out
        assert conn.execute(text("SELECT dialogue FROM scene WHERE key = 's2'")).scalar_one() == '[{"character": "tom", "line": "Hello.", "dual": true}]'


def test_every_store_module_is_small() -> None:
    for module in sorted((Path(memory.__file__).parent / "store").glob("*.py")):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 400, f"{module.name} is over 400 lines"
