"""Helpers for the story-memory tests: a fully populated project and a dump of every table.

A module with a unique name (not ``conftest``) so test files can import it: several test folders have
a ``conftest.py``, and ``from conftest import …`` would pick whichever was imported first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from memory.models import ALL_TABLES
from memory.store import Store

DATA = Path(__file__).parent / "data"


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: compare before/after to prove nothing changed."""
    result = {}
    with store.engine.connect() as conn:
        for table in ALL_TABLES:
            name = table.__tablename__
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            result[name] = sorted((tuple(row) for row in rows), key=repr)
    return result


def populate(store: Store, premise: str = "A keeper and a storm", **project: Any) -> str:
    """A project with at least one row of every table, and non-default values everywhere."""
    p = store.create_project(premise, title="The Keeper", target_runtime_s=45.0, style_notes="grey, wet", **project)
    pid = p.id
    store.update_project(pid, logline="She keeps the light.", status="planned", extra={"note": [1, 2]})
    store.upsert_character(pid, "mara", name="Mara", description="60s, grey braid", wardrobe={"default": "grey coat", "s2": "oilskin"},
                           voice_notes="low, slow", reference_images=["refs/mara.png"], extra={"age": 61})
    store.upsert_character(pid, "tom", name="Tom", description="30s")
    store.upsert_location(pid, "lamp-room", name="Lamp room", description="brass and glass")
    store.upsert_scene(pid, "s1", heading="INT. LAMP ROOM - NIGHT", location="lamp room", time_of_day="night", story_day=1,
                       summary="Tom returns.", screenplay="INT. LAMP ROOM - NIGHT\n\nMARA\nYou came back.\n",
                       notes={"director": "slow"}, cast=["mara", "tom"], dialogue=[{"character": "mara", "line": "You came back."}])
    store.upsert_scene(pid, "s2", heading="EXT. GALLERY - NIGHT", time_of_day="night", story_day=1)
    store.upsert_shot(pid, "s1", "s1-01", size="WS", duration_s=4.0, framing="two_shot",
                      characters=[{"id": "mara", "x": 0.3, "facing": "right"}, {"id": "tom", "x": 0.7, "facing": "left"}],
                      camera={"angle_deg": 0.0, "height": "eye", "move": "static", "lens_mm": None}, crosses_axis=False,
                      movement={"character": "tom", "direction": "left_to_right"}, time_of_day=None, wardrobe={"mara": "red scarf"},
                      dialogue=[{"character": "mara", "line": "You came back.", "parenthetical": "quietly"}],
                      description="Mara turns.", lighting="warm lamp", prompt="a lighthouse keeper", negative_prompt="blurry",
                      notes={"critic": ["soft"]}, extra={"lens_note": "50mm"}, status="shot")
    store.upsert_shot(pid, "s1", "s1-02", size="CU", duration_s=2.5, crosses_axis=True)
    store.upsert_shot(pid, "s2", "s2-01", size="EWS")
    take = store.add_take(pid, "s1-01", request_hash="abc123", path="takes/abc123.mp4", seed=7, backend="animatic", model="none",
                          parameters={"steps": 4}, timings={"render_s": 1.5}, frame_count=24, status="done")
    stale = store.add_take(pid, "s1-02", request_hash="def456", seed=8)
    store.set_take_status(stale.id, "stale", reason="shot s1-02 edited")  # type: ignore[arg-type]
    store.add_review(take.id, reviewer="critic", verdict="pass", scores={"sharpness": 0.9}, notes="fine")  # type: ignore[arg-type]
    store.add_decision(pid, "approve_plan", by="creator", note="go")
    store.add_decision(pid, "approve", shot_key="s1-01", take_id=take.id, by="creator")
    store.add_message(pid, "creator", premise)
    store.add_message(pid, "writer", "Here is a logline.", data={"logline": "She keeps the light."})
    store.add_fact(pid, "mara", "her scarf is torn", since_scene="s2", until_scene=None)
    return pid
