"""Director: for each scene, the intent, the blocking (who stands where), the pacing and the transition in.

The blocking decides each character's side of the frame for the whole scene; the cinematographer's
coverage keeps everyone on that side, which is what keeps the 180-degree line intact.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.answer_shape import describe
from agents.crew.ids import CharacterId, SceneId
from agents.crew.plan_grounding import ground_per_scene, per_scene_schema, template_intent
from agents.crew.role import Deps, Role
from agents.crew.scene_chunks import AskedByScenes, chunks
from agents.crew.scene_questions import ask_intent


class Mark(BaseModel):
    character: CharacterId
    side: Literal["left", "center", "right"]


class SceneDirection(BaseModel):
    scene: SceneId
    intent: str = Field(max_length=120, description="What the audience should feel or learn.")
    blocking: list[Mark] = Field(max_length=8)
    pacing: Literal["slow", "medium", "fast"]
    transition_in: Literal["cut", "dissolve", "fade"]


class Direction(BaseModel):
    scenes: list[SceneDirection] = Field(min_length=1, max_length=32)


def default_direction(scene: dict[str, Any]) -> dict[str, Any]:
    """A plan-derived direction (labelled when used): cast left to right, medium pace, a cut (a fade first)."""
    sides = ["left", "right", "center"]
    return {"scene": scene["id"], "intent": template_intent(scene["summary"]),
            "blocking": [{"character": c, "side": sides[i % 3]} for i, c in enumerate(scene["characters"][:8])],
            "pacing": "medium", "transition_in": "fade" if scene["id"] == "s1" else "cut"}


class Director(AskedByScenes, Role[Direction]):
    name = "director"
    stage = "direct"
    output = Direction
    goal = "Give each scene a clear intent and blocking the camera can cover."
    max_tokens = 400

    def inputs(self, deps: Deps, project: str, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """The prompt's variables for the scenes ``keys`` (all of them by default)."""
        scenes = [s for s in deps.store.scenes(project) if keys is None or s.key in keys]
        return {
            "scenes": [{"id": s.key, "heading": s.heading, "characters": list(s.cast), "summary": s.summary} for s in scenes],
            "example": self.example_json(deps, project, scenes[0].key if scenes else None),
        }

    def example_json(self, deps: Deps, project: str, key: str | None = None) -> str:
        """The shape, filled from the request's first scene (no other film's story to copy)."""
        first = next((s for s in deps.store.scenes(project) if key is None or s.key == key), None)
        if first is None:
            return describe(self.output)
        scene = {"id": first.key, "characters": list(first.cast), "summary": first.summary}
        # The intent is left as "…": shown filled, the bundled model copied it every time (measured), so the
        # plan's intents were all the template's. A copied "…" is refused as a placeholder, like a copy.
        return json.dumps({"scenes": [default_direction(scene) | {"intent": "…"}]}, ensure_ascii=False)

    def ask(self, deps: Deps, project: str) -> Direction:
        """Scene ids as an enum of the plan's; each scene's intent checked; a scene left out is plan-derived, labelled."""
        scenes: list[dict[str, Any]] = [{"id": s.key, "heading": s.heading, "characters": list(s.cast), "summary": s.summary}
                                        for s in deps.store.scenes(project)]
        llm = deps.llm
        if llm is None or not scenes:
            return super().ask(deps, project)
        answers: list[dict[str, Any]] = []
        for part in chunks(scenes):  # a few scenes a request: no prompt grows with the film (agents.crew.scene_chunks)
            keys = [s["id"] for s in part]
            schema = per_scene_schema(SceneDirection, Direction, scene_ids=keys)
            answers += llm.structured(self.messages_for(deps, project, keys), schema, max_tokens=60 + 90 * len(part)).model_dump()["scenes"]
        p = deps.store.project(project)
        entries, prov = ground_per_scene(
            self.name, answers, scenes, text_field="intent",
            template=lambda sc: template_intent(sc["summary"]), default=default_direction,
            sources=[p.premise], example_text=template_intent(scenes[0]["summary"]),
            ask_again=lambda sc: ask_intent(llm, sc, self.prompt_dir))
        for entry, scene in zip(entries, scenes, strict=True):  # blocking only of the scene's own cast
            entry["blocking"] = [m for m in entry["blocking"] if m["character"] in scene["characters"]] or default_direction(scene)["blocking"]
        self.provenance = prov
        return Direction.model_validate({"scenes": entries})

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
