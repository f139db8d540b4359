"""Fixtures for the animatic tests: small requests whose frames are cheap to draw and decode."""

from __future__ import annotations

from typing import Any

import pytest

from generator.base import RenderRequest


def make_request(**overrides: Any) -> RenderRequest:
    """A small two-hander: Mara on the left looking right, Tom on the right looking left, daylight."""
    fields: dict[str, Any] = {
        "prompt": "Mara turns from the lamp as Tom steps in.",
        "staging": [
            {"id": "mara", "name": "Mara", "x": 0.25, "facing": "right", "colour": "red"},
            {"id": "tom", "name": "Tom", "x": 0.75, "facing": "left", "colour": "blue"},
        ],
        "shot_size": "WS",
        "camera_move": "static",
        "time_of_day": "day",
        "location": "lamp room",
        "slate": {"scene": "s1", "shot": "s1-01", "take": 1},
        "width": 320,
        "height": 180,
        "frames": 12,
        "fps": 12,
        "seed": 7,
    }
    fields.update(overrides)
    return RenderRequest(**fields)


@pytest.fixture
def request_factory():
    return make_request
