"""Director: for each scene, the intent, the blocking (who stands where), the pacing and the transition in.

The blocking decides each character's side of the frame for the whole scene; the cinematographer's
coverage keeps everyone on that side, which is what keeps the 180-degree line intact.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.ids import CharacterId, SceneId
from agents.crew.role import Deps, Role


class Mark(BaseModel):
    character: CharacterId
    side: Literal["left", "center", "right"]


class SceneDirection(BaseModel):
    scene: SceneId
    intent: str = Field(max_length=120, description="What the audience should feel or learn.")
    blocking: list[Mark] = Field(max_length=3)
    pacing: Literal["slow", "medium", "fast"]
    transition_in: Literal["cut", "dissolve", "fade"]


class Direction(BaseModel):
    scenes: list[SceneDirection] = Field(min_length=1, max_length=6)


class Director(Role[Direction]):
    name = "director"
    stage = "direct"
    output = Direction
    goal = "Give each scene a clear intent and blocking the camera can cover."
    max_tokens = 400

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        return {
            "scenes": [
                {"id": s.key, "heading": s.heading, "characters": list(s.cast), "summary": s.summary}
                for s in deps.store.scenes(project)
            ],
        }

    def apply(self, deps: Deps, project: str, out: Direction) -> None:
        keys = {s.key for s in deps.store.scenes(project)}
        for direction in out.scenes:
            if direction.scene in keys:
                scene = deps.store.scene(project, direction.scene)
                notes = {**scene.notes, "director": direction.model_dump(exclude={"scene"})}
                deps.store.upsert_scene(project, direction.scene, notes=notes)

    def recall(self, deps: Deps, project: str) -> Direction:
        return Direction(scenes=[
            SceneDirection(scene=s.key, **s.notes["director"]) for s in deps.store.scenes(project) if "director" in s.notes
        ])


def example() -> Direction:
    return Direction(scenes=[
        SceneDirection(scene="s1", intent="Her guard stays up while her hands betray relief.",
                       blocking=[Mark(character="mara", side="left"), Mark(character="tom", side="right")],
                       pacing="slow", transition_in="fade"),
    ])
