"""The continuity supervisor's facts are checked before they enter the ledger (and so every prompt)."""

from __future__ import annotations

from pathlib import Path

from agents.crew.continuity_supervisor import ContinuitySupervisor
from agents.crew.role import Deps
from agents.llm.scripted import ScriptedLLM
from agents.settings import load_settings
from memory.store import Store


def test_only_facts_about_the_storys_people_props_and_time_are_kept_and_the_rest_said(tmp_path: Path) -> None:
    facts = [
        {"subject": "kid", "fact": "soaked to the knees", "since_scene": "s1", "until_scene": None},
        {"subject": "raft", "fact": "one plank cracked", "since_scene": "s1", "until_scene": None},
        {"subject": "tom", "fact": "soaked hair and jacket", "since_scene": "s1", "until_scene": None},  # the old example
        {"subject": "<text, at most 30 characters>", "fact": "<text>", "since_scene": "s1", "until_scene": None},
        {"subject": "time", "fact": "an hour later", "since_scene": "s9", "until_scene": None},
    ]
    store = Store.at(tmp_path / "memory.db")
    deps = Deps(store=store, llm=ScriptedLLM({"Ledger": [{"facts": facts}]}), settings=load_settings())
    project = store.create_project("Two kids build a raft", target_runtime_s=10).id
    store.upsert_character(project, "kid", name="Kid")
    store.upsert_scene(project, "s1", heading="EXT. RIVER - DAY", location="river", time_of_day="day", story_day=1,
                       summary="The kid lashes the raft together.", screenplay="EXT. RIVER - DAY\n\nThe kid lashes the raft together.\n",
                       cast=["kid"], dialogue=[])
    ContinuitySupervisor().run(deps, project)
    kept = sorted((f.subject, f.fact) for f in store.facts(project))
    assert kept == [("ledger:kid", "soaked to the knees"), ("ledger:raft", "one plank cracked")]
    chat = " ".join(m.content for m in store.messages(project) if m.role == "crew")
    assert "fact 3 was removed (its subject 'tom' is no one and nothing in the screenplay)" in chat
    assert "fact 4 was removed (it was a placeholder)" in chat
    assert "fact 5 was removed (it starts in 's9'" in chat


def test_a_part_of_the_film_without_a_valid_ledger_answer_is_said_and_the_rest_kept(tmp_path: Path) -> None:
    # Seen through vLLM: the ledger answer cut off twice failed the whole plan (bench/results/story_vllm.jsonl).
    store = Store.at(tmp_path / "memory.db")
    project = store.create_project("Two kids build a raft", target_runtime_s=300).id
    store.upsert_character(project, "kid", name="Kid")
    for n in range(1, 11):  # ten scenes: two requests of the ledger (agents.crew.scene_chunks)
        store.upsert_scene(project, f"s{n}", heading="EXT. RIVER - DAY", location="river", time_of_day="day", story_day=1,
                           summary="The kid lashes the raft together.", screenplay="EXT. RIVER - DAY\n\nThe kid lashes the raft.\n",
                           cast=["kid"], dialogue=[])
    later = [{"subject": "kid", "fact": "soaked to the knees", "since_scene": "s9", "until_scene": None}]
    deps = Deps(store=store, llm=ScriptedLLM({"Ledger": ['{"facts": [', {"facts": later}]}), settings=load_settings())
    ContinuitySupervisor().run(deps, project)
    assert [(f.subject, f.fact) for f in store.facts(project)] == [("ledger:kid", "soaked to the knees")]
    chat = " ".join(m.content for m in store.messages(project) if m.role == "crew")
    assert "the continuity's facts of s1-s8 was removed (no valid answer" in chat
