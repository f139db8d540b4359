"""Continuity rules: ``time_of_day`` and ``wardrobe`` — what must not change inside a scene.

Why: a scene is one place at one time, so a shot that is suddenly at dusk, or a coat that turns into an
oilskin between two cuts, reads as a mistake. Changes *between* scenes are the story (the character's
wardrobe map is keyed by scene id), so they are never flagged.
"""

from __future__ import annotations

from agents.grammar.findings import Finding, FixAction
from agents.grammar.geometry import display_names
from memory.shotlist import ShotList


def same_words(a: str, b: str) -> bool:
    """Equal up to case and spacing: ``'Grey coat '`` is the same costume as ``'grey  coat'``."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def time_of_day(shotlist: ShotList) -> list[Finding]:
    """A shot's time of day differs from its scene's (when both are given)."""
    findings: list[Finding] = []
    for scene in shotlist.scenes:
        wanted = scene.time_of_day
        if wanted is None:
            continue
        for shot in scene.shots:
            if shot.time_of_day is not None and not same_words(shot.time_of_day, wanted):
                findings.append(Finding(
                    rule="time_of_day",
                    severity="error",
                    shots=(shot.id,),
                    message=(
                        f"{shot.id} is lit for {shot.time_of_day!r} but its scene {scene.id} happens at {wanted!r}: "
                        f"the light would change in the middle of the scene."
                    ),
                    fix=f"Set {shot.id}'s time of day to {wanted!r} (or move the shot to a scene at {shot.time_of_day!r}).",
                    action=FixAction(kind="set_time_of_day", shot=shot.id, value=wanted),
                ))
    return findings


def wardrobe(shotlist: ShotList) -> list[Finding]:
    """A shot's wardrobe for a character differs from what that character wears in that scene."""
    names = display_names(shotlist)
    costumes = {c.id: c for c in shotlist.characters}
    findings: list[Finding] = []
    for scene in shotlist.scenes:
        for shot in scene.shots:
            for who, worn in shot.wardrobe.items():
                character = costumes.get(who)
                wanted = character.wardrobe_in(scene.id) if character is not None else None
                if wanted is None or same_words(worn, wanted):
                    continue
                name = names.get(who, who)
                findings.append(Finding(
                    rule="wardrobe",
                    severity="error",
                    shots=(shot.id,),
                    message=(
                        f"In {shot.id} {name} wears {worn!r}, but in scene {scene.id} {name} wears {wanted!r}: "
                        f"the costume would change between cuts."
                    ),
                    fix=f"Dress {name} in {wanted!r} in {shot.id}, or give {name} a wardrobe entry for a new scene if the change is the story.",
                    action=FixAction(kind="set_wardrobe", shot=shot.id, character=who, value=wanted),
                ))
    return findings
