"""From a planned shot to a ``RenderRequest``: the one place a shot becomes what a generator draws.

Why here (``agents``) and not in ``generator``: the generator never sees story memory or the shot-list
format; the crew compiles each shot — its prompt (character sheets and the scene's wardrobe verbatim,
see ``agents.shots.prompt_compiler``), its staging, size, move, camera height, time of day, caption and slate — into a plain
request. Values the generator does not know (a hand-written size like ``"medium"``) fall back to safe
defaults here instead of failing the render.
"""

from __future__ import annotations

import hashlib
from typing import Any, get_args

from agents.shots.prompt_compiler import NEGATIVE, prompt_for_shot
from generator.base import (
    CameraHeight,
    CameraMove,
    Facing,
    RenderRequest,
    ShotSize,
    Slate,
    SpokenLine,
    StagedCharacter,
)
from memory.shotlist import Character, Scene, Shot, ShotList

_SIZES, _MOVES, _FACINGS = set(get_args(ShotSize)), set(get_args(CameraMove)), set(get_args(Facing))
_HEIGHTS = set(get_args(CameraHeight))


def shot_seed(base: str | int, shot: str) -> int:
    """A stable seed per shot: shots differ from each other, and a rerun gives the same pictures.

    The one seed rule for every render of a shot: the production uses the project id as ``base``, the
    ``dailies render`` preview its ``--seed``; a reshoot adds the critic's seed offset on top.
    """
    return int.from_bytes(hashlib.sha256(f"{base}:{shot}".encode()).digest()[:6], "big")


def caption_of(shot: Shot, plan: ShotList) -> str:
    """The shot's dialogue as one caption: 'MARA: You came back.'"""
    lines = []
    for d in shot.dialogue:
        who = plan.character(d.character)
        lines.append(f"{(who.name if who and who.name else d.character).upper()}: {d.line}")
    return "  ".join(lines)


def wardrobe_of(character: Character, scene: Scene, shot: Shot) -> str | None:
    """What the character wears in this shot: the shot's override, else the scene's costume."""
    return shot.wardrobe.get(character.id) or character.wardrobe_in(scene.id)


def sheet_of(character: Character, scene: Scene, shot: Shot) -> str:
    """A character's sheet and what they wear in this shot, verbatim (what a casting portrait is made from)."""
    wardrobe = wardrobe_of(character, scene, shot)
    return "; ".join(p for p in (character.description.strip(), f"wearing {wardrobe}" if wardrobe else "") if p)


def request_for_shot(
    plan: ShotList,
    scene: Scene,
    shot: Shot,
    *,
    width: int,
    height: int,
    fps: float,
    seed: int,
    take: int = 1,
    options: dict[str, Any] | None = None,
    speech: tuple[SpokenLine, ...] = (),
) -> RenderRequest:
    """The render request of one shot; the shot's own (possibly hand-edited) prompt wins over a compiled one.

    ``speech`` is the shot's voiced lines as mouth openness per frame (``agents.production.voicing.shot_speech``),
    for backends that draw it; memory holds the words, the voicing lives in the voice cache, so the caller
    measures it.
    """
    staging = []
    for staged in shot.characters:
        character = plan.character(staged.id)
        staging.append(StagedCharacter(
            id=staged.id, name=(character.name if character and character.name else staged.id),
            x=min(1.0, max(0.0, float(staged.x))), facing=staged.facing if staged.facing in _FACINGS else "camera",
            description=sheet_of(character, scene, shot) if character else "",
            colour=wardrobe_of(character, scene, shot) if character else None,  # a 'grey wool coat' is drawn grey
        ))
    return RenderRequest(
        prompt=shot.prompt or prompt_for_shot(plan, scene, shot),
        negative_prompt=NEGATIVE,
        staging=tuple(staging),
        shot_size=shot.size if shot.size in _SIZES else "MS",
        camera_move=shot.camera.move if shot.camera.move in _MOVES else "static",
        camera_height=shot.camera.height if shot.camera.height in _HEIGHTS else "eye",
        time_of_day=shot.time_of_day or scene.time_of_day or "day",
        location=scene.location or scene.heading,
        caption=caption_of(shot, plan),
        props=tuple(prop for prop in shot.props if prop.strip()),
        speech=speech,
        slate=Slate(scene=scene.id, shot=shot.id, take=max(1, take)),
        width=width, height=height, fps=fps, duration_s=shot.duration_s if shot.duration_s > 0 else 1.0,
        seed=seed % (2**63), options=dict(options or {}),
    )
