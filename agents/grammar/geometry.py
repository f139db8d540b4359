"""How the rules read a shot's picture: who is a single, who stands left of whom, how far the camera moved.

Shared by the rule families so that every rule (and the fixes and coverage helpers that must satisfy
them) reads the frame the same way. All functions are pure and O(size of one shot).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Final

from memory.shotlist import Scene, Shot, ShotList

#: Characters per shot the axis rule compares pairwise; beyond this a frame is a crowd, not a line of action.
MAX_AXIS_CAST: Final = 16

Pair = tuple[str, str]


def is_single(shot: Shot) -> bool:
    """A single shows exactly one character (framing ``single``, or unspecified)."""
    return len(shot.characters) == 1 and shot.framing in (None, "single")


def single_of(shot: Shot | None) -> str | None:
    """The character a single shows, or None when ``shot`` is not a single."""
    return shot.characters[0].id if shot is not None and is_single(shot) else None


def screen_side(facing: str) -> str | None:
    """``left``/``right`` for a facing that points across the screen; None for camera/away/unknown."""
    return facing if facing in ("left", "right") else None


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def staged_cast(scene: Scene) -> set[str]:
    """Everyone seen on screen somewhere in the scene."""
    return {s.id for shot in scene.shots for s in shot.characters}


def looked_at(shot: Shot, cast: set[str], previous: Shot | None) -> str | None:
    """Whom the character of a single looks at, when the film makes it clear.

    The other one, when the scene shows only two people; otherwise the character of the single just
    before (the cut says "this is whom they look at"); otherwise nobody we can name.
    """
    me = shot.characters[0].id
    others = cast - {me}
    if len(others) == 1:
        return next(iter(others))
    before = single_of(previous)
    return before if before is not None and before != me else None


def left_right_orders(shot: Shot, cast: set[str], previous: Shot | None) -> Iterator[tuple[Pair, str]]:
    """Every left/right order the shot shows, as ``(pair, who is on the left)``.

    From ``x`` for each two visible characters at different positions; from ``facing`` in a single
    (a character looking right stands on the left of the one it looks at).
    """
    staged = shot.characters[:MAX_AXIS_CAST]
    if is_single(shot):
        side = screen_side(staged[0].facing)
        target = looked_at(shot, cast, previous) if side else None
        if side and target is not None:
            me = staged[0].id
            yield pair(me, target), (me if side == "right" else target)
        return
    for i, a in enumerate(staged):
        for b in staged[i + 1:]:
            if a.id != b.id and a.x != b.x and math.isfinite(a.x) and math.isfinite(b.x):
                yield pair(a.id, b.id), (a.id if a.x < b.x else b.id)


def angle_gap(a: float, b: float) -> float:
    """Smallest difference between two camera angles in degrees, across the ±180 seam."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return math.inf
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


def every_shot(shotlist: ShotList) -> Iterator[Shot]:
    """Every shot in film order, without building a list (a 50,000-shot check allocates nothing per shot)."""
    for scene in shotlist.scenes:
        yield from scene.shots


def display_names(shotlist: ShotList) -> dict[str, str]:
    """Character id → the name a message should use."""
    return {c.id: (c.name or c.id) for c in shotlist.characters}


def shot_ids(shots: list[Shot] | tuple[Shot, ...]) -> tuple[str, ...]:
    return tuple(s.id for s in shots)
