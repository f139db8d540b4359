"""Builders for hand-made shot lists: ``b.shot``, ``b.scene``, ``b.film`` (a fixture, so tests stay short)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from memory.shotlist import ShotList


def shot(shot_id: str, *cast: tuple[str, float, str], size: str = "MS", angle: float = 0.0, framing: str | None = None,
         crosses: bool = False, move: tuple[str, str] | None = None, tod: str | None = None,
         wardrobe: dict[str, str] | None = None, says: tuple[str, ...] = (), duration: float = 3.0) -> dict[str, Any]:
    """A shot: ``cast`` is (character, x, facing) triples; ``says`` the speakers of one line each."""
    return {
        "id": shot_id, "size": size, "duration_s": duration, "framing": framing,
        "characters": [{"id": c, "x": x, "facing": f} for c, x, f in cast],
        "camera": {"angle_deg": angle}, "crosses_axis": crosses,
        "movement": {"character": move[0], "direction": move[1]} if move else None,
        "time_of_day": tod, "wardrobe": wardrobe or {},
        "dialogue": [{"character": who, "line": "..."} for who in says],
    }


def scene(scene_id: str, *shots: dict[str, Any], tod: str | None = None, location: str = "") -> dict[str, Any]:
    return {"id": scene_id, "time_of_day": tod, "location": location, "shots": list(shots)}


def film(*scenes: dict[str, Any], characters: tuple[str, ...] = ("mara", "tom", "ned"),
         wardrobe: dict[str, dict[str, str]] | None = None, target: float | None = None) -> ShotList:
    wardrobe = wardrobe or {}
    return ShotList.model_validate({
        "target_runtime_s": target,
        "characters": [{"id": c, "name": c.title(), "wardrobe": wardrobe.get(c, {})} for c in characters],
        "scenes": list(scenes),
    })


@pytest.fixture
def b() -> SimpleNamespace:
    return SimpleNamespace(shot=shot, scene=scene, film=film)
