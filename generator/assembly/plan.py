"""The cut in whole frames: where every item starts and ends, and how much it overlaps its neighbours.

Why snap once, here: ffmpeg, the subtitles and the timeline must agree to the frame. Item boundaries
are rounded from the planned *cumulative* times (not item by item), so rounding never accumulates:
the film's length is the planned length, within half a frame, however many shots it has.

Items are the title card (if any), the shots in order, then the credits card (if any). For item ``i``
the plan holds its first and last-plus-one frame on the film's timeline (``start``, ``end``), its
overlap with the item before (a dissolve) and its fade in/out frames (fades into and out of black).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from generator.assembly.edit_list import EditClip, EditList, Transition
from generator.errors import AssemblyError

ItemKind = Literal["title", "shot", "credits"]


@dataclass(frozen=True)
class PlannedItem:
    """One item of the cut, in frames of the film's timeline."""

    kind: ItemKind
    name: str
    planned_s: float
    start: int
    end: int
    overlap_in: int = 0
    fade_in: int = 0
    fade_out: int = 0
    clip: EditClip | None = None
    source: Path | None = None

    @property
    def frames(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class CutPlan:
    """Every item of the cut, and the film's length in frames."""

    items: tuple[PlannedItem, ...]
    fps: int
    sample_rate: int

    @property
    def total_frames(self) -> int:
        return self.items[-1].end

    @property
    def duration_s(self) -> float:
        return self.total_frames / self.fps

    def overlap_out(self, index: int) -> int:
        """Frames item ``index`` shares with the next item (its outgoing dissolve)."""
        return self.items[index + 1].overlap_in if index + 1 < len(self.items) else 0

    def samples(self, frames: int) -> int:
        """Audio samples that last exactly ``frames`` video frames (rounded to a sample)."""
        return round(frames * self.sample_rate / self.fps)


def frames_needed(duration_s: float, fps: int) -> int:
    """Frames a normalised take must hold to fill ``duration_s`` wherever it falls on the timeline.

    A boundary rounded from cumulative time can make an item one frame longer than ``duration_s × fps``
    rounded down, never more than the ceiling: so the ceiling is enough.
    """
    return max(1, math.ceil(round(duration_s * fps, 6)))


def plan_cut(edit: EditList) -> CutPlan:
    """Snap the edit list to frames. Raises ``AssemblyError`` naming the shot whose transition cannot fit."""
    fps = edit.fps
    raw: list[tuple[ItemKind, str, float, Transition, EditClip | None]] = []
    if edit.title_s > 0:
        raw.append(("title", "title", edit.title_s, Transition(), None))
    raw += [("shot", c.shot_id, c.duration_s, c.transition_in, c) for c in edit.clips]
    if edit.credits_s > 0:
        raw.append(("credits", "credits", edit.credits_s, edit.credits_transition, None))

    # Seconds first: start of each item on the film's timeline, dissolves pulling it earlier.
    starts: list[float] = []
    cursor = 0.0
    for index, (_, name, duration, transition, _) in enumerate(raw):
        overlap = 0.0
        if index > 0 and transition.kind == "dissolve":
            previous = raw[index - 1][2]
            limit = min(previous, duration)
            if transition.duration_s >= limit:
                raise AssemblyError(
                    f"shot {name!r}: a {transition.duration_s:g} s dissolve does not fit between clips of "
                    f"{previous:g} s and {duration:g} s (it must be shorter than both)",
                    shot_id=name if raw[index][0] == "shot" else None,
                )
            overlap = transition.duration_s
        cursor -= overlap
        starts.append(cursor)
        cursor += duration

    def snap(seconds: float) -> int:
        return math.floor(seconds * fps + 0.5 + 1e-9)

    bounds = [(snap(s), snap(s + r[2])) for s, r in zip(starts, raw, strict=True)]
    items: list[PlannedItem] = []
    for index, ((kind, name, duration, transition, clip), (start, end)) in enumerate(
        zip(raw, bounds, strict=True)
    ):
        if end - start < 1:
            raise AssemblyError(
                f"{kind} {name!r}: {duration:g} s is shorter than one frame at {fps} fps",
                shot_id=name if clip else None,
            )
        overlap_in = bounds[index - 1][1] - start if index > 0 and transition.kind == "dissolve" else 0
        if overlap_in and overlap_in >= min(end - start, bounds[index - 1][1] - bounds[index - 1][0]):
            raise AssemblyError(
                f"{kind} {name!r}: the dissolve is as long as a clip it joins once snapped to {fps} fps; make it shorter",
                shot_id=name if clip else None,
            )
        fade_in = 0
        if transition.kind == "fade" or (index == 0 and transition.kind == "dissolve"):
            fade_in = (
                _half(transition.duration_s, fps, second=True) if index > 0 else snap(transition.duration_s)
            )
        items.append(PlannedItem(
            kind=kind, name=name, planned_s=duration, start=start, end=end, overlap_in=overlap_in,
            fade_in=min(fade_in, end - start), clip=clip, source=clip.path if clip else None,
        ))  # fmt: skip
    for index, item in enumerate(items[:-1]):
        outgoing = items[index + 1].overlap_in
        if item.overlap_in + outgoing > item.frames:
            raise AssemblyError(
                f"{item.kind} {item.name!r}: its dissolves in ({item.overlap_in} frames) and out ({outgoing} frames) "
                f"overlap inside its {item.frames} frames; shorten them",
                shot_id=item.name if item.clip else None,
            )
    # Fade-outs belong to the item before a fade.
    for index in range(len(items) - 1):
        transition = raw[index + 1][3]
        if transition.kind == "fade":
            out = _half(transition.duration_s, fps, second=False)
            items[index] = replace(
                items[index], fade_out=min(out, items[index].frames - items[index].fade_in)
            )
    return CutPlan(items=tuple(items), fps=fps, sample_rate=edit.sample_rate)


def _half(duration_s: float, fps: int, *, second: bool) -> int:
    """Frames of one half of a dip to black: the fade-out gets the first half, the fade-in the rest."""
    total = math.floor(duration_s * fps + 0.5)
    first = total // 2
    return total - first if second else first
