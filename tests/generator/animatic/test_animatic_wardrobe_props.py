"""The animatic draws what the story says: the wardrobe's colour words, and the props the shot names."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from generator.animatic import draw_frame, figure_boxes, prop_boxes
from generator.animatic.palette import character_colour
from generator.base import RenderRequest, StagedCharacter


def single(colour: str | None, **fields: object) -> RenderRequest:
    return RenderRequest.model_validate({
        "prompt": "x", "staging": [StagedCharacter(id="mara", x=0.5, colour=colour)], "shot_size": "MS",
        "time_of_day": "day", "location": "lamp room", "width": 320, "height": 180, "frames": 1, **fields,
    })


def torso_colour(request: RenderRequest) -> np.ndarray:
    (box,) = figure_boxes(request)
    x0, y0, x1, y1 = (round(v) for v in box.torso)
    return np.median(draw_frame(request)[y0:y1, x0:x1].reshape(-1, 3), axis=0)


@pytest.mark.parametrize(("wardrobe", "rgb"), [
    ("grey wool coat, red scarf", (128, 128, 128)),  # the first colour word: the coat, not the scarf
    ("yellow oilskin", (255, 255, 0)),
    ("navy peacoat", (0, 0, 128)),
    ("a heavy wool coat", character_colour("mara")),  # no colour word: the id's own colour, as before
])
def test_the_wardrobes_colour_word_is_the_figures_colour(wardrobe: str, rgb: tuple[int, int, int]) -> None:
    assert np.abs(torso_colour(single(wardrobe)) - np.array(rgb)).max() <= 3


def test_props_are_drawn_as_labelled_blocks_in_their_colour() -> None:
    bare = single(None)
    request = single(None, props=("lamp: cracked glass", "red scarf", "  "))
    assert prop_boxes(bare) == []
    marks = prop_boxes(request)
    assert [m.label for m in marks] == ["lamp: cracked glass", "red scarf"]
    assert marks[1].colour == (255, 0, 0)
    with_props, without = draw_frame(request), draw_frame(bare)
    for mark in marks:
        x0, y0, x1, y1 = (round(v) for v in mark.box)
        inside = with_props[y0 + 2:y1 - 2, x0 + 2:x1 - 2].reshape(-1, 3)
        assert np.abs(np.median(inside, axis=0) - mark.colour).max() <= 2
        assert np.abs(without[y0 + 2:y1 - 2, x0 + 2:x1 - 2].astype(int) - with_props[y0 + 2:y1 - 2, x0 + 2:x1 - 2]).max() > 40


def test_a_request_without_props_keeps_its_old_key() -> None:
    """``props`` came later: an empty list is left out of the hash, so takes rendered before keep their names."""
    request = single("grey wool coat")
    assert "props" not in request.model_dump(exclude_defaults=True)
    assert request.key() != single("grey wool coat", props=("lamp",)).key()
    data = request.model_dump(mode="json")
    del data["props"]
    del data["speech"]  # came later still, by the same rule (tests/generator/test_render_request.py)
    del data["camera_height"]  # and so did the camera's height: eye level is left out
    data["references"] = {}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert request.key() == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
