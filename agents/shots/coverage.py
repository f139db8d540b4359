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
    """The scene's action as one beat of everyone, then one beat per line of dialogue (a single of the speaker).

    Why the action first even when people talk: with a beat per line only, a dialogue scene was its
    establishing shot, the lines and "X holds the moment after the line" — measured on a beekeeper's-daughter
    film, no shot showed the storm or the hives the scene's action was about.
    """
    lines = [
        Beat(characters=[line.character], speaker=line.character, line=line.line, parenthetical=line.parenthetical,
             description=f"{line.character.capitalize()} says: \u201c{line.line}\u201d")
        for line in scene.dialogue
    ]
    if scene.summary.strip() or not lines:
        return [Beat(characters=list(scene.cast), description=scene.summary, size="MS"), *lines]
    return lines


def blocking_of(scene: Scene) -> dict[str, str]:
    marks = scene.notes.get("director", {}).get("blocking", [])
    return {m["character"]: m["side"] for m in marks}


#: Average shot length by the director's pacing of a scene, in seconds: an editor's rhythm, from a chase
#: (a cut every 2–3 s) to a quiet scene (about 5 s); a scene of few long beats averages close to it.
PACE_SHOT_S: dict[str, float] = {"fast": 2.5, "medium": 4.0, "slow": 5.0}
DEFAULT_PACE = "medium"


def shot_length_for(pace: object) -> float:
    """The average shot length a pacing asks for; an unknown or missing pacing reads as ``medium``."""
    return PACE_SHOT_S.get(str(pace or DEFAULT_PACE).strip().casefold(), PACE_SHOT_S[DEFAULT_PACE])


def pacing_of(scene: Scene) -> str | None:
    """The director's pacing of the scene (slow, medium, fast), if the director gave one."""
    pacing = scene.notes.get("director", {}).get("pacing")
    return pacing if isinstance(pacing, str) else None


def plan_scene_shots(
    scene: Scene, look: dict[str, Any], budget_s: float, *, new_location: bool = True, longest_s: float | None = None
) -> list[Shot]:
    """The shots of ``scene`` in the cinematographer's ``look``, lasting ``budget_s`` seconds in all.

    Shots average the length the director's pacing asks for (``PACE_SHOT_S``) and none is longer than
    ``longest_s``, the generator's longest clip: a long beat is covered by several shots.
    """
    shots = plan_scene(
        scene.key, beats_of(scene), blocking=blocking_of(scene), new_location=new_location, location=scene.location,
        opening_size=look["opening_size"], closeup_size=look["closeup_size"], opening_move=look["opening_move"],
        lens_mm=look.get("lens_mm"), lighting=look.get("lighting"), duration_s=budget_s,
        longest_s=longest_s, shot_s=shot_length_for(pacing_of(scene)),
    )
    for shot in shots:
        shot.dialogue = [d for d in shot.dialogue if d.line]
    return shots
