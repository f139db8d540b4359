"""A ten-minute plan's prompts stay under a fixed token budget at every stage (issue 15).

The film is built in memory at the largest sizes the crew's schemas allow for 600 s (``agents.crew.shape``:
24 scenes, 30 beats, 8 characters; every text field at its ``max_length``), with a long continuity ledger.
Then every prompt the planning roles send is rendered the way the role sends it (the screenwriter's in
its chunks of ``SCENES_PER_REQUEST`` scenes; the director, cinematographer and continuity supervisor
in chunks of ``agents.crew.scene_chunks.PER_REQUEST``), and every compiled shot prompt is read back.

Tokens are counted as ``ceil(characters / 3)``: English BPE averages about four characters a token, so
the count overestimates and a prompt under the budget here is under it for the bundled model too.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from agents.crew.registry import ROLES
from agents.crew.role import Deps
from agents.crew.shape import shape_for
from agents.settings import load_settings
from agents.shots.ledger import LEDGER_SUBJECT_PREFIX
from agents.shots.prompt_compiler import compile_plan_prompts
from memory.shotlist import ShotList
from memory.shotlist_io import create_project_from_shotlist
from memory.store import Store

#: The most tokens any planning role may send in one request (prompt only; the answer has its own cap).
ROLE_BUDGET = 3000
#: The most tokens of one shot's generation prompt (a video model's text encoder reads ~512: Wan's T5).
SHOT_BUDGET = 400
def tokens(text: str) -> int:
    return math.ceil(len(text) / 3)


def text(n: int, seed: str) -> str:
    """``n`` characters of plain words (starting with ``seed``)."""
    words = (
        seed + " the keeper climbs the stair while the storm beats the glass and the lamp turns slowly "
    ) * (n // 40 + 2)
    return words[:n].strip()


def ten_minute_film(store: Store) -> str:
    shape = shape_for(600)
    cast = [f"c{k}" for k in range(shape.max_characters)]
    scenes = []
    for n in range(1, shape.scenes + 1):
        who = [cast[n % len(cast)], cast[(n + 1) % len(cast)]]
        scenes.append(
            {
                "id": f"s{n}",
                "location": f"place {n % shape.max_locations}",
                "time_of_day": "night",
                "shots": [
                    {
                        "id": f"s{n}-0{k}",
                        "size": "MS",
                        "duration_s": 5.0,
                        "description": text(120, f"beat {k}"),
                        "characters": [
                            {"id": c, "x": 0.3 + 0.4 * i, "facing": "right" if i == 0 else "left"}
                            for i, c in enumerate(who)
                        ],
                        "dialogue": [{"character": who[0], "line": text(120, "we go")}],
                    }
                    for k in range(1, 6)
                ],
            }
        )
    plan = ShotList.model_validate(
        {
            "characters": [
                {
                    "id": c,
                    "name": f"Name{k}",
                    "description": text(160, f"person {k}"),
                    "wardrobe": {"default": text(100, "coat")},
                }
                for k, c in enumerate(cast)
            ],
            "scenes": scenes,
        }
    )
    project = create_project_from_shotlist(store, plan).id
    store.update_project(
        project,
        target_runtime_s=600,
        logline=text(200, "logline"),
        title=text(60, "title"),
        beats=[text(120, f"beat {b}") for b in range(shape.beats)],
    )
    for scene in store.scenes(project):
        lines = "\n\n".join(f"{who.upper()}\n{text(120, 'line')}" for who in scene.cast or ["c0"])
        store.upsert_scene(
            project,
            scene.key,
            summary=text(240, "action"),
            screenplay=f"{scene.heading}\n\n{text(240, 'action')}\n\n{lines}\n",
            notes={"director": {"intent": text(120, "intent"), "pacing": "medium"}},
        )
    for n in range(200):  # a ledger far longer than the continuity supervisor writes in one plan
        subject = cast[n % len(cast)] if n % 4 == 0 else f"prop{n}"
        store.add_fact(
            project,
            LEDGER_SUBJECT_PREFIX + subject,
            text(80, f"fact {n}"),
            since_scene=f"s{1 + n % shape.scenes}",
        )
    return project


def role_prompts(deps: Deps, project: str) -> dict[str, list[str]]:
    """Every planning role's request(s), as sent (``Role.requests``): role name → the text of each request."""
    out: dict[str, list[str]] = {}
    for cls in ROLES:
        if cls.stage in ("review",) or cls.name == "critic":  # the critic judges one take at a time, not the plan
            continue
        role = cls()
        out[role.name] = ["\n".join(m["content"] for m in messages) for messages in role.requests(deps, project)]
    return out


@pytest.fixture
def film(tmp_path: Path) -> tuple[Deps, str]:
    store = Store.at(tmp_path / "memory.db")
    return Deps(store=store, llm=None, settings=load_settings()), ten_minute_film(store)


def test_every_planning_request_of_a_ten_minute_film_is_under_the_budget(film: tuple[Deps, str]) -> None:
    deps, project = film
    sizes = {name: max(tokens(p) for p in prompts) for name, prompts in role_prompts(deps, project).items()}
    assert {"writer", "screenwriter", "director", "cinematographer", "continuity"} <= set(sizes)
    over = {name: size for name, size in sizes.items() if size > ROLE_BUDGET}
    assert over == {}, f"over {ROLE_BUDGET} tokens: {over} (all: {sizes})"


def test_every_shot_prompt_of_a_ten_minute_film_is_under_the_budget(film: tuple[Deps, str]) -> None:
    deps, project = film
    compile_plan_prompts(deps.store, project)
    prompts = {s.key: s.prompt or "" for s in deps.store.shots(project)}
    assert len(prompts) >= 100 and all(prompts.values())
    longest = max(prompts, key=lambda k: len(prompts[k]))
    assert tokens(prompts[longest]) <= SHOT_BUDGET, (
        f"{longest}: {tokens(prompts[longest])} tokens: {prompts[longest]}"
    )
