"""Cinematographer: the shot list — size, framing, angle, move, lens, lighting, duration and staging.

The LLM chooses the *look* of each scene (how wide it opens, the light, the lens, the opening move);
the shots themselves are built by the grammar engine's coverage helpers from the scene's dialogue and
the director's blocking, so the plan passes the grammar checks by construction. Durations share the
target runtime across scenes. Every shot then gets a generation prompt compiled from memory (character
sheets and the scene's wardrobe verbatim).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.ids import SceneId
from agents.crew.role import Deps, Role
from agents.shots.coverage import plan_scene_shots
from agents.shots.prompt_compiler import prompt_for_shot
from memory.shotlist_io import export_shotlist


class SceneLook(BaseModel):
    scene: SceneId
    opening_size: Literal["EWS", "WS", "FS"]
    closeup_size: Literal["MS", "MCU", "CU"]
    lighting: str = Field(max_length=80, description="e.g. 'cold moonlight, warm lamp practicals'.")
    lens_mm: Literal[18, 24, 35, 50, 85]
    opening_move: Literal["static", "pan_left", "pan_right", "dolly_in", "dolly_out", "tilt_down", "handheld"]


class ShotPlan(BaseModel):
    scenes: list[SceneLook] = Field(min_length=1, max_length=6)


class Cinematographer(Role[ShotPlan]):
    name = "cinematographer"
    output = ShotPlan
    goal = "Choose a look for each scene that serves the director's intent."
    max_tokens = 360

    def __init__(self, findings: list[dict[str, Any]] | None = None) -> None:
        self.findings = findings or []

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        return {
            "style": deps.store.project(project).style_notes,
            "scenes": [
                {"id": s.key, "heading": s.heading, "intent": s.notes.get("director", {}).get("intent", ""), "summary": s.summary}
                for s in deps.store.scenes(project)
            ],
            "findings": [f"{f['rule']}: {f['message']}" for f in self.findings][:8],
        }

    def apply(self, deps: Deps, project: str, out: ShotPlan) -> None:
        store = deps.store
        looks = {look.scene: look for look in out.scenes}
        scenes = store.scenes(project)
        runtime = store.project(project).target_runtime_s
        weights = [1 + len(s.dialogue) for s in scenes]
        previous_location = None
        for scene, weight in zip(scenes, weights, strict=True):
            look = looks.get(scene.key) or default_look(scene.key)
            store.upsert_scene(project, scene.key, notes={**scene.notes, "cinematographer": look.model_dump(exclude={"scene"})})
            budget = runtime * weight / sum(weights)
            for old in store.shots(project, scene.key):
                store.delete_shot(project, old.key)
            new_location = scene.location != previous_location
            previous_location = scene.location
            for shot in plan_scene_shots(scene, look.model_dump(), budget, new_location=new_location):
                fields = shot.model_dump(mode="json", exclude={"id"}, exclude_none=True)
                extra = {k: v for k, v in fields.items() if k not in store.SHOT_FIELDS}
                row = {k: v for k, v in fields.items() if k in store.SHOT_FIELDS}
                store.upsert_shot(project, scene.key, shot.id, **row, extra=extra)
        self.compile_prompts(deps, project)
        store.update_project(project, status="planned")

    @staticmethod
    def compile_prompts(deps: Deps, project: str) -> None:
        """Give every shot its generation prompt, compiled from memory (character sheets and wardrobe verbatim)."""
        plan = export_shotlist(deps.store, project)
        style = deps.store.project(project).style_notes
        for scene, shot in plan.shots():
            deps.store.update_shot(project, shot.id, prompt=prompt_for_shot(plan, scene, shot, style=style))

    def recall(self, deps: Deps, project: str) -> ShotPlan:
        return ShotPlan(scenes=[
            SceneLook(scene=s.key, **s.notes["cinematographer"]) for s in deps.store.scenes(project) if "cinematographer" in s.notes
        ])


def default_look(scene: str) -> SceneLook:
    return SceneLook(scene=scene, opening_size="WS", closeup_size="MCU", lighting="natural light", lens_mm=35, opening_move="static")


def example() -> ShotPlan:
    return ShotPlan(scenes=[
        SceneLook(scene="s1", opening_size="WS", closeup_size="MCU", lighting="cold moonlight, warm lamp glow on faces",
                  lens_mm=35, opening_move="dolly_in"),
    ])
