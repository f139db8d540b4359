"""Helpers of the farm tests: the running farm's address, and small animatic shots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.base import RenderRequest


@dataclass
class Farm:
    url: str
    data_dir: Path
    port: int


def make_shot(n: int = 1, **overrides: object) -> RenderRequest:
    """A small animatic shot; ``n`` varies the slate and the seed so each ``n`` is another render."""
    fields: dict[str, object] = {
        "prompt": f"Mara turns from the lamp as Tom steps in (shot {n}).",
        "staging": [
            {"id": "mara", "name": "Mara", "x": 0.25, "facing": "right", "colour": "red"},
            {"id": "tom", "name": "Tom", "x": 0.75, "facing": "left", "colour": "blue"},
        ],
        "shot_size": "WS", "camera_move": "dolly_in", "time_of_day": "dusk", "location": "lamp room",
        "slate": {"scene": "s1", "shot": f"s1-{n:02d}", "take": 1},
        "width": 160, "height": 96, "frames": 24, "fps": 12, "seed": 100 + n,
    }  # fmt: skip
    fields.update(overrides)
    return RenderRequest(**fields)  # type: ignore[arg-type]
