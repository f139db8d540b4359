"""Compiles a shot into a generation prompt: the words a video model sees.

Why verbatim: identity and continuity in diffusion video come mostly from repeating the *same* words.
Each visible character's sheet (description) and what they wear in this scene go into the prompt word
for word, in a fixed order, so every shot of Mara says the same thing about Mara.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from memory.shotlist import Scene, Shot, ShotList

SIZE_WORDS = {
    "EWS": "extreme wide shot", "WS": "wide shot", "FS": "full shot", "MWS": "medium wide shot",
    "MS": "medium shot", "MCU": "medium close-up", "CU": "close-up", "ECU": "extreme close-up",
    "INSERT": "insert shot of a detail",
}
MOVE_WORDS = {
    "static": "static camera", "pan_left": "camera pans left", "pan_right": "camera pans right",
    "tilt_up": "camera tilts up", "tilt_down": "camera tilts down", "dolly_in": "slow dolly in",
    "dolly_out": "slow dolly out", "zoom_in": "slow zoom in", "zoom_out": "slow zoom out",
    "truck_left": "camera trucks left", "truck_right": "camera trucks right", "arc_left": "camera arcs left",
    "arc_right": "camera arcs right", "handheld": "handheld camera",
}
NEGATIVE = "blurry, distorted faces, extra limbs, text, watermark, flicker, low quality"


@dataclass(frozen=True)
class CastMember:
    """A visible character as the prompt describes them."""

    name: str
    description: str
    wardrobe: str | None
    side: str = ""


def side_of(x: float) -> str:
    return "on the left" if x < 0.4 else "on the right" if x > 0.6 else "in the centre"


def compile_prompt(
    *,
    description: str,
    size: str,
    move: str,
    location: str,
    time_of_day: str | None,
    cast: Sequence[CastMember],
    lighting: str | None = None,
    style: str = "",
    lens_mm: float | None = None,
) -> str:
    """One prompt, always in the same order: framing, place and time, people, action, light, style."""
    parts = [f"{SIZE_WORDS.get(size, size)}, {MOVE_WORDS.get(move, move)}" + (f", {lens_mm:g}mm lens" if lens_mm else "")]
    parts.append(f"{location}, {time_of_day}" if time_of_day else location)
    for member in cast:
        who = f"{member.name} ({member.description})" if member.description else member.name
        if member.wardrobe:
            who += f" wearing {member.wardrobe}"
        parts.append(f"{who} {member.side}".strip())
    if description:
        parts.append(description.strip().rstrip("."))
    if lighting:
        parts.append(lighting)
    if style:
        parts.append(style)
    return ". ".join(p for p in parts if p) + "."


def prompt_for_shot(plan: ShotList, scene: Scene, shot: Shot, *, lighting: str | None = None, style: str = "") -> str:
    """The prompt of one planned shot: its visible characters' sheets and this scene's wardrobe, verbatim."""
    cast = []
    for staged in shot.characters:
        character = plan.character(staged.id)
        if character is None:
            continue
        wardrobe = shot.wardrobe.get(staged.id) or character.wardrobe_in(scene.id)
        cast.append(CastMember(character.name or character.id, character.description, wardrobe, side_of(staged.x)))
    return compile_prompt(
        description=shot.description, size=shot.size, move=shot.camera.move, location=scene.location or scene.heading,
        time_of_day=shot.time_of_day or scene.time_of_day, cast=cast, lighting=lighting or shot.lighting, style=style,
        lens_mm=shot.camera.lens_mm,
    )
