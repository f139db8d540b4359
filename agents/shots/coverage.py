"""From a written scene to its shots: the scene's dialogue and blocking become the grammar engine's beats.

The cinematographer's LLM answer only chooses the look (sizes, lens, light, opening move); this module
turns the scene in memory — who is in it, who says which line, the director's blocking — into
``agents.grammar.coverage.Beat``s and lets ``plan_scene`` stage them, so every plan passes the grammar
checks by construction.
"""

from __future__ import annotations

from typing import Any

from agents.grammar.coverage import Beat, plan_scene
from memory.models import Scene
from memory.shotlist import Shot


def beats_of(scene: Scene) -> list[Beat]:
    """One beat per line of dialogue (a single of the speaker); a silent scene is one beat of everyone."""
    cast = list(scene.cast)
    lines = scene.dialogue
    if not lines:
        return [Beat(characters=cast, description=scene.summary, size="MS")]
    return [
        Beat(characters=[line.character], speaker=line.character, line=line.line,
             parenthetical=line.parenthetical,
             description=f"{line.character.capitalize()} says: \u201c{line.line}\u201d")
        for line in lines
    ]


def blocking_of(scene: Scene) -> dict[str, str]:
    marks = scene.notes.get("director", {}).get("blocking", [])
    return {m["character"]: m["side"] for m in marks}


def plan_scene_shots(scene: Scene, look: dict[str, Any], budget_s: float, *, new_location: bool = True) -> list[Shot]:
    """The shots of ``scene`` in the cinematographer's ``look``, lasting ``budget_s`` seconds in all."""
    shots = plan_scene(
        scene.key, beats_of(scene), blocking=blocking_of(scene), new_location=new_location, location=scene.location,
        opening_size=look["opening_size"], closeup_size=look["closeup_size"], opening_move=look["opening_move"],
        lens_mm=look.get("lens_mm"), lighting=look.get("lighting"), duration_s=budget_s,
    )
    for shot in shots:
        shot.dialogue = [d for d in shot.dialogue if d.line]
    return shots
