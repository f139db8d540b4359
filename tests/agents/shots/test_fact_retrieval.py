"""A fact set in act one reaches the shots of act three that show it, through a ledger far longer than any
scene reads (issue 15): each scene's prompts read only the facts its own words find (full-text search)."""

from __future__ import annotations

from typing import Any

import pytest

from agents.crew.outline import outline_for
from agents.shots import ledger as ledger_module
from agents.shots.ledger import LEDGER_SUBJECT_PREFIX, SCENE_FACTS
from agents.shots.prompt_compiler import compile_plan_prompts
from memory.shotlist import ShotList
from memory.shotlist_io import create_project_from_shotlist
from memory.store import Store

SCENES = 24  # a ten-minute film's scene count (agents.crew.shape)
NOISE = 150  # ledger facts about things no shot shows


def staged(*cast: str) -> list[dict[str, Any]]:
    return [
        {"id": c, "x": 0.3 + 0.4 * k, "facing": "right" if k == 0 else "left"} for k, c in enumerate(cast)
    ]


def ten_minute_plan() -> ShotList:
    """24 scenes of five shots; Tom is in every third scene, the bottle is named once in act one and once in act three."""
    scenes = []
    for n in range(1, SCENES + 1):
        cast = ("mara", "tom") if n % 3 == 0 else ("mara",)
        shots = [
            {
                "id": f"s{n}-0{k}",
                "size": "MS",
                "duration_s": 5.0,
                "characters": staged(*cast[: 1 + k % 2]),
                "description": f"Beat {k} of scene {n}.",
            }
            for k in range(1, 6)
        ]
        if n in (2, 22):
            shots[0]["description"] = "Mara turns the bottle in her hands."
        scenes.append(
            {
                "id": f"s{n}",
                "location": "lamp room" if n % 2 else "harbour",
                "time_of_day": "night",
                "shots": shots,
            }
        )
    return ShotList.model_validate(
        {
            "characters": [
                {"id": "mara", "name": "Mara", "description": "lighthouse keeper"},
                {"id": "tom", "name": "Tom", "description": "her son"},
            ],
            "scenes": scenes,
        }
    )


def test_an_act_one_fact_reaches_the_act_three_shots_that_show_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = create_project_from_shotlist(store, ten_minute_plan()).id
    store.add_fact(project, LEDGER_SUBJECT_PREFIX + "tom", "scar across the left cheek", since_scene="s3")
    store.add_fact(project, LEDGER_SUBJECT_PREFIX + "bottle", "cork sealed with red wax", since_scene="s2")
    for n in range(NOISE):
        store.add_fact(
            project,
            f"{LEDGER_SUBJECT_PREFIX}crate{n}",
            f"stencilled number {n}",
            since_scene=f"s{1 + n % SCENES}",
        )
    outline = outline_for([f"s{n}" for n in range(1, SCENES + 1)])
    act_one, act_three = set(outline.acts[0].scenes), set(outline.acts[-1].scenes)
    assert {"s2", "s3"} <= act_one and "s22" in act_three

    read: list[int] = []  # how many facts each scene's compile read
    search = ledger_module.search_facts

    def counting(*args: Any, **kwargs: Any) -> Any:
        found = search(*args, **kwargs)
        read.append(len(found))
        return found

    monkeypatch.setattr(ledger_module, "search_facts", counting)
    compile_plan_prompts(store, project)
    assert (
        len(read) == SCENES and max(read) <= SCENE_FACTS
    )  # one bounded search per scene, never the whole ledger

    scene_of = store.shot_scene_keys(project)
    shots = {s.key: s for s in store.shots(project)}
    act_three_tom = [
        k
        for k, s in shots.items()
        if scene_of[k] in act_three and any(c["id"] == "tom" for c in s.characters)
    ]
    assert act_three_tom
    for key, shot in shots.items():
        shows_tom = any(c["id"] == "tom" for c in shot.characters)
        assert ("scar across the left cheek" in (shot.prompt or "")) == (
            shows_tom and int(scene_of[key][1:]) >= 3
        ), key
    assert "cork sealed with red wax" in (
        shots["s22-01"].prompt or ""
    )  # a prop from act one, named in act three
    assert "cork sealed with red wax" not in (shots["s22-02"].prompt or "")  # not named there: not shown
    assert not any("stencilled" in (s.prompt or "") for s in shots.values())


