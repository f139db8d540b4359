"""The continuity ledger is read: each fact reaches the prompts of the shots it concerns, and no others."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from agents.crew.continuity_supervisor import ContinuitySupervisor, Fact, Ledger
from agents.crew.role import Deps
from agents.settings import load_settings
from agents.shots.ledger import LedgerFact, facts_for_shot
from agents.shots.prompt_compiler import prompt_for_shot
from agents.shots.requests import request_for_shot
from generator.animatic import draw_frame, figure_boxes, prop_boxes
from generator.animatic.palette import character_colour
from memory.shotlist import ShotList
from memory.shotlist_io import create_project_from_shotlist, export_shotlist
from memory.store import Store


def shot(shot_id: str, *cast: str, says: tuple[str, str] | None = None, does: str = "") -> dict[str, Any]:
    return {"id": shot_id, "size": "MS", "duration_s": 3.0, "description": does,
            "characters": [{"id": c, "x": 0.3 + 0.4 * k, "facing": "right" if k == 0 else "left"} for k, c in enumerate(cast)],
            "dialogue": [{"character": says[0], "line": says[1]}] if says else []}


PLAN = ShotList.model_validate({
    "characters": [
        {"id": "mara", "name": "Mara", "description": "lighthouse keeper, 60s", "wardrobe": {"default": "grey wool coat, red scarf"}},
        {"id": "tom", "name": "Tom", "description": "her son, 30s"},
    ],
    "scenes": [
        {"id": "s1", "location": "lamp room", "time_of_day": "night", "shots": [
            shot("s1-01", "mara", does="Mara trims the wick of the lamp."),
            shot("s1-02", "tom", says=("tom", "Where is she?")),
        ]},
        {"id": "s2", "location": "harbour", "time_of_day": "dawn", "shots": [
            shot("s2-01", "mara", "tom"),
            shot("s2-02", "mara", does="She hides the letter in her coat."),
            shot("s2-03", "tom", says=("tom", "Mara hurt her hand.")),
        ]},
        {"id": "s3", "location": "lamp room", "time_of_day": "day", "shots": [
            shot("s3-01", "tom", does="Tom looks up at the lamps."),
        ]},
    ],
})
LEDGER = [
    LedgerFact("tom", "soaked hair and jacket", "s2"),
    LedgerFact("lamp", "cracked glass", "s1", "s2"),
    LedgerFact("time", "three days later, frost on the windows", "s3"),
    LedgerFact("Mara", "bandaged left hand", "s2", "s2"),
    LedgerFact("letter", "torn in half", "s2"),
]
FACTS = {f.fact: f for f in LEDGER}
#: Shot id -> the facts its prompt must carry; every other fact must stay out of it.
EXPECTED = {
    "s1-01": {"cracked glass"},  # the lamp is named; Mara's hand is hurt only in s2
    "s1-02": set(),  # Tom is soaked only from s2
    "s2-01": {"soaked hair and jacket", "bandaged left hand"},  # both on screen; no prop named
    "s2-02": {"bandaged left hand", "torn in half"},
    "s2-03": {"soaked hair and jacket"},  # Mara is only mentioned, not shown
    "s3-01": {"soaked hair and jacket", "three days later, frost on the windows"},  # the lamp's fact ended in s2
}


@pytest.mark.parametrize(("shot_id", "wanted"), sorted(EXPECTED.items()))
def test_each_fact_reaches_exactly_the_shots_it_concerns(shot_id: str, wanted: set[str]) -> None:
    scene, found = next((sc, s) for sc, s in PLAN.shots() if s.id == shot_id)
    assert {f.fact for f in facts_for_shot(LEDGER, PLAN, scene, found)} == wanted
    prompt = prompt_for_shot(PLAN, scene, found, ledger=LEDGER)
    for fact in FACTS:
        assert (fact in prompt) == (fact in wanted), (shot_id, fact, prompt)


def test_a_characters_fact_sits_beside_their_sheet_and_a_props_is_named() -> None:
    scene, s = PLAN.shots()[2]
    prompt = prompt_for_shot(PLAN, scene, s, ledger=LEDGER)
    assert "Tom (her son, 30s), soaked hair and jacket on the right" in prompt
    scene, s = PLAN.shots()[0]
    assert "lamp: cracked glass" in prompt_for_shot(PLAN, scene, s, ledger=LEDGER)


@pytest.fixture
def film(tmp_path) -> tuple[Deps, str]:
    store = Store.at(tmp_path / "memory.db")
    project = create_project_from_shotlist(store, PLAN).id
    return Deps(store=store, llm=None, settings=load_settings()), project


def test_the_supervisors_ledger_is_compiled_into_the_stored_prompts_and_props(film: tuple[Deps, str]) -> None:
    deps, project = film
    ledger = Ledger(facts=[Fact(subject=f.subject, fact=f.fact, since_scene=f.since_scene or "s1", until_scene=f.until_scene)
                           for f in LEDGER])
    ContinuitySupervisor().apply(deps, project, ledger)
    prompts = {row.key: row.prompt or "" for row in deps.store.shots(project)}
    for shot_id, wanted in EXPECTED.items():
        for fact in FACTS:
            assert (fact in prompts[shot_id]) == (fact in wanted), (shot_id, fact)
    assert ContinuitySupervisor().recall(deps, project) == ledger  # since and until survive the round trip
    plan = export_shotlist(deps.store, project)
    scene, first = plan.shots()[0]
    assert first.props == ["lamp: cracked glass"] and plan.shots()[1][1].props == []
    request = request_for_shot(plan, scene, first, width=320, height=180, fps=12, seed=1)
    assert request.props == ("lamp: cracked glass",)
    (mark,) = prop_boxes(request)
    x0, y0, x1, y1 = (round(v) for v in mark.box)
    frame = draw_frame(request)
    assert np.abs(np.median(frame[y0 + 2:y1 - 2, x0 + 2:x1 - 2].reshape(-1, 3), axis=0) - mark.colour).max() <= 2


def test_mara_in_a_grey_wool_coat_is_drawn_grey_not_her_hash_colour() -> None:
    scene, s = PLAN.shots()[0]
    request = request_for_shot(PLAN, scene, s, width=320, height=180, fps=12, seed=1, options={})
    assert request.staging[0].colour == "grey wool coat, red scarf"
    day = request.model_copy(update={"time_of_day": "day"})  # full light: the colour as it is
    (box,) = figure_boxes(day)
    x0, y0, x1, y1 = (round(v) for v in box.torso)
    torso = np.median(draw_frame(day)[y0:y1, x0:x1].reshape(-1, 3), axis=0)
    assert np.abs(torso - 128).max() <= 3  # grey
    assert np.abs(torso - character_colour("mara")).max() > 60  # not the magenta her id hashes to
