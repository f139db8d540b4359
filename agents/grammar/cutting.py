"""Cutting rules: ``jump_cut_30`` (a cut that only nudges the camera) and ``screen_direction``.

Why: a cut must change the picture enough to read as a new view (the 30° rule), and a subject that
moves across the screen must keep moving the same way from shot to shot, or it seems to turn back.
"""

from __future__ import annotations

from collections.abc import Iterator

from agents.grammar.findings import Finding, FixAction
from agents.grammar.geometry import angle_gap, display_names
from memory.shotlist import SIZES, Scene, Shot, ShotList

MIN_ANGLE_CHANGE = 30.0
_ACROSS = ("left_to_right", "right_to_left")


def jump_cut_30(shotlist: ShotList) -> list[Finding]:
    """Consecutive shots of the same characters at the same size whose ``angle_deg`` differ by under 30°.

    Consecutive means next to each other in the film: within a scene, and across a scene boundary when
    both scenes are at the same (named) location; a cut to a new place is never a jump cut.
    """
    names = display_names(shotlist)
    findings: list[Finding] = []
    for a, b in _cuts(shotlist):
        cast = {s.id for s in a.characters}
        if not cast or a.size != b.size or cast != {s.id for s in b.characters}:
            continue
        gap = angle_gap(a.camera.angle_deg, b.camera.angle_deg)
        if gap >= MIN_ANGLE_CHANGE:
            continue
        who = ", ".join(sorted(names.get(c, c) for c in cast))
        new_size = _neighbour_size(b.size)
        new_angle = _turned(a.camera.angle_deg)
        findings.append(Finding(
            rule="jump_cut_30",
            severity="warning",
            shots=(a.id, b.id),
            message=(
                f"{a.id} cuts to {b.id} on the same people ({who}) at the same size ({b.size}) with the camera only "
                f"{gap:.0f}° apart: the picture jumps instead of cutting to a new view."
            ),
            fix=(
                f"Change {b.id} to size {new_size}, or move its camera at least {MIN_ANGLE_CHANGE:.0f}° "
                f"(e.g. angle_deg {new_angle:g})."
            ),
            action=FixAction(kind="reframe", shot=b.id, size=new_size),
            alternatives=(FixAction(kind="reframe", shot=b.id, angle_deg=new_angle),),
        ))
    return findings


def _cuts(shotlist: ShotList) -> Iterator[tuple[Shot, Shot]]:
    last: tuple[Scene, Shot] | None = None
    for scene in shotlist.scenes:
        for shot in scene.shots:
            if last is not None and (last[0] is scene or _same_place(last[0], scene)):
                yield last[1], shot
            last = (scene, shot)


def _same_place(a: Scene, b: Scene) -> bool:
    return bool(a.location.strip()) and a.location.strip().casefold() == b.location.strip().casefold()


def _neighbour_size(size: str) -> str:
    """One step tighter (or, at the tight end, one step wider): the smallest change that reads as a cut."""
    if size not in SIZES:
        return "MS"
    i = SIZES.index(size)
    return SIZES[i + 1] if i + 1 < SIZES.index("INSERT") else SIZES[min(i, SIZES.index("ECU")) - 1]


def _turned(angle: float) -> float:
    """An angle 35° away from ``angle``, inside -180…180, turning away from the master where possible."""
    step = 35.0 if angle >= 0 else -35.0
    turned = angle + step
    return turned if -180.0 <= turned <= 180.0 else angle - step


def screen_direction(shotlist: ShotList) -> list[Finding]:
    """A character's movement reverses left/right between shots of a scene with no ``crosses_axis`` in between.

    Compared with that character's previous left/right movement in the scene; ``toward``/``away``
    movement is neither a reversal nor a reset. A ``crosses_axis`` shot starts afresh from itself.
    """
    names = display_names(shotlist)
    findings: list[Finding] = []
    for scene in shotlist.scenes:
        last: dict[str, tuple[str, str]] = {}  # character -> (direction, shot id)
        for shot in scene.shots:
            if shot.crosses_axis:
                last.clear()
            move = shot.movement
            if move is None or move.direction not in _ACROSS:
                continue
            before = last.get(move.character)
            if before is not None and before[0] != move.direction:
                who = names.get(move.character, move.character)
                was, now = before[0].replace("_", " "), move.direction.replace("_", " ")
                findings.append(Finding(
                    rule="screen_direction",
                    severity="error",
                    shots=(before[1], shot.id),
                    message=(
                        f"{who} moves {was} in {before[1]} but {now} in {shot.id}: on screen {who} seems to turn "
                        f"back and head the other way."
                    ),
                    fix=(
                        f"Mirror {shot.id} so {who} keeps moving {was}, or put a neutral shot between them "
                        f"({who} coming toward the camera) that crosses the line (mark it crosses_axis)."
                    ),
                    action=FixAction(kind="mirror", shot=shot.id),
                    alternatives=(FixAction(kind="insert_crossing", shot=shot.id, characters=(move.character,)),),
                ))
            last[move.character] = (move.direction, shot.id)
    return findings
