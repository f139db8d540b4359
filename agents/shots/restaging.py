"""Invalidation: a change to one character touches exactly the shots that show that character.

A look change (``restage_character``) or a wardrobe change in one scene (``change_wardrobe``) updates the
character's sheet, the prompts of the shots that show them are compiled again (the
sheet goes into prompts verbatim), and their current takes are marked stale with the reason. The graph
then re-shoots only those shots.
"""

from __future__ import annotations

from agents.shots.prompt_compiler import compile_plan_prompts
from memory.models import CURRENT_TAKE_STATUSES
from memory.shotlist_io import export_shotlist
from memory.store import Store


def shots_showing(store: Store, project: str, character: str) -> list[str]:
    return [s.key for s in store.shots(project) if any(c.get("id") == character for c in s.characters)]


def restage_character(store: Store, project: str, character: str, change: str) -> list[str]:
    """Apply a look change to ``character``; returns the shots that must be shot again."""
    row = store.character(project, character)
    description = f"{row.description}; {change}" if row.description else change
    store.upsert_character(project, character, description=description)
    shots = shots_showing(store, project, character)
    restage_shots(store, project, shots, reason=f"{character}'s look changed: {change}")
    return shots


def restage_shots(store: Store, project: str, shots: list[str], *, reason: str) -> None:
    """Compile ``shots``' prompts again from memory and mark their current takes stale with ``reason``."""
    wanted = set(shots)
    compile_plan_prompts(store, project, wanted)  # sheets, wardrobe, ledger facts and style, as at planning
    plan = export_shotlist(store, project)
    for _scene, shot in plan.shots():
        if shot.id in wanted:
            for take in store.takes(project, shot.id):
                if take.status in CURRENT_TAKE_STATUSES:
                    store.set_take_status(take.id, "stale", reason=reason)  # type: ignore[arg-type]


def change_wardrobe(store: Store, project: str, character: str, scene: str, outfit: str) -> list[str]:
    """``character`` wears ``outfit`` in ``scene``: their shots there are re-dressed and restaged.

    Returns the shots that must be shot again (sorted). Raises ``NotFound`` for an unknown character or scene.
    """
    row = store.character(project, character)
    store.scene(project, scene)
    store.upsert_character(project, character, wardrobe={**row.wardrobe, scene: outfit})
    shots = [s for s in store.shots(project, scene) if any(c.get("id") == character for c in s.characters)]
    for shot in shots:
        if character in shot.wardrobe:
            store.update_shot(project, shot.key, wardrobe={**shot.wardrobe, character: outfit})
    keys = sorted(s.key for s in shots)
    restage_shots(store, project, keys, reason=f"{character} wears {outfit} in {scene}")
    return keys
