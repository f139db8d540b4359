"""Mechanical fixes: the edits the continuity supervisor can make without an LLM.

Each finding may carry ``FixAction``s (see ``findings.py``); ``apply_fixes`` tries them scene by scene
and keeps an edit only when the scene's findings get strictly better (fewer errors, or as many errors
and fewer jump cuts). So the output never has more errors than the input: at worst nothing changes.
The edits are the ones a continuity supervisor would make by hand — mirror a shot, cut in a neutral
shot that crosses the line, reframe to break a jump cut, copy the scene's wardrobe, time of day or a
prop's state, split a shot too long for one clip into coverage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from agents.grammar.continuity import prop_name
from agents.grammar.findings import Finding, FixAction
from agents.grammar.length import clip_limit, split_shot
from agents.grammar.rules import check
from memory.shotlist import Camera, Movement, Scene, Shot, ShotList, Staging

#: Most edits made in one scene; each is an improvement, so this only bounds pathological plans.
MAX_EDITS_PER_SCENE = 200
#: Findings whose fixes are tried before the scene is re-checked.
_TRIES_PER_ROUND = 40
_NEUTRAL_SECONDS = 1.5
_SWAP = {
    "left": "right", "right": "left",
    "left_to_right": "right_to_left", "right_to_left": "left_to_right",
    "pan_left": "pan_right", "pan_right": "pan_left",
    "truck_left": "truck_right", "truck_right": "truck_left",
    "arc_left": "arc_right", "arc_right": "arc_left",
}


def apply_fixes(shotlist: ShotList) -> tuple[ShotList, list[str]]:
    """Apply every mechanical fix that helps; return the fixed copy and one sentence per change.

    The input is not modified. Shots inserted get fresh ids (``<next shot>-x``, ``-x2``…).
    """
    fixed = shotlist.model_copy(deep=True)
    taken = {shot.id for _, shot in fixed.shots()}
    changes: list[str] = []
    for i, scene in enumerate(fixed.scenes):
        fixed.scenes[i] = _fix_scene(fixed, scene, taken, changes)
    if _error_count(check(fixed)) > _error_count(check(shotlist)):  # cannot happen; the promise is kept regardless
        return shotlist.model_copy(deep=True), []
    return fixed, changes


def _fix_scene(film: ShotList, scene: Scene, taken: set[str], changes: list[str]) -> Scene:
    current = _scene_findings(film, scene)
    for _ in range(MAX_EDITS_PER_SCENE):
        improved = False
        for finding in [f for f in current if f.actions()][:_TRIES_PER_ROUND]:
            for action in finding.actions():
                edited = scene.model_copy(deep=True)
                what = _apply(edited, action, taken)
                if what is None:
                    continue
                after = _scene_findings(film, edited)
                if _score(after) < _score(current):
                    scene, current, improved = edited, after, True
                    if action.kind in ("insert_crossing", "split"):
                        taken.update(s.id for s in scene.shots)
                    changes.append(f"{what[1]} ({finding.rule}: {', '.join(finding.shots)})")
                    break
            if improved:
                break
        if not improved:
            break
    return scene


def _scene_findings(film: ShotList, scene: Scene) -> list[Finding]:
    alone = ShotList.model_construct(format=film.format, title=film.title, target_runtime_s=None, characters=film.characters, scenes=[scene])
    return check(alone, longest_clip_s=clip_limit(film))


def _score(findings: Iterable[Finding]) -> tuple[int, int]:
    findings = list(findings)
    return _error_count(findings), sum(1 for f in findings if f.rule == "jump_cut_30")


def _error_count(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.severity == "error")


def _apply(scene: Scene, action: FixAction, taken: set[str]) -> tuple[str, str] | None:
    """Edit ``scene`` in place; return (the shot id touched or created, a sentence saying what changed)."""
    index = next((i for i, s in enumerate(scene.shots) if s.id == action.shot), None)
    if index is None:
        return None
    shot = scene.shots[index]
    if action.kind == "mirror":
        mirror(shot)
        return shot.id, f"{shot.id}: mirrored left for right (every x and facing flipped)"
    if action.kind == "insert_crossing":
        new = crossing_shot(_fresh_id(f"{shot.id}-x", taken), action.characters, scene.id)
        scene.shots.insert(index, new)
        return new.id, f"{new.id}: inserted before {shot.id}, a neutral shot where the camera crosses the line"
    if action.kind == "reframe":
        said = []
        if action.size is not None and action.size != shot.size:
            said.append(f"size {shot.size} → {action.size}")
            shot.size = action.size
        if action.angle_deg is not None and action.angle_deg != shot.camera.angle_deg:
            said.append(f"angle {shot.camera.angle_deg:g}° → {action.angle_deg:g}°")
            shot.camera.angle_deg = action.angle_deg
        return (shot.id, f"{shot.id}: reframed, {' and '.join(said)}") if said else None
    if action.kind == "set_time_of_day" and action.value is not None:
        old, shot.time_of_day = shot.time_of_day, action.value
        return shot.id, f"{shot.id}: time of day {old!r} → {action.value!r} (the scene's)"
    if action.kind == "split" and action.pieces is not None:
        pieces = split_shot(shot, action.pieces, set(taken) | {s.id for s in scene.shots})
        scene.shots[index:index + 1] = pieces
        return shot.id, f"{shot.id}: split into {len(pieces)} shots of coverage ({', '.join(p.id for p in pieces)}), none longer than the generator's clip"
    if action.kind == "set_prop" and action.value is not None:
        name = prop_name(action.value)
        before = [entry for entry in shot.props if prop_name(entry) == name]
        shot.props = [action.value if prop_name(entry) == name else entry for entry in shot.props]
        return shot.id, f"{shot.id}: {' / '.join(map(repr, before))} → {action.value!r} (the prop as the scene shows it)"
    if action.kind == "set_wardrobe" and action.character is not None and action.value is not None:
        old = shot.wardrobe.get(action.character)
        shot.wardrobe[action.character] = action.value
        return shot.id, f"{shot.id}: {action.character}'s wardrobe {old!r} → {action.value!r} (the scene's)"
    return None


def mirror(shot: Shot) -> None:
    """Flip a shot left for right in place: positions, facings, screen direction and sideways camera moves."""
    for s in shot.characters:
        if math.isfinite(s.x):
            s.x = round(1.0 - s.x, 6)
        s.facing = _SWAP.get(s.facing, s.facing)
    if shot.movement is not None:
        shot.movement.direction = _SWAP.get(shot.movement.direction, shot.movement.direction)
    shot.camera.move = _SWAP.get(shot.camera.move, shot.camera.move)


def crossing_shot(shot_id: str, order: tuple[str, ...], scene_id: str) -> Shot:
    """A short neutral shot marked ``crosses_axis``: the camera on the line, people left to right in ``order``.

    One character: they come toward the camera (the classic neutral shot between two screen directions).
    Several: they are shown in the new order, facing each other, so the new axis holds from here.
    """
    if len(order) <= 1:
        staging = [Staging(id=c, x=0.5, facing="camera") for c in order]
        movement = Movement(character=order[0], direction="toward") if order else None
        framing, size = ("single" if order else None), "MS"
    else:
        n = len(order)
        staging = [Staging(id=c, x=round((k + 1) / (n + 1), 3), facing=_toward_middle(k, n)) for k, c in enumerate(order)]
        movement, framing, size = None, ("two_shot" if n == 2 else "group"), "MWS"
    return Shot(
        id=shot_id,
        size=size,
        duration_s=_NEUTRAL_SECONDS,
        framing=framing,
        characters=staging,
        camera=Camera(angle_deg=90.0, move="arc_left"),
        crosses_axis=True,
        movement=movement,
        description=f"Neutral shot in {scene_id}: the camera moves across the line of action (added by the continuity check).",
    )


def _toward_middle(k: int, n: int) -> str:
    middle = (n - 1) / 2
    return "right" if k < middle else "left" if k > middle else "camera"


def _fresh_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate
