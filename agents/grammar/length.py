"""The ``shot_length`` rule: no shot may last longer than the generator renders in one clip.

Why: a video model makes clips of a fixed length (Wan about 5 s, LTX-Video up to about 10 s, the
animatic what its setting says). A 40-second shot cannot be rendered as one take: it would be cut short,
or fail. An editor would cover such a moment with several shots anyway, so the fix splits the shot into
coverage — the original framing and a cut-in (or cut-out) alternating, the same people in the same
places, so no rule that held before breaks (no jump cut: consecutive pieces never share a size; the
180° line and the eyelines hold because the staging is unchanged).

Where the limit comes from: the shot list's top-level ``longest_clip_s`` (a number of seconds, written
by whoever knows the backend), else ``DEFAULT_LONGEST_CLIP_S`` (the animatic's default). ``dailies
check --longest-clip`` and the crew set it with ``with_clip_limit`` before checking.
"""

from __future__ import annotations

import math
from typing import Final

from agents.grammar.findings import Finding, FixAction
from agents.grammar.geometry import every_shot
from memory.shotlist import SIZES, DialogueLine, Shot, ShotList

#: The animatic's longest clip by default (``agents.settings.Settings.animatic_longest_clip_s``).
DEFAULT_LONGEST_CLIP_S: Final = 10.0
#: The shot list's top-level field that carries the limit.
LIMIT_FIELD: Final = "longest_clip_s"
#: A shot this much over the limit still counts as at the limit (durations are rounded to 0.01 s).
_SLACK: Final = 1e-6
#: The tightest cut-in a split gives, by how many people are in the shot (a crowd is not framed in a close-up).
_TIGHTEST: Final = {0: "CU", 1: "CU", 2: "MS"}
_TIGHTEST_GROUP: Final = "MWS"


def valid_limit(value: object) -> float | None:
    """``value`` as a limit in seconds when it is a positive finite number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def clip_limit(shotlist: ShotList) -> float:
    """The longest shot this plan may hold: its ``longest_clip_s`` if valid, else the default."""
    given = valid_limit((shotlist.model_extra or {}).get(LIMIT_FIELD))
    return given if given is not None else DEFAULT_LONGEST_CLIP_S


def with_clip_limit(shotlist: ShotList, seconds: float | None) -> ShotList:
    """A copy of ``shotlist`` checked against ``seconds`` (``None``: the plan as it is)."""
    if seconds is None:
        return shotlist
    if valid_limit(seconds) is None:
        raise ValueError(f"longest_clip_s must be a positive number of seconds, got {seconds!r}")
    return shotlist.model_copy(update={LIMIT_FIELD: float(seconds)})


def pieces_needed(duration_s: float, limit_s: float) -> int:
    """How many shots ``duration_s`` must become so that none is longer than ``limit_s`` (1: it fits)."""
    if not (math.isfinite(duration_s) and duration_s > 0):
        return 1
    return max(1, math.ceil(duration_s / limit_s - _SLACK))


def shot_length(shotlist: ShotList) -> list[Finding]:
    """A shot lasts longer than ``longest_clip_s`` (exactly the limit is fine)."""
    limit = clip_limit(shotlist)
    findings: list[Finding] = []
    for shot in every_shot(shotlist):
        n = pieces_needed(shot.duration_s, limit)
        if n == 1:
            continue
        sizes = " and ".join(dict.fromkeys((shot.size, cut_in_size(shot))))
        findings.append(Finding(
            rule="shot_length",
            severity="error",
            shots=(shot.id,),
            message=(
                f"{shot.id} lasts {shot.duration_s:g} s but the generator renders at most {limit:g} s in one clip: "
                f"the take would be cut short."
            ),
            fix=(
                f"Split {shot.id} into {n} shots of about {shot.duration_s / n:.1f} s (coverage alternating {sizes}), "
                f"or shorten it to {limit:g} s."
            ),
            action=FixAction(kind="split", shot=shot.id, pieces=n),
        ))
    return findings


def cut_in_size(shot: Shot) -> str:
    """The size a split alternates with: two steps tighter (not tighter than the cast allows), else wider."""
    if shot.size not in SIZES or shot.size == "INSERT":
        return "MS" if shot.size != "MS" else "CU"
    here = SIZES.index(shot.size)
    tightest = SIZES.index(_TIGHTEST.get(len(shot.characters), _TIGHTEST_GROUP))
    if here < tightest:
        return SIZES[min(here + 2, tightest)]
    return SIZES[max(0, here - 2)]


def split_shot(shot: Shot, pieces: int, taken: set[str]) -> list[Shot]:
    """``shot`` as ``pieces`` consecutive shots covering the same moment: same people, same places.

    The first piece keeps the id, the framing and any hand-written prompt; the others alternate with
    ``cut_in_size`` and get fresh ids (``<id>-2``, ``-3``…, skipping ``taken``, which is updated). The
    durations add up to the original exactly; dialogue lines are shared out in order. A piece without a
    line does not quote one in its description: it holds the moment after the last line said
    (``after_the_line``), so the prompt of a silent cut-in never asks for a mouth that speaks.
    """
    if pieces <= 1:
        return [shot]
    other = cut_in_size(shot)
    # Rounded to 0.01 s on the running sum: every piece is within 0.01 s of an equal share (a last piece
    # that took every piece's rounding grew past the clip limit: 46 pieces of 4.97 s and one of 5.2 s).
    cuts = [round(shot.duration_s * k / pieces, 2) for k in range(pieces + 1)]
    lines = list(shot.dialogue)
    out: list[Shot] = []
    for k in range(pieces):
        piece = shot.model_copy(deep=True)
        piece.duration_s = round(cuts[k + 1] - cuts[k], 2)
        piece.dialogue = [line for j, line in enumerate(lines) if j * pieces // len(lines) == k]
        if lines and not piece.dialogue:
            piece.description = after_the_line(shot, lines[min(len(lines) - 1, k * len(lines) // pieces)])
        if k:
            piece.id = _fresh_id(f"{shot.id}-{k + 1}", taken)
            piece.crosses_axis = False
        if k % 2:
            piece.size = other
            piece.prompt = None  # a compiled prompt names the old size; it is compiled again for the new one
        taken.add(piece.id)
        out.append(piece)
    return out


def after_the_line(shot: Shot, said: DialogueLine) -> str:
    """The description of a silent piece of a split dialogue shot: ``shot``'s own, unless it quotes a line."""
    if not any(line.line and line.line in shot.description for line in shot.dialogue):
        return shot.description
    return f"{said.character.capitalize()} holds the moment after the line."


def _fresh_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}.{n}"
    return candidate
