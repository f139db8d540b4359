"""Coverage helpers: turn a planned scene (beats) into shots that pass every error rule by construction.

The cinematographer (or an LLM planning for it) describes a scene as ``Beat``s — who is on screen, who
says which line, a rough size wish — and ``plan_scene`` stages them the way a camera crew would:

- every character gets one side of the frame for the whole scene (the director's blocking, else the
  order they appear in), so the 180° line holds in two-shots and singles alike;
- singles look toward the person they talk to (shot–reverse-shot from one side of the line), and two
  back-to-back singles never look the same way; where the blocking makes that impossible the beat is
  covered in a two-shot instead;
- a scene at a new location opens on an establishing shot wider than anything after it;
- a character who reverses screen direction gets a neutral shot across the line first;
- two consecutive shots of the same people never share size and angle (no jump cuts).

Example::

    beats = [Beat(speaker="mara", line="You came back."), Beat(speaker="tom", line="The lamp was out.")]
    shots = plan_scene("s1", beats, blocking={"mara": "left", "tom": "right"}, location="lamp room")
    # -> s1-01 WS two-shot (establishing), s1-02 MCU single of Mara looking right, s1-03 MCU single of Tom looking left

``dialogue_coverage`` is the two-hander shortcut; ``establishing`` builds the opening shot alone.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from agents.grammar.fixes import crossing_shot
from agents.grammar.geometry import angle_gap, is_single, screen_side, single_of
from agents.grammar.length import DEFAULT_LONGEST_CLIP_S, pieces_needed, split_shot
from memory.shotlist import DIRECTIONS, SIZES, Camera, DialogueLine, Movement, Shot, Staging

Framing = Literal["single", "ots", "two_shot", "group"]

SIZE_WORDS: dict[str, str] = {
    "extreme wide": "EWS", "extreme long": "EWS", "wide": "WS", "long": "WS", "full": "FS",
    "medium wide": "MWS", "medium long": "MWS", "cowboy": "MWS", "medium": "MS", "mid": "MS",
    "medium close": "MCU", "medium close-up": "MCU", "close": "CU", "close-up": "CU", "closeup": "CU",
    "extreme close": "ECU", "extreme close-up": "ECU", "detail": "INSERT", "insert": "INSERT",
}
_SIDE_RANK = {"left": 0, "center": 1, "centre": 1, "middle": 1, "right": 2}
_COVERAGE_ANGLE = 30.0
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_OPENING_SECONDS = 3.0
#: A shot may run this much past the pace's shot length before it is covered by several (a long beat
#: becomes pieces of about the pace's length; none is longer than this many times it).
_PACE_SLACK = 1.2


class Beat(BaseModel):
    """One moment of a scene as a planner describes it; ``plan_scene`` turns it into one shot."""

    characters: list[str] = Field(default_factory=list, description="Who is on screen. Empty: the speaker alone, or nobody (a cutaway).")
    speaker: str | None = Field(None, description="Character id of who speaks in this beat, if anyone.")
    line: str | None = Field(None, description="What they say.")
    parenthetical: str | None = Field(None, description="Delivery note, e.g. 'quietly'.")
    size: str | None = Field(None, description="Rough size wish: a shot size (WS, MS, CU…) or words like 'wide', 'close-up'.")
    framing: Framing | None = Field(None, description="Coverage wish: single, ots, two_shot or group; chosen from who is on screen if empty.")
    description: str = Field("", description="What happens, in plain words.")
    duration_s: float | None = Field(None, description="How long the beat holds; estimated from the line if empty.")
    movement: Movement | None = Field(None, description="A character's screen direction in this beat, if someone moves.")


def normalize_size(wish: str | None, default: str) -> str:
    """A size from a wish (``'CU'``, ``'close-up'``, ``'wide'``), or ``default`` for anything unrecognised."""
    if not wish:
        return default
    text = " ".join(wish.replace("_", " ").split()).strip()
    if text.upper() in SIZES:
        return text.upper()
    text = text.casefold().removesuffix(" shot")
    return SIZE_WORDS.get(text, default)


def screen_order(beats: Iterable[Beat], blocking: Sequence[str] | Mapping[str, str | float] = ()) -> list[str]:
    """Everyone the scene shows, left to right: the director's blocking first, then in order of appearance.

    ``blocking`` is either ids left to right, or id → ``left``/``center``/``right`` (or an ``x``).
    """
    seen: dict[str, None] = {}
    for beat in beats:
        for who in _on_screen(beat):
            seen.setdefault(who)
    if isinstance(blocking, Mapping):
        def rank(who: str) -> float:
            side = blocking.get(who)
            if isinstance(side, int | float) and math.isfinite(side):
                return float(side) * 2.0
            return float(_SIDE_RANK.get(str(side).casefold(), 1)) if side is not None else 1.5
        placed = [w for w in blocking if isinstance(w, str)]
        cast = list(dict.fromkeys([*placed, *seen]))
        return sorted(cast, key=rank)
    return list(dict.fromkeys([*blocking, *seen]))


def establishing(
    scene_id: str,
    characters: Sequence[str],
    *,
    shot_id: str | None = None,
    size: str = "WS",
    duration_s: float = _OPENING_SECONDS,
    camera_move: str = "static",
    description: str = "",
) -> Shot:
    """The opening wide shot of a scene: everyone in their place, left to right as listed, at the master angle."""
    n = len(characters)
    return Shot(
        id=shot_id or f"{scene_id}-01",
        size=size,
        duration_s=duration_s,
        framing=_group_framing(n),
        characters=[Staging(id=c, x=_spread(k, n), facing=_toward_middle(k, n)) for k, c in enumerate(characters)],
        camera=Camera(angle_deg=0.0, move=camera_move),
        description=description or "Establishing shot: where we are and who is here.",
    )


def plan_scene(
    scene_id: str,
    beats: Sequence[Beat],
    *,
    blocking: Sequence[str] | Mapping[str, str | float] = (),
    new_location: bool = True,
    location: str = "",
    opening_size: str = "WS",
    closeup_size: str = "MCU",
    opening_move: str = "static",
    lens_mm: float | None = None,
    lighting: str | None = None,
    duration_s: float | None = None,
    first_index: int = 1,
    longest_s: float | None = DEFAULT_LONGEST_CLIP_S,
    shot_s: float | None = None,
) -> list[Shot]:
    """Shots for one scene, in order, that pass every error rule of ``dailies check`` by construction.

    ``new_location`` opens the scene on an establishing shot (``opening_size``, made wider than every
    later shot); singles default to ``closeup_size``. ``duration_s`` scales the shots to that total.
    A beat held longer than ``longest_s`` (the generator's longest clip) — or more than a fifth longer than
    ``shot_s`` (the average shot length the pace asks for) — is covered by several shots alternating its framing
    with a cut-in (``agents.grammar.length.split_shot``), so no shot breaks ``shot_length`` and a long
    scene cuts at the pace's rhythm. Shot ids are ``<scene_id>-NN`` from ``first_index``.
    """
    beats = [_clean(beat) for beat in beats]
    order = screen_order(beats, blocking)
    if not new_location:  # only people the scene shows count for the line of action
        shown = {who for beat in beats for who in _on_screen(beat)}
        order = [who for who in order if who in shown]
    slot = {who: k for k, who in enumerate(order)}
    single_size = normalize_size(closeup_size, "MCU")
    planned: list[tuple[Shot, Beat | None]] = []
    if new_location:
        place = _LEADING_ARTICLE.sub("", location.strip())  # "The hillside farm" is no "of the The hillside farm"
        where = f" of the {place}" if place else ""
        opening = SIZES[min(SIZES.index(normalize_size(opening_size, "WS")), SIZES.index("FS"))]
        planned.append((establishing(scene_id, order, size=opening, camera_move=opening_move,
                                     description=f"Establishing shot{where}: everyone in their place."), None))
    heading: dict[str, str] = {}  # character -> left_to_right / right_to_left so far
    for beat in beats:
        move = beat.movement
        if move is not None and move.direction in ("left_to_right", "right_to_left"):
            if heading.get(move.character, move.direction) != move.direction:
                planned.append((crossing_shot("", (move.character,), scene_id), None))
                heading.clear()
            heading[move.character] = move.direction
        previous = planned[-1][0] if planned else None
        planned.append((_beat_shot(beat, order, slot, previous, single_size), beat))
    _time(planned, duration_s)
    shots = _cover([shot for shot, _ in planned], longest_s, shot_s)
    if new_location and len(shots) > 1:
        _open_wider(shots)
    _break_jump_cuts(shots)
    for n, shot in enumerate(shots, start=first_index):
        shot.id = f"{scene_id}-{n:02d}"
        shot.camera.lens_mm = lens_mm if lens_mm is None else float(lens_mm)
        shot.lighting = lighting
    return shots


def dialogue_coverage(
    scene_id: str,
    a: str,
    b: str,
    lines: Sequence[tuple[str, str] | DialogueLine],
    *,
    style: Literal["singles", "ots"] = "singles",
    **options: object,
) -> list[Shot]:
    """A two-hander: a master two-shot, then matched singles (or over-the-shoulders) for each line.

    ``a`` stands on the left, ``b`` on the right, and the camera stays on one side of the line
    (shot–reverse-shot). ``options`` are ``plan_scene``'s keywords (sizes, lens, duration…).
    """
    beats = []
    for item in lines:
        speaker, text = (item.character, item.line) if isinstance(item, DialogueLine) else item
        on = [speaker] if style == "singles" or speaker not in (a, b) else [speaker, b if speaker == a else a]
        beats.append(Beat(characters=on, speaker=speaker, line=text, framing="single" if len(on) == 1 else "ots"))
    options.setdefault("blocking", [a, b])
    return plan_scene(scene_id, beats, **options)  # type: ignore[arg-type]


def _clean(beat: Beat) -> Beat:
    """Drop what would break the rules rather than the story: a movement in no known direction."""
    if beat.movement is not None and beat.movement.direction not in DIRECTIONS:
        return beat.model_copy(update={"movement": None})
    return beat


def _on_screen(beat: Beat) -> list[str]:
    """Who the beat shows: its characters, else the speaker; and whoever moves (a move must be seen)."""
    on = list(dict.fromkeys(beat.characters)) or ([beat.speaker] if beat.speaker else [])
    if beat.movement is not None and beat.movement.character not in on:
        on.append(beat.movement.character)
    return on


def _beat_shot(beat: Beat, order: list[str], slot: dict[str, int], previous: Shot | None, single_size: str) -> Shot:
    on = sorted(_on_screen(beat), key=slot.__getitem__)
    dialogue = []
    if beat.line and (beat.speaker or on):
        dialogue = [DialogueLine(character=beat.speaker or on[0], line=beat.line, parenthetical=beat.parenthetical)]
    shot = Shot(id="", description=beat.description, dialogue=dialogue, movement=beat.movement)
    if beat.framing == "ots" and len(on) == 2:
        face = beat.speaker if beat.speaker in on else on[0]
        return _ots(shot, face, next(c for c in on if c != face), slot, normalize_size(beat.size, "MS"))
    if len(on) == 1:
        return _single(shot, on[0], order, slot, previous, normalize_size(beat.size, single_size), beat.movement)
    if len(on) >= 2:
        shot.size = normalize_size(beat.size, "MS" if len(on) == 2 else "FS")
        shot.framing = _group_framing(len(on))
        shot.characters = [Staging(id=c, x=_spread(k, len(on)), facing=_toward_middle(k, len(on))) for k, c in enumerate(on)]
        return shot
    shot.size = normalize_size(beat.size, "WS")  # a cutaway: nobody on screen
    return shot


def _single(shot: Shot, me: str, order: list[str], slot: dict[str, int], previous: Shot | None, size: str,
            movement: Movement | None) -> Shot:
    """A single looking toward whom the cut implies they look at (see ``geometry.looked_at``)."""
    others = [c for c in order if c != me]
    before = single_of(previous)
    target = others[0] if len(others) == 1 else (before if before is not None and before != me else None)
    if target is not None and target in slot:
        facing = "right" if slot[me] < slot[target] else "left"
        if previous is not None and is_single(previous) and before != me and screen_side(previous.characters[0].facing) == facing:
            # The single before looks the same way: cover this beat as a two-shot with that character instead.
            pair = sorted((me, target), key=slot.__getitem__)
            shot.size, shot.framing = "MS", "two_shot"
            shot.characters = [Staging(id=c, x=_spread(k, 2), facing=_toward_middle(k, 2)) for k, c in enumerate(pair)]
            return shot
        if movement is not None and movement.character == me and screen_side(_heading(movement.direction) or "") not in (None, facing):
            facing = "camera"  # walking away from whom they talk to: a three-quarter view keeps the line
    else:
        middle = (len(order) - 1) / 2
        walking = _heading(movement.direction) if movement is not None and movement.character == me else None
        facing = walking or ("right" if slot[me] < middle else "left" if slot[me] > middle else "camera")
    shot.size, shot.framing = size, "single"
    shot.characters = [Staging(id=me, x=0.4 if facing == "right" else 0.6 if facing == "left" else 0.5, facing=facing)]
    shot.camera.angle_deg = _COVERAGE_ANGLE if slot[me] < (len(order) - 1) / 2 else -_COVERAGE_ANGLE if slot[me] > (len(order) - 1) / 2 else 0.0
    return shot


def _ots(shot: Shot, face: str, shoulder: str, slot: dict[str, int], size: str) -> Shot:
    """Over the shoulder of ``shoulder`` onto ``face``, both kept on their side of the line."""
    face_left = slot[face] < slot[shoulder]
    shot.size, shot.framing = size, "ots"
    shot.characters = [
        Staging(id=face, x=0.35 if face_left else 0.65, facing="right" if face_left else "left"),
        Staging(id=shoulder, x=0.85 if face_left else 0.15, facing="away"),
    ]
    shot.camera.angle_deg = _COVERAGE_ANGLE if face_left else -_COVERAGE_ANGLE
    return shot


def _heading(direction: str) -> str | None:
    return {"left_to_right": "right", "right_to_left": "left"}.get(direction)


def _open_wider(shots: list[Shot]) -> None:
    """Make the opening shot strictly wider than every shot after it."""
    rest = [SIZES.index(s.size) for s in shots[1:]]
    widest = min(rest)
    opening = SIZES.index(shots[0].size)
    if opening < widest:
        return
    if widest == 0:
        for s in shots[1:]:
            if s.size == SIZES[0]:
                s.size = SIZES[1]
    shots[0].size = SIZES[max(0, widest - 1)]


def _break_jump_cuts(shots: list[Shot]) -> None:
    """Nudge the size of any shot that would jump-cut from the one before (tighter, or wider at the end)."""
    for prev, cur in itertools.pairwise(shots):
        cast = {s.id for s in cur.characters}
        if cast and cur.size == prev.size and cast == {s.id for s in prev.characters} and angle_gap(prev.camera.angle_deg, cur.camera.angle_deg) < 30:
            i = SIZES.index(cur.size)
            cur.size = SIZES[i + 1] if i + 1 <= SIZES.index("ECU") else SIZES[SIZES.index("CU")]


#: How much longer than its estimate a line's shot may grow when a scene has time to spare.
LINE_STRETCH = 1.5


def _time(planned: list[tuple[Shot, Beat | None]], total: float | None) -> None:
    """Each beat's wished duration, else one estimated from its line; then scale to ``total`` if given.

    A scene with time to spare gives it to its silent beats (the establishing shot, the action) once each line
    is held half as long again as it takes: spread evenly, a 14 s scene with one 5-word line was that line and
    three "Parrot holds the moment after the line" cut-ins, its action seen for 6 s (a 45 s nurse film).
    """
    for shot, beat in planned:
        if beat is None:
            continue
        wish = beat.duration_s
        if wish is not None and math.isfinite(wish) and 0 < wish <= 600:
            shot.duration_s = wish
        elif beat.line:
            shot.duration_s = round(max(2.0, 1.0 + 0.4 * len(beat.line.split())), 1)
        else:
            shot.duration_s = 3.0
    if total is None or not (math.isfinite(total) and total > 0) or not planned:
        return
    wished = math.fsum(shot.duration_s for shot, _ in planned)
    spoken = [shot for shot, beat in planned if beat is not None and beat.line]
    silent = [shot for shot, beat in planned if beat is None or not beat.line]
    factor = total / wished
    if factor > LINE_STRETCH and spoken and silent:
        # Time to spare goes to what is seen, not to lines held on: a line's shot grows by LINE_STRETCH at most.
        for shot in spoken:
            shot.duration_s *= LINE_STRETCH
        rest = total - math.fsum(shot.duration_s for shot in spoken)
        factor_silent = rest / math.fsum(shot.duration_s for shot in silent)
        for shot in silent:
            shot.duration_s *= factor_silent
        factor = 1.0
    for shot, _ in planned:
        shot.duration_s = max(0.01, round(shot.duration_s * factor, 2))


def _cover(shots: list[Shot], longest_s: float | None, shot_s: float | None) -> list[Shot]:
    """Split every shot longer than the clip limit, or than the pace's shot length by a fifth, into coverage."""
    if longest_s is not None and not (math.isfinite(longest_s) and longest_s > 0):
        raise ValueError(f"longest_s must be a positive number of seconds, got {longest_s!r}")
    if shot_s is not None and not (math.isfinite(shot_s) and shot_s > 0):
        raise ValueError(f"shot_s must be a positive number of seconds, got {shot_s!r}")
    covered: list[Shot] = []
    taken: set[str] = set()
    for shot in shots:
        n = pieces_needed(shot.duration_s, longest_s) if longest_s is not None else 1
        if shot_s is not None and math.isfinite(shot.duration_s):
            n = max(n, math.ceil(shot.duration_s / (_PACE_SLACK * shot_s)), round(shot.duration_s / shot_s))
        covered.extend(split_shot(shot, n, taken))
    return covered


def _group_framing(n: int) -> str | None:
    return {0: None, 1: "single", 2: "two_shot"}.get(n, "group")


def _spread(k: int, n: int) -> float:
    return round((k + 1) / (n + 1), 3)


def _toward_middle(k: int, n: int) -> str:
    middle = (n - 1) / 2
    return "right" if k < middle else "left" if k > middle else "camera"
