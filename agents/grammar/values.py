"""Value rules: ``unknown_character``, ``bad_value`` and ``runtime`` — is the plan even well-formed film.

Why these are findings and not parse errors: a creator editing by hand should hear *which* shot names
a character nobody declared, or lasts no time at all, in the same report as the grammar problems,
instead of a file that refuses to load.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Iterator

from agents.grammar.findings import Finding
from agents.grammar.geometry import every_shot
from agents.grammar.length import LIMIT_FIELD, valid_limit
from generator.assembly import card_lengths
from memory.shotlist import DIRECTIONS, FACINGS, FRAMINGS, SIZES, Shot, ShotList

RUNTIME_TOLERANCE = 0.05
_SUGGEST_FROM = 500


def unknown_character(shotlist: ShotList) -> list[Finding]:
    """A shot or dialogue line names a character the file does not declare."""
    declared = {c.id for c in shotlist.characters}
    suggestions = [c.id for c in shotlist.characters[:_SUGGEST_FROM]]
    findings: list[Finding] = []
    for shot in every_shot(shotlist):
        unknown = [n for n in dict.fromkeys(_names_in(shot)) if n not in declared]
        if not unknown:
            continue
        listed = ", ".join(repr(n) for n in unknown)
        hints = [f"{close[0]!r} for {n!r}" for n in unknown if (close := difflib.get_close_matches(n, suggestions, n=1, cutoff=0.75))]
        findings.append(Finding(
            rule="unknown_character",
            severity="error",
            shots=(shot.id,),
            message=f"{shot.id} names {listed}, who {'is' if len(unknown) == 1 else 'are'} not among the film's characters.",
            fix=(f"Did you mean {', '.join(hints)}? " if hints else "") + "Use a declared character id, or add the character to `characters`.",
        ))
    return findings


def _names_in(shot: Shot) -> Iterator[str]:
    yield from (s.id for s in shot.characters)
    yield from (line.character for line in shot.dialogue)
    if shot.movement is not None:
        yield shot.movement.character
    yield from shot.wardrobe


def bad_value(shotlist: ShotList) -> list[Finding]:
    """A value is outside its range: duration ≤ 0, ``x`` outside 0…1, an unknown size (and the other enumerations).

    Also checked, because every later rule relies on them: ``angle_deg`` within -180…180, ``facing``,
    ``framing`` and movement ``direction`` among their allowed words, a positive ``target_runtime_s`` and
    ``longest_clip_s``, and ids that are unique in the file.
    """
    findings: list[Finding] = []
    target = shotlist.target_runtime_s
    if target is not None and not (0 < target < math.inf):
        findings.append(_bad((), f"The target running time is {target:g} s; it must be more than 0.", "Set target_runtime_s to the film's intended length in seconds."))
    limit = (shotlist.model_extra or {}).get(LIMIT_FIELD)
    if limit is not None and valid_limit(limit) is None:
        findings.append(_bad((), f"longest_clip_s is {limit!r}; it must be a positive number of seconds.",
                             "Set longest_clip_s to the generator's longest clip in seconds (e.g. 5 for Wan), or leave it out for 10."))
    for kind, ids in (("character", [c.id for c in shotlist.characters]), ("scene", [s.id for s in shotlist.scenes])):
        for dup, n in Counter(ids).items():
            if n > 1:
                findings.append(_bad((), f"The {kind} id {dup!r} is used {n} times; ids must be unique.", f"Rename all but one of the {kind}s called {dup!r}."))
    seen: set[str] = set()
    for shot in every_shot(shotlist):
        findings.extend(_bad((shot.id,), message, fix) for message, fix in _shot_problems(shot))
        if shot.id in seen:  # reported at each repeat, never at the first use
            findings.append(_bad((shot.id,), f"The shot id {shot.id!r} is used more than once; findings and edits could not tell the shots apart.", f"Give each shot called {shot.id!r} its own id."))
        seen.add(shot.id)
    return findings


def _shot_problems(shot: Shot) -> Iterator[tuple[str, str]]:
    sid = shot.id
    if not (0 < shot.duration_s < math.inf):
        yield f"{sid} lasts {shot.duration_s:g} s; a shot must last more than 0 seconds.", f"Give {sid} a positive duration_s, e.g. 3."
    if shot.size not in SIZES:
        yield f"{sid} has size {shot.size!r}, which is not a shot size.", f"Use one of {' '.join(SIZES)} (widest to tightest)."
    if shot.framing is not None and shot.framing not in FRAMINGS:
        yield f"{sid} has framing {shot.framing!r}, which is not a coverage type.", f"Use one of {', '.join(FRAMINGS)}, or leave it out."
    angle = shot.camera.angle_deg
    if not (-180.0 <= angle <= 180.0):
        yield f"{sid} puts the camera at {angle:g}°, outside -180…180.", f"Give {sid} an angle_deg between -180 and 180 (0 is the scene's master angle)."
    for s in shot.characters:
        if not (0.0 <= s.x <= 1.0):
            yield f"{sid} places {s.id} at x={s.x:g}, off the screen (0 is the left edge, 1 the right).", f"Give {s.id} an x between 0 and 1 in {sid}."
        if s.facing not in FACINGS:
            yield f"{sid} has {s.id} facing {s.facing!r}, which is not a screen direction.", f"Use one of {', '.join(FACINGS)}."
    if shot.movement is not None and shot.movement.direction not in DIRECTIONS:
        yield f"{sid} moves {shot.movement.character} {shot.movement.direction!r}, which is not a screen direction.", f"Use one of {', '.join(DIRECTIONS)}."


def _bad(shots: tuple[str, ...], message: str, fix: str) -> Finding:
    return Finding(rule="bad_value", severity="error", shots=shots, message=message, fix=fix)


def runtime(shotlist: ShotList) -> list[Finding]:
    """The shots' durations plus the title and credits cards sum to more than 5% away from ``target_runtime_s``.

    The cards are part of the running time (``generator.assembly.card_lengths``, the lengths the cut gives
    them), so a plan whose shots fill the whole target is a film longer than asked.
    """
    target = shotlist.target_runtime_s
    if target is None or not (0 < target < math.inf):
        return []
    shots = math.fsum(d for shot in every_shot(shotlist) if math.isfinite(d := shot.duration_s))
    cards = math.fsum(card_lengths(target))
    total = shots + cards
    if not math.isfinite(total) or abs(total - target) <= RUNTIME_TOLERANCE * target:
        return []
    off = total - target
    how = "long" if off > 0 else "short"
    return [Finding(
        rule="runtime",
        severity="warning",
        shots=(),
        message=(f"The shots add up to {shots:.1f} s, {total:.1f} s with the {cards:g} s of title and credits cards, "
                 f"but the film should run {target:g} s ({abs(off) / target:.0%} too {how})."),
        fix=(f"Trim about {off:.1f} s from the shots" if off > 0 else f"Add about {-off:.1f} s of shots or hold shots longer")
        + ", or change target_runtime_s.",
    )]
