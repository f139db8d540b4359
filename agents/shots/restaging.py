"""Invalidation: a change to one character touches exactly the shots that show that character.

The character's sheet is updated, the prompts of the shots that show them are compiled again (the
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
