"""Make a database with the release before the typed story vocabulary (run from /tmp/prev)."""
import sys
from pathlib import Path

from memory.store import Store

out = Path(sys.argv[1])
out.unlink(missing_ok=True)
store = Store.at(out)
p = store.create_project("A keeper and her son, one storm.", title="The Keeper", project_id="the-keeper", target_runtime_s=45.0)
store.update_project(p.id, logline="A keeper decides.", status="shooting", extra={"editor": {"title_card": "THE KEEPER"}})
store.upsert_character(p.id, "mara", name="Mara", description="woman, 60s", wardrobe={"default": "grey coat"}, voice_notes="low")
store.upsert_character(p.id, "tom", name="Tom", description="man, 30s", wardrobe={"default": "oilskin"})
store.upsert_location(p.id, "lamp-room", name="lamp room", description="INT. glass room around a brass lamp")
store.upsert_location(p.id, "cliff", name="cliff", description="EXT. wet rocks, spray")
store.upsert_location(p.id, "galley", name="galley", description="INT. ")
store.add_fact(p.id, "mara", "has a scar on her chin")
store.add_fact(p.id, "story", "beats: Mara tends the lamp. | Tom arrives soaked. | They work the lamp together.")
store.upsert_scene(p.id, "s1", heading="INT. LAMP ROOM - NIGHT", location="lamp room", time_of_day="night", story_day=1,
                   summary="Mara tends the lamp.", screenplay="INT. LAMP ROOM - NIGHT\n\nMara tends the lamp.\n",
                   extra={"characters": ["mara", "tom"], "dialogue": [
                       {"character": "mara", "line": "You came back.", "parenthetical": "quietly"},
                       {"character": "tom", "line": "The lamp was out."}],
                       "sections": ["Act One"], "scene_number": "1"})
store.upsert_scene(p.id, "s2", heading="EXT. CLIFF - NIGHT", location="cliff", time_of_day="night", story_day=1,
                   summary="Tom on the cliff.", extra={"characters": ["tom"], "dialogue": []})
store.upsert_scene(p.id, "s3", heading="INT. GALLEY - DAY", location="galley", time_of_day="day",
                   summary="Morning, no one speaks.")
store.upsert_shot(p.id, "s1", "s1-01", size="WS", duration_s=3.0, description="The lamp room.", extra={"lens_mm": 24})
store.upsert_shot(p.id, "s1", "s1-02", size="CU", duration_s=2.5, characters=[{"id": "mara", "x": 0.3}],
                  dialogue=[{"character": "mara", "line": "You came back."}])
store.upsert_shot(p.id, "s2", "s2-01", size="LS", duration_s=4.0, characters=[{"id": "tom", "x": 0.5}])
t1 = store.add_take(p.id, "s1-01", request_hash="a" * 16, path="takes/s1-01/1.mp4", seed=2**62, backend="animatic", frame_count=24)
t2 = store.add_take(p.id, "s1-02", request_hash="b" * 16, path="takes/s1-02/1.mp4", seed=7, backend="animatic", frame_count=20)
store.set_take_status(t2.id, "stale", reason="shot s1-02 edited: size MS→CU")
store.add_review(t1.id, reviewer="critic", verdict="approve", scores={"sharpness": 0.8}, notes="fine")
store.add_decision(p.id, "approve", shot_key="s1-01", take_id=t1.id, note="keep")
store.add_message(p.id, "user", "make it colder", data={"intent": "note"})
q = store.create_project("Bare project with nothing else.", project_id="bare")
store.close()
