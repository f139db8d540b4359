"""Screenwriter: writes the scenes — where, when, who, the action and the dialogue — fitted to the runtime.

Each scene is stored with Fountain-style screenplay text (heading, action, character cues, dialogue), so
the script tab and a Fountain export read like a real screenplay, and with its dialogue as data so the
cinematographer can cover each line.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.ids import CharacterId
from agents.crew.role import Deps, Role
from memory.store import slugify
from memory.story import SpokenLine

TimeOfDay = Literal["day", "night", "dawn", "dusk"]


class Line(BaseModel):
    character: CharacterId
    line: str = Field(max_length=120)


class SceneDraft(BaseModel):
    location: str = Field(max_length=40, description="One of the story's locations, by name.")
    time_of_day: TimeOfDay
    characters: list[CharacterId] = Field(min_length=1, max_length=3)
    action: str = Field(max_length=240, description="What we see, present tense.")
    dialogue: list[Line] = Field(default_factory=list, max_length=4)


class Screenplay(BaseModel):
    scenes: list[SceneDraft] = Field(min_length=1, max_length=6)


def scenes_for(runtime_s: float) -> int:
    """About one scene per 20 seconds, at least one and at most six."""
    return max(1, min(6, round(runtime_s / 20)))


def heading(interior: bool, location: str, time_of_day: str) -> str:
    return f"{'INT.' if interior else 'EXT.'} {location.upper()} - {time_of_day.upper()}"


def fountain_text(scene_heading: str, draft: SceneDraft, names: dict[str, str]) -> str:
    """The scene as Fountain: heading, action, then each cue in capitals above its line."""
    parts = [scene_heading, "", draft.action.strip()]
    for d in draft.dialogue:
        parts += ["", names.get(d.character, d.character).upper(), d.line.strip()]
    return "\n".join(parts) + "\n"


class ScreenWriter(Role[Screenplay]):
    name = "screenwriter"
    stage = "write"
    output = Screenplay
    goal = "Write short, visual scenes with few, sharp lines of dialogue."
    max_tokens = 640

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        p = deps.store.project(project)
        return {
            "title": p.title,
            "logline": p.logline,
            "runtime_s": round(p.target_runtime_s),
            "scenes": scenes_for(p.target_runtime_s),
            "beats": " | ".join(p.beats),
            "characters": [{"id": c.key, "name": c.name} for c in deps.store.characters(project)],
            "locations": [loc.name for loc in deps.store.locations(project)],
        }

    def apply(self, deps: Deps, project: str, out: Screenplay) -> None:
        store = deps.store
        known = {c.key: c.name for c in store.characters(project)}
        locations = {loc.name.lower(): loc for loc in store.locations(project)}
        store.clear_plan(project)
        for number, draft in enumerate(out.scenes, start=1):
            for cid in {*draft.characters, *(d.character for d in draft.dialogue)} - set(known):
                known[cid] = cid.capitalize()
                store.upsert_character(project, cid, name=known[cid])
            loc = locations.get(draft.location.lower())
            if loc is None:
                loc = store.upsert_location(project, slugify(draft.location, 40), name=draft.location, interior=True)
                locations[draft.location.lower()] = loc
            scene_heading = heading(bool(loc.interior), draft.location, draft.time_of_day)
            store.upsert_scene(
                project, f"s{number}",
                heading=scene_heading, location=draft.location, time_of_day=draft.time_of_day, story_day=1,
                summary=draft.action, screenplay=fountain_text(scene_heading, draft, known),
                cast=list(draft.characters), dialogue=[SpokenLine(character=d.character, line=d.line) for d in draft.dialogue],
            )

    def recall(self, deps: Deps, project: str) -> Screenplay:
        return Screenplay(scenes=[
            SceneDraft(
                location=s.location, time_of_day=s.time_of_day, characters=s.cast,  # type: ignore[arg-type]
                action=s.summary, dialogue=[Line(character=d.character, line=d.line) for d in s.dialogue],
            )
            for s in deps.store.scenes(project)
        ])


def example() -> Screenplay:
    return Screenplay(scenes=[
        SceneDraft(location="lamp room", time_of_day="night", characters=["mara", "tom"],
                   action="Rain lashes the glass. Mara polishes the lamp. The door bangs open: Tom, soaked.",
                   dialogue=[Line(character="mara", line="You came back."), Line(character="tom", line="The storm brought me.")]),
    ])
