"""A written scene becomes its shots: the action is seen, then each line is covered (agents/shots/coverage.py)."""

from __future__ import annotations

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.settings import load_settings
from agents.shots.coverage import beats_of
from memory.store import Store


def planned(store: Store, runtime_s: float = 40) -> tuple[Store, str]:
    deps = Deps(store=store, llm=None, settings=load_settings())
    project = store.create_project("A beekeeper's daughter races a thunderstorm to save the hives", target_runtime_s=runtime_s).id
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    return store, project


def test_a_dialogue_scene_shows_its_action_before_its_lines(store: Store) -> None:
    store, project = planned(store)
    scene = store.scenes(project)[0]
    assert scene.dialogue and scene.summary
    beats = beats_of(scene)
    assert beats[0].description == scene.summary and beats[0].line is None
    assert set(beats[0].characters) == set(scene.cast)
    assert [b.line for b in beats[1:]] == [d.line for d in scene.dialogue]
    shots = store.shots(project)
    assert any(s.description == scene.summary for s in shots if s.key.startswith(scene.key + "-"))  # a shot shows it


def test_the_establishing_shot_names_a_place_without_doubling_its_article(store: Store) -> None:
    store, project = planned(store)
    key = store.scenes(project)[0].key
    store.upsert_scene(project, key, location="The hillside farm")
    from agents.grammar.coverage import plan_scene

    opening = plan_scene(key, beats_of(store.scenes(project)[0]), location="The hillside farm")[0]
    assert opening.description == "Establishing shot of the hillside farm: everyone in their place."
