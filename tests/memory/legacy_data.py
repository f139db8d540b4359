"""Rows written the way the release before schema 0004 wrote them (string conventions), for upgrade tests.

Why plain SQL at revision 0003: the models now have typed fields, so the old shapes can only be made
below the store, exactly as an old database holds them. Used on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine

from memory import migrations
from memory.store import Store
from memory.story import SpokenLine

OLD_LINES = [{"character": "mara", "line": "You came back.", "parenthetical": "quietly"},
             {"character": "tom", "line": "The lamp was out.", "parenthetical": None, "extension": "O.S.", "dual": True}]


def write_0003_project(engine: Engine) -> None:
    """Bring ``engine`` to 0003 and write one project in the old conventions."""
    migrations.upgrade(engine, "0003")
    now = datetime(2026, 1, 2, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner, created_at, updated_at, extra)"
            " VALUES ('old-1', 'Old', 'an old film', '', 30.0, '', 'planned', NULL, :now, :now, '{}')"), {"now": now})
        for key, description in (("lamp", "INT. brass and glass"), ("cliff", "EXT. wet rocks"), ("galley", "INT. "), ("pier", "a pier")):
            conn.execute(text("INSERT INTO location (project_id, key, name, description) VALUES ('old-1', :k, :k, :d)"),
                         {"k": key, "d": description})
        for subject, fact in (("story", "beats: First beat. | Second beat."), ("mara", "scar on chin"),
                              ("story", "beats: One. | Two. | Three.")):
            conn.execute(text("INSERT INTO storyfact (project_id, subject, fact, created_at) VALUES ('old-1', :s, :f, :now)"),
                         {"s": subject, "f": fact, "now": now})
        extra = {"characters": ["mara", "tom"], "dialogue": OLD_LINES, "sections": ["Act One"]}
        for position, (key, scene_extra) in enumerate((("s1", extra), ("s2", {}))):
            conn.execute(text(
                "INSERT INTO scene (project_id, key, position, heading, location, summary, screenplay, notes, extra)"
                " VALUES ('old-1', :k, :p, 'INT. LAMP - NIGHT', 'lamp', '', '', '{}', :e)"), {"k": key, "p": position, "e": json.dumps(scene_extra)})


def assert_upgraded(store: Store) -> None:
    """What ``legacy_data.write_0003_project`` must look like after 0004 (shared with the PostgreSQL test)."""
    assert store.project("old-1").beats == ["One.", "Two.", "Three."], "the newest beats fact wins"
    assert [f.fact for f in store.facts("old-1")] == ["scar on chin"]
    assert [(loc.key, loc.interior, loc.description) for loc in store.locations("old-1")] == [
        ("lamp", True, "brass and glass"), ("cliff", False, "wet rocks"), ("galley", True, ""), ("pier", None, "a pier")]
    s1, s2 = store.scenes("old-1")
    assert s1.cast == ["mara", "tom"] and s1.extra == {"sections": ["Act One"]}
    assert s1.dialogue == [SpokenLine(character="mara", line="You came back.", parenthetical="quietly"),
                           SpokenLine(character="tom", line="The lamp was out.", extension="O.S.", dual=True)]
    assert s2.cast == [] and s2.dialogue == [] and s2.extra == {}
