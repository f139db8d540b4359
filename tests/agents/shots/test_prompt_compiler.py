"""The compiled generation prompt says what the plan says about the camera (``agents.shots.prompt_compiler``)."""

from __future__ import annotations

from agents.shots.prompt_compiler import prompt_for_shot
from memory.shotlist import ShotList


def _plan(height: str) -> ShotList:
    return ShotList.model_validate({
        "characters": [{"id": "mara", "name": "Mara", "description": "lighthouse keeper, 60s"}],
        "scenes": [{"id": "s1", "location": "lamp room", "time_of_day": "night", "shots": [
            {"id": "s1-01", "size": "MS", "duration_s": 3.0, "description": "Mara climbs the stairs.",
             "camera": {"height": height}, "characters": [{"id": "mara", "x": 0.5, "facing": "camera"}]}]}],
    })


def test_a_low_or_high_camera_is_named_in_the_prompt_and_eye_level_adds_nothing() -> None:
    # The animatic draws the angle a reshoot note asks for (7686cc1); a video model is told it in words.
    prompts = {h: prompt_for_shot(_plan(h), *_plan(h).shots()[0]) for h in ("eye", "low", "high", "overhead")}
    assert prompts["eye"].startswith("medium shot, static camera. lamp room, night.")
    assert prompts["low"].startswith("medium shot, low angle, static camera. lamp room, night.")
    assert prompts["high"].startswith("medium shot, high angle, static camera.")
    assert prompts["overhead"].startswith("medium shot, overhead shot, static camera.")
