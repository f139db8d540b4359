"""Schema 0004 moves the story's string conventions into typed fields, and a previous release's file upgrades.

``data/release_0003.db`` was made by the release before the change (``data/make_release_0003_db.py``, run
from that commit): INT./EXT. prefixes on locations, the beats as a story fact, a scene's cast and dialogue
in ``Scene.extra``. Opened now, it must read back equal to the same project written with the typed fields.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from alembic import command
from legacy_data import assert_upgraded, write_0003_project
from sqlalchemy import text

from memory import bible, migrations
from memory.store import Store, make_engine, sqlite_url
from memory.story import SpokenLine

RELEASE_DB = Path(__file__).parent / "data" / "release_0003.db"


def _typed_keeper(store: Store) -> str:
    """The release file's project, written with today's API: what the upgrade must produce."""
    p = store.create_project("A keeper and her son, one storm.", title="The Keeper", project_id="the-keeper", target_runtime_s=45.0)
    store.update_project(p.id, logline="A keeper decides.", status="shooting", extra={"editor": {"title_card": "THE KEEPER"}},
                         beats=["Mara tends the lamp.", "Tom arrives soaked.", "They work the lamp together."])
    store.upsert_character(p.id, "mara", name="Mara", description="woman, 60s", wardrobe={"default": "grey coat"}, voice_notes="low")
    store.upsert_character(p.id, "tom", name="Tom", description="man, 30s", wardrobe={"default": "oilskin"})
    store.upsert_location(p.id, "lamp-room", name="lamp room", interior=True, description="glass room around a brass lamp")
    store.upsert_location(p.id, "cliff", name="cliff", interior=False, description="wet rocks, spray")
    store.upsert_location(p.id, "galley", name="galley", interior=True, description="")
    store.add_fact(p.id, "mara", "has a scar on her chin")
    store.upsert_scene(p.id, "s1", heading="INT. LAMP ROOM - NIGHT", location="lamp room", time_of_day="night", story_day=1,
                       summary="Mara tends the lamp.", screenplay="INT. LAMP ROOM - NIGHT\n\nMara tends the lamp.\n",
                       cast=["mara", "tom"], dialogue=[SpokenLine(character="mara", line="You came back.", parenthetical="quietly"),
                                                       SpokenLine(character="tom", line="The lamp was out.")],
                       extra={"sections": ["Act One"], "scene_number": "1"})
    store.upsert_scene(p.id, "s2", heading="EXT. CLIFF - NIGHT", location="cliff", time_of_day="night", story_day=1,
                       summary="Tom on the cliff.", cast=["tom"])
    store.upsert_scene(p.id, "s3", heading="INT. GALLEY - DAY", location="galley", time_of_day="day", summary="Morning, no one speaks.")
    store.upsert_shot(p.id, "s1", "s1-01", size="WS", duration_s=3.0, description="The lamp room.", extra={"lens_mm": 24})
    store.upsert_shot(p.id, "s1", "s1-02", size="CU", duration_s=2.5, characters=[{"id": "mara", "x": 0.3}],
                      dialogue=[{"character": "mara", "line": "You came back."}])
    store.upsert_shot(p.id, "s2", "s2-01", size="LS", duration_s=4.0, characters=[{"id": "tom", "x": 0.5}])
    t1 = store.add_take(p.id, "s1-01", request_hash="a" * 16, path="takes/s1-01/1.mp4", seed=2**62, backend="animatic", frame_count=24)
    t2 = store.add_take(p.id, "s1-02", request_hash="b" * 16, path="takes/s1-02/1.mp4", seed=7, backend="animatic", frame_count=20)
    assert t1.id is not None and t2.id is not None
    store.set_take_status(t2.id, "stale", reason="shot s1-02 edited: size MS→CU")
    store.add_review(t1.id, reviewer="critic", verdict="approve", scores={"sharpness": 0.8}, notes="fine")
    store.add_decision(p.id, "approve", shot_key="s1-01", take_id=t1.id, note="keep")
    store.add_message(p.id, "user", "make it colder", data={"intent": "note"})
    return p.id


def _story(document: dict[str, Any]) -> dict[str, Any]:
    """A bible without what differs between two writes of one story: clocks and the export time."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("created_at", "updated_at", "exported_at")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(document)


def test_a_database_made_by_the_previous_release_upgrades_and_reads_back_equal(tmp_path: Path) -> None:
    old = tmp_path / "release.db"
    shutil.copyfile(RELEASE_DB, old)
    engine = make_engine(sqlite_url(old))
    assert migrations.current(engine) == "0003"
    engine.dispose()

    store = Store.at(old)
    assert migrations.current(store.engine) == migrations.head()
    assert sorted(p.id for p in store.projects(all_owners=True)) == ["bare", "the-keeper"]
    assert store.project("the-keeper").beats == ["Mara tends the lamp.", "Tom arrives soaked.", "They work the lamp together."]
    assert [(loc.key, loc.interior, loc.description) for loc in store.locations("the-keeper")] == [
        ("lamp-room", True, "glass room around a brass lamp"), ("cliff", False, "wet rocks, spray"), ("galley", True, "")]
    s1 = store.scene("the-keeper", "s1")
    assert s1.cast == ["mara", "tom"] and s1.extra == {"sections": ["Act One"], "scene_number": "1"}
    assert s1.dialogue[0] == SpokenLine(character="mara", line="You came back.", parenthetical="quietly")
    assert [f.subject for f in store.facts("the-keeper")] == ["mara"], "the beats fact moved to Project.beats"
    assert store.project("bare").beats == [] and store.scenes("bare") == []

    fresh = Store.at(tmp_path / "fresh.db")
    expected = _story(bible.export_bible(fresh, _typed_keeper(fresh)))
    assert _story(bible.export_bible(store, "the-keeper")) == expected
    assert store.takes("the-keeper")[0].seed == 2**62
    store.close()
    fresh.close()


def test_0004_moves_the_conventions_and_its_downgrade_puts_them_back(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.db")
    engine = make_engine(url)
    write_0003_project(engine)
    engine.dispose()
    store = Store(url)
    assert_upgraded(store)
    command.downgrade(migrations.config(store.engine), "0003")
    with store.engine.connect() as conn:
        descriptions: dict[str, str] = dict(conn.execute(text("SELECT key, description FROM location")).all())
        facts = [row[0] for row in conn.execute(text("SELECT fact FROM storyfact WHERE subject = 'story'"))]
        extra = conn.execute(text("SELECT extra FROM scene WHERE key = 's1'")).scalar_one()
    assert descriptions == {"lamp": "INT. brass and glass", "cliff": "EXT. wet rocks", "galley": "INT. ", "pier": "a pier"}
    assert facts == ["beats: One. | Two. | Three."]
    assert '"characters": ["mara", "tom"]' in extra and '"You came back."' in extra
    migrations.upgrade(store.engine)
    assert_upgraded(store)
    store.close()