#: What a cinematographer writes about a harbour at night: two sentences a shot and a line, each shot its own words.
TALK = (
    "gulls wheel above the harbour wall as waves break white",
    "rain streaks the salt glass of the lantern gallery",
    "she counts the coils of rope stacked by the door",
    "a fishing boat rocks against its mooring in grey light",
    "the radio crackles with a storm warning from the coast guard",
    "her boots leave wet prints on the spiral stairs",
    "a kettle whistles on the iron stove beside the chart table",
    "moths batter the window frame under the beam",
    "thunder rolls far out past the northern reef",
    "she wipes oil from the brass gears with a cloth",
    "the logbook lies open at a page of careful handwriting",
    "fog swallows the pier lamps one after another",
)


def test_a_fact_the_supervisor_writes_in_act_one_reaches_the_last_shot_of_a_talkative_act_three_scene(
    store: Store,
) -> None:
    """The real path: the continuity supervisor (scripted LLM) writes the facts and compiles the prompts.

    In act three the bottle is named only in the last line of a scene whose shots say a lot first (well
    over the 64 words a search sent before: its last shots' words were dropped, and the fact with them), and
    the ledger holds facts about crates whose text shares that scene's words (they must not crowd it out)."""
    from agents.crew.continuity_supervisor import ContinuitySupervisor
    from agents.crew.role import Deps
    from agents.crew.scene_chunks import chunks
    from agents.llm.scripted import ScriptedLLM
    from agents.settings import load_settings

    plan = ten_minute_plan().model_dump(mode="json")
    talkative = plan["scenes"][21]  # s22, act three
    for k, shot in enumerate(talkative["shots"]):
        shot["description"] = f"Mara: {TALK[(2 * k) % 12]}; {TALK[(2 * k + 5) % 12]}."
        shot["dialogue"] = [{"character": "mara", "line": f"{TALK[(2 * k + 1) % 12].capitalize()}."}]
    talkative["shots"][4]["dialogue"] = [{"character": "mara", "line": "Where did this bottle come from?"}]
    project = create_project_from_shotlist(store, ShotList.model_validate(plan)).id
    words = sorted({w for line in TALK for w in line.split() if len(w) > 3})
    for n in range(SCENES + 6):  # more crates than a scene reads, each sharing three of s22's words
        store.add_fact(
            project,
            f"{LEDGER_SUBJECT_PREFIX}crate{n}",
            " ".join(words[(3 * n) % len(words) :][:3]),
            since_scene="s1",
        )
    facts = [
        {"subject": "bottle", "fact": "cork sealed with red wax", "since_scene": "s2", "until_scene": None}
    ]
    later = [{"facts": []} for _ in chunks(store.scenes(project))[1:]]  # the supervisor asks a few scenes at a time
    deps = Deps(store=store, llm=ScriptedLLM({"Ledger": [{"facts": facts}, *later]}), settings=load_settings())
    ContinuitySupervisor().run(deps, project)

    assert ("ledger:bottle", "cork sealed with red wax") in {
        (f.subject, f.fact) for f in store.facts(project)
    }
    shots = {s.key: s for s in store.shots(project)}
    assert "cork sealed with red wax" in (shots["s22-05"].prompt or "")  # named in the scene's last line
    assert "cork sealed with red wax" in (shots["s2-01"].prompt or "")  # and where it was set, in act one
    assert not any("cork sealed" in (shots[f"s22-0{k}"].prompt or "") for k in range(1, 5))  # not named there
