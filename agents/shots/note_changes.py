"""A reshoot note becomes shot changes a backend can show, not only prompt text.

Why: a note ("closer, she looks at him") that only went into the prompt left the animatic take pixel-identical
apart from its slate — the animatic draws the shot's size, staging, facing, move and length, not words. So the
crew reads what a pattern can read from the note, deterministically and without the LLM: the shot size one step
tighter or wider, a character facing the other, a character moved left or right, a camera move, the camera's
angle (its height: "a low angle", "from above"; the animatic draws it: ``RenderRequest.camera_height``), a longer
or shorter shot. Those become edits of the shot in story memory (what the shot list and the card then show); the
note itself still goes into the prompt, for backends that read words. What no pattern reads is left to the
prompt (an LLM reading of the rest is not built yet).

``apply_note`` writes the changes and records them on the shot (``notes["note_changes"]``), so the card can say
what changed in the new take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from memory.shotlist import CAMERA_MOVES, HEIGHTS, SIZES
from memory.store import Store

#: Shot sizes from widest to tightest (``INSERT`` is a kind of shot, not a step on this scale).
SCALE = tuple(s for s in SIZES if s != "INSERT")
_CLOSER = re.compile(r"\b(closer|tighter|move in|push in|close[- ]?up)\b", re.I)
_WIDER = re.compile(r"\b(wider|further back|pull back|pull out|more room|see more)\b", re.I)
_LONGER = re.compile(r"\b(longer|slower|hold (it|on)|let it breathe|linger)\b", re.I)
_SHORTER = re.compile(r"\b(shorter|faster|quicker|tighten the timing|cut it short)\b", re.I)
_LOOKS_AT = re.compile(r"\b(she|he|they|\w+)\s+(looks?|turns?|faces?|glances?)\s+(at|to|towards?)\s+(him|her|them|\w+)\b", re.I)
_LOOKS_AWAY = re.compile(r"\b(she|he|they|\w+)\s+(looks?|turns?)\s+away\b", re.I)
_TO_CAMERA = re.compile(r"\b(looks?|turns?)\s+(at|to|into)\s+(the )?(camera|lens)\b", re.I)
_MOVE_SIDE = re.compile(r"\b(\w+)\s+(?:further |more )?(?:to the |on the )?(left|right)\b", re.I)
_MOVES = {
    "dolly in": "dolly_in", "push in": "dolly_in", "dolly out": "dolly_out", "pull out": "dolly_out",
    "pan left": "pan_left", "pan right": "pan_right", "tilt up": "tilt_up", "tilt down": "tilt_down",
    "zoom in": "zoom_in", "zoom out": "zoom_out", "handheld": "handheld", "static": "static",
    "hold the camera still": "static", "arc left": "arc_left", "arc right": "arc_right",
}
#: The camera's angle (height) a note names; the first pattern that matches wins.
_ANGLES = (
    (re.compile(r"\b(overhead|bird'?s[- ]eye|top[- ]down|straight down)\b", re.I), "overhead"),
    (re.compile(r"\b(ground level|worm'?s[- ]eye|from the (ground|floor))\b", re.I), "ground"),
    (re.compile(r"\b(low[- ]angle|from below|lower (the )?camera|looking up at)\b", re.I), "low"),
    (re.compile(r"\b(high[- ]angle|from above|raise (the )?camera|looking down (at|on))\b", re.I), "high"),
    (re.compile(r"\beye[- ]level\b", re.I), "eye"),
)
#: How much longer or shorter a note makes a shot, and the bounds it stays in.
TIMING_STEP, MIN_S, MAX_S = 1.0, 1.0, 12.0


@dataclass
class NoteReading:
    """What a note asks of one shot: the new field values and one short phrase per change."""

    fields: dict[str, Any] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)


def read_note(note: str, *, size: str, duration_s: float, camera: dict[str, Any], characters: list[dict[str, Any]]) -> NoteReading:
    """The changes ``note`` asks of a shot as it stands (size, duration, camera, staged characters)."""
    reading = NoteReading()
    _size(note, size, reading)
    _timing(note, duration_s, reading)
    _move(note, camera, reading)
    _angle(note, camera, reading)
    _staging(note, characters, reading)
    return reading


def _size(note: str, size: str, reading: NoteReading) -> None:
    closer, wider = bool(_CLOSER.search(note)), bool(_WIDER.search(note))
    if closer == wider or size not in SCALE:
        return
    index = SCALE.index(size) + (1 if closer else -1)
    new = SCALE[max(0, min(len(SCALE) - 1, index))]
    if new != size:
        reading.fields["size"] = new
        reading.said.append(f"size {size}→{new}")


def _timing(note: str, duration_s: float, reading: NoteReading) -> None:
    longer, shorter = bool(_LONGER.search(note)), bool(_SHORTER.search(note))
    if longer == shorter:
        return
    new = round(max(MIN_S, min(MAX_S, duration_s + (TIMING_STEP if longer else -TIMING_STEP))), 2)
    if new != duration_s:
        reading.fields["duration_s"] = new
        reading.said.append(f"duration {duration_s:g}→{new:g} s")


def _move(note: str, camera: dict[str, Any], reading: NoteReading) -> None:
    lowered = note.lower()
    for words, move in _MOVES.items():
        if words in lowered and move in CAMERA_MOVES and camera.get("move", "static") != move:
            reading.fields["camera"] = {**camera, "move": move}
            reading.said.append(f"camera {camera.get('move', 'static')}→{move}")
            return


def _angle(note: str, camera: dict[str, Any], reading: NoteReading) -> None:
    """'a low angle', 'from above', 'overhead': the camera's height (the shot list's ``camera.height``)."""
    height = next((h for pattern, h in _ANGLES if pattern.search(note)), None)
    before = str(camera.get("height", "eye"))
    if height is None or height not in HEIGHTS or height == before:
        return
    reading.fields["camera"] = {**reading.fields.get("camera", camera), "height": height}
    reading.said.append(f"camera height {before}→{height}")


def _staging(note: str, characters: list[dict[str, Any]], reading: NoteReading) -> None:
    """Facing and side: 'she looks at him' turns the looker towards the other; 'Tom to the left' moves Tom."""
    if not characters:
        return
    staged = [dict(c) for c in characters]
    said: list[str] = []
    if _TO_CAMERA.search(note):
        said += _face(staged, _who(staged, _TO_CAMERA.search(note).group(0)), "camera")  # type: ignore[union-attr]
    elif (looks := _LOOKS_AT.search(note)) is not None and len(staged) >= 2:
        looker = _who(staged, looks.group(1))
        other = next((c for c in staged if c is not looker), None)
        if looker is not None and other is not None:
            direction = "right" if float(other.get("x", 0.5)) >= float(looker.get("x", 0.5)) else "left"
            said += _face(staged, looker, direction)
    elif (away := _LOOKS_AWAY.search(note)) is not None:
        said += _face(staged, _who(staged, away.group(1)), "away")
    for match in _MOVE_SIDE.finditer(note):
        mover = next((c for c in staged if str(c.get("id", "")).lower() == match.group(1).lower()), None)
        if mover is not None:
            x = float(mover.get("x", 0.5))
            new = round(max(0.0, x - 0.25) if match.group(2).lower() == "left" else min(1.0, x + 0.25), 2)
            if new != x:
                mover["x"] = new
                said.append(f"{mover.get('id')} moved {match.group(2).lower()} (x {x:g}→{new:g})")
    if said:
        reading.fields["characters"] = staged
        reading.said += said


def _who(staged: list[dict[str, Any]], word: str) -> dict[str, Any] | None:
    """The staged character a word names (an id), else the first one standing (a pronoun: the shot's subject)."""
    word = word.lower()
    return next((c for c in staged if str(c.get("id", "")).lower() in word.split()), staged[0])


def _face(staged: list[dict[str, Any]], who: dict[str, Any] | None, facing: str) -> list[str]:
    if who is None or who.get("facing", "camera") == facing:
        return []
    before = who.get("facing", "camera")
    who["facing"] = facing
    return [f"{who.get('id')} faces {facing} (was {before})"]


def apply_note(store: Store, project: str, shot: str, note: str) -> list[str]:
    """Read ``note`` against ``shot`` as stored, write the changes, and record them on the shot
    (``notes["note_changes"]``: the card's "what changed"); returns them (empty when no pattern read anything)."""
    row = store.shot(project, shot)
    reading = read_note(note, size=row.size, duration_s=float(row.duration_s), camera=dict(row.camera or {}),
                        characters=[dict(c) for c in row.characters])
    if reading.fields:
        store.update_shot(project, shot, **reading.fields)
    store.annotate(project, shot, role="note_changes", data=reading.said)
    return reading.said
