"""``request_for_shot``: a planned shot becomes the RenderRequest a generator draws."""

from __future__ import annotations

from agents.shots.requests import request_for_shot
from memory.shotlist import ShotList

PLAN = ShotList.model_validate({
    "characters": [{"id": "mara", "name": "Mara", "description": "lighthouse keeper, 60s, grey braid",
                    "wardrobe": {"default": "grey wool coat, red scarf", "s2": "yellow oilskin"}}],
    "scenes": [
        {"id": "s1", "location": "lamp room", "time_of_day": "night",
         "shots": [{"id": "s1-01", "size": "CU", "duration_s": 2.0, "camera": {"move": "dolly_in"},
                    "characters": [{"id": "mara", "x": 0.3, "facing": "right"}],
                    "dialogue": [{"character": "mara", "line": "You came back."}]}]},
        {"id": "s2", "location": "harbour", "time_of_day": "dawn",
         "shots": [{"id": "s2-01", "size": "huge", "duration_s": 1.0, "characters": [{"id": "mara", "x": 1.7, "facing": "up"}]}]},
    ],
})  # fmt: skip


def test_the_character_sheet_and_scene_wardrobe_go_in_verbatim() -> None:
    scene, shot = PLAN.scenes[0], PLAN.scenes[0].shots[0]
    request = request_for_shot(PLAN, scene, shot, width=320, height=180, fps=24, seed=5, take=2)
    assert (
        "lighthouse keeper, 60s, grey braid" in request.prompt
        and "grey wool coat, red scarf" in request.prompt
    )
    staged = request.staging[0]
    assert staged.description == "lighthouse keeper, 60s, grey braid; wearing grey wool coat, red scarf"
    assert (staged.x, staged.facing, request.shot_size, request.camera_move) == (
        0.3,
        "right",
        "CU",
        "dolly_in",
    )
    assert (request.time_of_day, request.location, request.caption) == (
        "night",
        "lamp room",
        "MARA: You came back.",
    )
    assert (request.slate.scene, request.slate.shot, request.slate.take, request.frame_count()) == (
        "s1",
        "s1-01",
        2,
        48,
    )


def test_other_scene_wardrobe_and_unknown_values_fall_back_safely() -> None:
    scene, shot = PLAN.scenes[1], PLAN.scenes[1].shots[0]
    request = request_for_shot(PLAN, scene, shot, width=320, height=180, fps=24, seed=5)
    assert request.staging[0].description.endswith("wearing yellow oilskin")
    assert (request.shot_size, request.staging[0].x, request.staging[0].facing) == ("MS", 1.0, "camera")
