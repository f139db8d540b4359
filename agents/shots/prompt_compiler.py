"""Compiles a shot into a generation prompt: the words a video model sees.

Why verbatim: identity and continuity in diffusion video come mostly from repeating the *same* words.
Each visible character's sheet (description) and what they wear in this scene go into the prompt word
for word, in a fixed order, so every shot of Mara says the same thing about Mara. The continuity
ledger's facts go in the same way (``agents.shots.ledger``): a character's wound or torn scarf beside
their sheet, a prop's state and a time jump after the action — in every shot they concern, and no other.
Each scene reads only the ledger facts its own words find (``ledger_for_scene``, full-text search), so a
ten-minute film's compile does not read the whole ledger once per scene.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agents.shots.ledger import LedgerFact, facts_for_shot, ledger_for_scene, props_for_shot
from memory.shotlist import Scene, Shot, ShotList
from memory.shotlist_io import export_shotlist
from memory.store import Store

SIZE_WORDS = {
    "EWS": "extreme wide shot", "WS": "wide shot", "FS": "full shot", "MWS": "medium wide shot",
    "MS": "medium shot", "MCU": "medium close-up", "CU": "close-up", "ECU": "extreme close-up",
    "INSERT": "insert shot of a detail",
}
MOVE_WORDS = {
    "static": "static camera", "pan_left": "camera pans left", "pan_right": "camera pans right",
    "tilt_up": "camera tilts up", "tilt_down": "camera tilts down", "dolly_in": "slow dolly in",
    "dolly_out": "slow dolly out", "zoom_in": "slow zoom in", "zoom_out": "slow zoom out",
    "truck_left": "camera trucks left", "truck_right": "camera trucks right", "arc_left": "camera arcs left",
    "arc_right": "camera arcs right", "handheld": "handheld camera",
}
#: The camera's height in words a video model knows; eye level says nothing (every prompt before it stays as it was).
HEIGHT_WORDS = {"ground": "ground-level camera", "low": "low angle", "high": "high angle", "overhead": "overhead shot"}
NEGATIVE = "blurry, distorted faces, extra limbs, text, watermark, flicker, low quality"


@dataclass(frozen=True)
class CastMember:
    """A visible character as the prompt describes them."""

    name: str
    description: str
    wardrobe: str | None
    side: str = ""
    facts: tuple[str, ...] = ()  # the ledger's facts about them in this scene, verbatim


def side_of(x: float) -> str:
    return "on the left" if x < 0.4 else "on the right" if x > 0.6 else "in the centre"


def compile_prompt(
    *,
    description: str,
    size: str,
    move: str,
    location: str,
    time_of_day: str | None,
    cast: Sequence[CastMember],
    lighting: str | None = None,
    style: str = "",
    lens_mm: float | None = None,
    facts: Sequence[str] = (),
    height: str = "eye",
) -> str:
    """One prompt, always in the same order: framing, place and time, people, action, story facts, light, style."""
    framing = [SIZE_WORDS.get(size, size), *([HEIGHT_WORDS[height]] if height in HEIGHT_WORDS else []), MOVE_WORDS.get(move, move)]
    parts = [", ".join(framing) + (f", {lens_mm:g}mm lens" if lens_mm else "")]
    parts.append(f"{location}, {time_of_day}" if time_of_day else location)
    for member in cast:
        who = f"{member.name} ({member.description})" if member.description else member.name
        if member.wardrobe:
            who += f" wearing {member.wardrobe}"
        if member.facts:
            who += ", " + ", ".join(member.facts)
        parts.append(f"{who} {member.side}".strip())
    if description:
        parts.append(description.strip().rstrip("."))
    parts.extend(fact.strip().rstrip(".") for fact in facts if fact.strip())
    if lighting:
        parts.append(lighting)
    if style:
        parts.append(style)
    return ". ".join(p for p in parts if p) + "."


def prompt_for_shot(
    plan: ShotList, scene: Scene, shot: Shot, *, lighting: str | None = None, style: str = "",
    ledger: Sequence[LedgerFact] = (),
) -> str:
    """The prompt of one planned shot: its visible characters' sheets, this scene's wardrobe and the ledger's
    facts that concern the shot (``ledger.facts_for_shot``), verbatim."""
    concerned = facts_for_shot(ledger, plan, scene, shot)
    cast = []
    for staged in shot.characters:
        character = plan.character(staged.id)
        if character is None:
            continue
        wardrobe = shot.wardrobe.get(staged.id) or character.wardrobe_in(scene.id)
        names = {staged.id.casefold(), (character.name or "").strip().casefold()}
        mine = tuple(f.fact for f in concerned if f.subject.strip().casefold() in names)
        cast.append(CastMember(character.name or character.id, character.description, wardrobe, side_of(staged.x), mine))
    others = [*props_for_shot(ledger, plan, scene, shot), *(f.fact for f in concerned if f.is_time)]
    return compile_prompt(
        description=shot.description, size=shot.size, move=shot.camera.move, location=scene.location or scene.heading,
        time_of_day=shot.time_of_day or scene.time_of_day, cast=cast, lighting=lighting or shot.lighting, style=style,
        lens_mm=shot.camera.lens_mm, facts=others, height=shot.camera.height,
    )


def compile_plan_prompts(store: Store, project: str, shots: set[str] | None = None) -> list[str]:
    """Give every shot (or just ``shots``) its prompt and props, compiled from memory: sheets, wardrobe, ledger, style.

    Called whenever any of those change — the shot list is planned, the ledger is written, the continuity
    check splits or inserts shots, a character's look changes. Returns the ids of the shots compiled.
    """
    plan = export_shotlist(store, project)
    style = store.project(project).style_notes
    extras = {row.key: row.extra for row in store.shots(project)}
    done = []
    ledgers: dict[str, list[LedgerFact]] = {}  # per scene: the facts its words find (ledger.ledger_for_scene)
    for scene, shot in plan.shots():
        if shots is not None and shot.id not in shots:
            continue
        if scene.id not in ledgers:
            ledgers[scene.id] = ledger_for_scene(store, project, plan, scene)
        ledger = ledgers[scene.id]
        prompt = prompt_for_shot(plan, scene, shot, style=style, ledger=ledger)
        props = props_for_shot(ledger, plan, scene, shot)
        if props != shot.props:  # the props the animatic draws and the critic can look for
            store.update_shot(project, shot.id, prompt=prompt, extra={**extras.get(shot.id, {}), "props": props})
        else:
            store.update_shot(project, shot.id, prompt=prompt)
        done.append(shot.id)
    return done
