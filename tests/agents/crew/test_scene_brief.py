"""A scene's brief: the outline, its act, the scene before it, and the facts about what it shows — the same
size in a four-times-longer film, with an act-one fact in an act-three scene's brief (issue 15)."""

from __future__ import annotations

import json

import pytest

from agents.crew.outline import outline_for
from agents.crew.scene_brief import BRIEF_FACTS, scene_brief
from memory.store import Store


def film(store: Store, scenes: int) -> str:
    project = store.create_project("A keeper and her son in a storm", target_runtime_s=25 * scenes).id
    store.update_project(project, beats=[f"Beat {n}: the storm rises." for n in range(30)])
    store.upsert_character(project, "mara", name="Mara")
    store.upsert_character(project, "tom", name="Tom")
    for n in range(1, scenes + 1):
        cast = ["mara", "tom"] if n % 3 == 0 else ["mara"]
        store.upsert_scene(project, f"s{n}", heading="INT. LAMP ROOM - NIGHT", location="lamp room",
                           summary=f"Scene {n}: Mara keeps the lamp alight.", cast=cast)  # fmt: skip
    store.add_fact(project, "ledger:tom", "scar across the left cheek", since_scene="s3")
    store.add_fact(project, "ledger:mara", "bandaged left hand", since_scene="s2", until_scene="s4")
    for n in range(4 * scenes):  # facts about things no scene shows
        store.add_fact(project, f"ledger:crate{n}", f"stencilled number {n}", since_scene=f"s{1 + n % scenes}")
    return project


def test_an_act_three_brief_carries_the_act_one_fact_and_the_scene_before(store: Store) -> None:
    project = film(store, 24)
    outline = outline_for([f"s{n}" for n in range(1, 25)])
    assert "s3" in outline.acts[0].scenes and "s21" in outline.acts[2].scenes
    brief = scene_brief(store, project, "s21")  # Tom is in it (every third scene)
    assert brief.act == 3 and brief.act_name == "resolution" and len(brief.outline) == 3
    assert brief.previous == "Scene 20: Mara keeps the lamp alight."
    assert "tom: scar across the left cheek" in brief.facts
    assert "mara: bandaged left hand" not in brief.facts  # healed after s4
    assert "mara: bandaged left hand" in scene_brief(store, project, "s3").facts
    assert "tom: scar across the left cheek" not in scene_brief(store, project, "s20").facts  # Tom is not in s20
    assert all("stencilled" not in f for f in brief.facts) and len(brief.facts) <= BRIEF_FACTS
    with pytest.raises(KeyError, match="no scene 's99'"):
        scene_brief(store, project, "s99")


def test_the_brief_does_not_grow_with_the_film(store: Store) -> None:
    short, long = film(store, 24), film(store, 96)
    briefs = [scene_brief(store, short, "s21"), scene_brief(store, long, "s84")]  # the same place in each film
    assert briefs[0].facts == briefs[1].facts and briefs[0].act == briefs[1].act == 3
    sizes = [len(json.dumps(b.as_prompt())) for b in briefs]
    assert abs(sizes[1] - sizes[0]) <= 16, sizes  # only the outline's scene ranges ("s1–s6" vs "s1–s24") differ
