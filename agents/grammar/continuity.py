"""Continuity rules: ``time_of_day``, ``wardrobe`` and ``props`` — what must not change inside a scene.

Why: a scene is one place at one time, so a shot that is suddenly at dusk, a coat that turns into an
oilskin, or a cracked lamp that is whole again between two cuts, reads as a mistake. Changes *between*
scenes are the story (the character's wardrobe map is keyed by scene id; a prop's state comes from the
continuity ledger, scene by scene), so they are never flagged.
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


def prop_name(prop: str) -> str:
    """The prop a ``props`` entry names: ``'Lamp: cracked glass'`` → ``'lamp'``."""
    return " ".join(prop.partition(":")[0].split()).casefold()


def prop_state(prop: str) -> str:
    """The state an entry gives, or '' when it only names the prop (``'lamp'``)."""
    return prop.partition(":")[2].strip()


def props(shotlist: ShotList) -> list[Finding]:
    """A prop's state in a shot differs from its state in the scene's first shot that shows it with a state."""
    findings: list[Finding] = []
    for scene in shotlist.scenes:
        first: dict[str, tuple[str, str]] = {}  # prop name -> (entry, shot id) where its state was first given
        for shot in scene.shots:
            for entry in shot.props:
                name, state = prop_name(entry), prop_state(entry)
                if not name or not state:
                    continue
                if name not in first:
                    first[name] = (entry, shot.id)
                    continue
                wanted, where = first[name]
                if same_words(state, prop_state(wanted)):
                    continue
                findings.append(Finding(
                    rule="props",
                    severity="error",
                    shots=(where, shot.id),
                    message=(
                        f"In {shot.id} the {name} is {state!r}, but in {where}, earlier in scene {scene.id}, it is "
                        f"{prop_state(wanted)!r}: the prop would change between cuts."
                    ),
                    fix=f"Give {shot.id} the prop as {wanted!r}, or move the change to a later scene (a ledger fact from that scene on).",
                    action=FixAction(kind="set_prop", shot=shot.id, value=wanted),
                ))
    return findings
