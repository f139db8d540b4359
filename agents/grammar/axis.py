"""The line of action: ``axis_180`` (who stands left of whom) and ``eyeline`` (do two people look at each other).

Why it matters: the audience builds a map of the room from the first shots. If Mara is on the left of
Tom, she must stay on the left in every shot of the scene until the camera is *shown* crossing the line,
or the cut makes them swap places; and two people talking in singles must look in opposite directions,
or they seem to look past each other.
"""

from __future__ import annotations

from agents.grammar.findings import Finding, FixAction
from agents.grammar.geometry import (
    Pair,
    display_names,
    is_single,
    left_right_orders,
    screen_side,
    staged_cast,
)
from memory.shotlist import Shot, ShotList


def axis_180(shotlist: ShotList) -> list[Finding]:
    """Two characters' left/right order swaps within a scene with no ``crosses_axis`` shot in between.

    The order is read from ``x`` where both are visible and from ``facing`` in singles. Each scene starts
    a new axis; a shot marked ``crosses_axis`` starts a new one from itself on.
    """
    names = display_names(shotlist)
    findings: list[Finding] = []
    for scene in shotlist.scenes:
        cast = staged_cast(scene)
        held: dict[Pair, tuple[str, str]] = {}  # pair -> (who is on the left, last shot that showed it)
        previous: Shot | None = None
        for shot in scene.shots:
            if shot.crosses_axis:
                held.clear()
            for key, left in left_right_orders(shot, cast, previous):
                before = held.get(key)
                if before is not None and before[0] != left:
                    findings.append(_swap(names, key, before, left, shot))
                held[key] = (left, shot.id)
            previous = shot
    return findings


def _swap(names: dict[str, str], key: Pair, before: tuple[str, str], left: str, shot: Shot) -> Finding:
    right = key[1] if left == key[0] else key[0]
    _, earlier = before
    a, b = names.get(right, right), names.get(left, left)
    return Finding(
        rule="axis_180",
        severity="error",
        shots=(earlier, shot.id),
        message=(
            f"{a} and {b} swap sides between {earlier} and {shot.id}: {a} is on the left of {b} in {earlier} "
            f"but on the right in {shot.id}. The camera has jumped the 180° line, so the audience loses who is where."
        ),
        fix=(
            f"Mirror {shot.id} so {a} stays on the left, or cut to a shot that shows the camera crossing the line "
            f"first (mark it crosses_axis)."
        ),
        action=FixAction(kind="mirror", shot=shot.id),
        alternatives=(FixAction(kind="insert_crossing", shot=shot.id, characters=(left, right)),),
    )


def eyeline(shotlist: ShotList) -> list[Finding]:
    """Consecutive singles of two characters talking to each other face the same screen direction.

    "Talking to each other": one of the two shots has a line spoken by one of them, or both of them
    speak somewhere in the scene.
    """
    names = display_names(shotlist)
    findings: list[Finding] = []
    for scene in shotlist.scenes:
        speakers = {line.character for shot in scene.shots for line in shot.dialogue}
        previous: Shot | None = None
        for shot in scene.shots:
            if previous is not None and is_single(previous) and is_single(shot):
                a, b = previous.characters[0], shot.characters[0]
                side = screen_side(a.facing)
                if a.id != b.id and side is not None and side == screen_side(b.facing) and _talking(a.id, b.id, previous, shot, speakers):
                    na, nb = names.get(a.id, a.id), names.get(b.id, b.id)
                    back = "left" if side == "right" else "right"
                    # b looks `side`, so b would stand on the `back` side of a: the crossing shot shows that order.
                    order = (b.id, a.id) if side == "right" else (a.id, b.id)
                    findings.append(Finding(
                        rule="eyeline",
                        severity="error",
                        shots=(previous.id, shot.id),
                        message=(
                            f"{na} ({previous.id}) and {nb} ({shot.id}) both look screen-{side} in back-to-back singles, "
                            f"so they seem to look past each other instead of at each other."
                        ),
                        fix=f"Mirror {shot.id} so {nb} looks screen-{back}, back toward {na}.",
                        action=FixAction(kind="mirror", shot=shot.id),
                        alternatives=(FixAction(kind="insert_crossing", shot=shot.id, characters=order),),
                    ))
            previous = shot
    return findings


def _talking(a: str, b: str, first: Shot, second: Shot, speakers: set[str]) -> bool:
    if a in speakers and b in speakers:
        return True
    return any(line.character in (a, b) for shot in (first, second) for line in shot.dialogue)
