"""Reading a version-1 story bible: its string conventions become version 2's typed fields.

Why a separate step: bibles written before the typed story vocabulary keep a scene's cast and dialogue
in ``scenes[].extra`` (``"characters"``, ``"dialogue"``), a location's interior flag as an ``"INT. "``/
``"EXT. "`` prefix on its description, and the beats as a story fact ``"beats: a | b | c"``. They stay
importable: this turns the document into version 2's shape (the same moves as the database migration
0004) before the bible's models validate it, so a malformed old file is refused by the same messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

BEATS_PREFIX: Final = "beats: "


def upgrade_v1(data: Mapping[str, Any]) -> dict[str, Any]:
    """A version-1 bible as version 2 data (a new dict; the input is not changed)."""
    out = dict(data)
    scenes = out.get("scenes")
    if isinstance(scenes, list):
        out["scenes"] = [_scene(scene) for scene in scenes]
    locations = out.get("locations")
    if isinstance(locations, list):
        out["locations"] = [_location(location) for location in locations]
    facts, project = out.get("facts"), out.get("project")
    if isinstance(facts, list) and isinstance(project, Mapping):
        beats = [f for f in facts if isinstance(f, Mapping) and f.get("subject") == "story"
                 and isinstance(f.get("fact"), str) and f["fact"].startswith(BEATS_PREFIX)]
        if beats:
            text = beats[-1]["fact"].removeprefix(BEATS_PREFIX)
            out["project"] = {**project, "beats": [beat.strip() for beat in text.split(" | ") if beat.strip()]}
            out["facts"] = [f for f in facts if not any(f is b for b in beats)]
    return out


def _scene(scene: Any) -> Any:
    if not isinstance(scene, Mapping) or not isinstance(scene.get("extra"), Mapping):
        return scene
    extra = dict(scene["extra"])
    if "characters" not in extra and "dialogue" not in extra:
        return scene
    moved = {"cast": extra.pop("characters", []), "dialogue": extra.pop("dialogue", [])}
    return {**scene, **moved, "extra": extra}


def _location(location: Any) -> Any:
    if not isinstance(location, Mapping) or not isinstance(location.get("description"), str):
        return location
    description: str = location["description"]
    head = description[:4].upper()
    if head not in ("INT.", "EXT."):
        return location
    return {**location, "interior": head == "INT.", "description": description[4:].strip()}
