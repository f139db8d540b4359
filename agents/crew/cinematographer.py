"""Cinematographer: the shot list — size, framing, angle, move, lens, lighting, duration and staging.

The LLM chooses the *look* of each scene (how wide it opens, the light, the lens, the opening move);
the shots themselves are built by the grammar engine's coverage helpers from the scene's dialogue and
the director's blocking, so the plan passes the grammar checks by construction. Durations share the
target runtime less its title and credits cards (``generator.assembly.card_lengths``) across scenes;
long beats are covered by several shots at the pace's rhythm, none longer than the generator's longest
clip (``agents.shots.clip_limit``). Every shot then gets a generation prompt compiled from memory
(character sheets, the scene's wardrobe and the ledger's facts verbatim).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.answer_shape import describe
from agents.crew.ids import SceneId
from agents.crew.plan_grounding import ground_per_scene, per_scene_schema, template_light
from agents.crew.role import Deps, Role
from agents.crew.scene_chunks import AskedByScenes, chunks
from agents.crew.scene_questions import ask_light
from agents.grammar.length import LIMIT_FIELD
from agents.shots.clip_limit import longest_clip_s
from agents.shots.coverage import plan_scene_shots
from agents.shots.prompt_compiler import compile_plan_prompts
from generator.assembly import shots_time_s


class SceneLook(BaseModel):
    scene: SceneId
    opening_size: Literal["EWS", "WS", "FS"]
    closeup_size: Literal["MS", "MCU", "CU"]
    lighting: str = Field(max_length=80, description="e.g. 'cold moonlight, warm lamp practicals'.")
    lens_mm: Literal[18, 24, 35, 50, 85]
    opening_move: Literal["static", "pan_left", "pan_right", "dolly_in", "dolly_out", "tilt_down", "handheld"]


class ShotPlan(BaseModel):
    scenes: list[SceneLook] = Field(min_length=1, max_length=32)


class Cinematographer(AskedByScenes, Role[ShotPlan]):
    name = "cinematographer"
    stage = "shotlist"
    output = ShotPlan
    goal = "Choose a look for each scene that serves the director's intent."
    max_tokens = 360

    def __init__(self, findings: list[dict[str, Any]] | None = None) -> None:
        self.findings = findings or []

    @classmethod
    def for_step(cls, state: Mapping[str, Any]) -> Cinematographer:
        """In the graph, with the last continuity round's findings (empty on the first pass)."""
        return cls(state.get("findings", []))

    def inputs(self, deps: Deps, project: str, keys: Sequence[str] | None = None) -> dict[str, Any]:
        """The prompt's variables for the scenes ``keys`` (all of them by default), with the findings about them."""
        scenes = [s for s in deps.store.scenes(project) if keys is None or s.key in keys]
        shots = {shot.key for s in scenes for shot in deps.store.shots(project, s.key)} if keys is not None else set()
        findings = [f for f in self.findings if keys is None or not f.get("shots") or set(f["shots"]) & shots]
        return {
            "style": deps.store.project(project).style_notes,
            "scenes": [
                {"id": s.key, "heading": s.heading, "intent": s.notes.get("director", {}).get("intent", ""), "summary": s.summary}
                for s in scenes
            ],
            "findings": [f"{f['rule']}: {f['message']}" for f in findings][:8],
            "example": self.example_json(deps, project, scenes[0].key if scenes else None),
        }

    def example_json(self, deps: Deps, project: str, key: str | None = None) -> str:
        """The shape, filled from the request's first scene (its time of day's light; no other film's look)."""
        first = next((s for s in deps.store.scenes(project) if key is None or s.key == key), None)
        if first is None:
            return describe(self.output)
        look = default_look(first.key).model_dump()
        # The lighting is left as "…" (see ``Director.example_json``): a filled one was copied every time.
        return json.dumps({"scenes": [{**look, "lighting": "…"}]}, ensure_ascii=False)

    def ask(self, deps: Deps, project: str) -> ShotPlan:
        """Scene ids as an enum of the plan's; each lighting checked; a scene left out gets a labelled default look."""
        scenes: list[dict[str, Any]] = [{"id": s.key, "time_of_day": s.time_of_day or "day", "heading": s.heading, "summary": s.summary}
                                        for s in deps.store.scenes(project)]
        llm = deps.llm
        if llm is None or not scenes:
            return super().ask(deps, project)
        answers: list[dict[str, Any]] = []
        for part in chunks(scenes):  # a few scenes a request: no prompt grows with the film (agents.crew.scene_chunks)
            keys = [s["id"] for s in part]
            schema = per_scene_schema(SceneLook, ShotPlan, scene_ids=keys)
            answers += llm.structured(self.messages_for(deps, project, keys), schema, max_tokens=60 + 70 * len(part)).model_dump()["scenes"]
        p = deps.store.project(project)
        entries, prov = ground_per_scene(
            self.name, answers, scenes, text_field="lighting",
            template=lambda sc: template_light(sc["time_of_day"]),
            default=lambda sc: {**default_look(sc["id"]).model_dump(), "lighting": template_light(sc["time_of_day"])},
            sources=[p.premise, p.style_notes], example_text=template_light(scenes[0]["time_of_day"]),
            ask_again=lambda sc: ask_light(llm, sc, self.prompt_dir))
        self.provenance = prov
        return ShotPlan.model_validate({"scenes": entries})

    def apply(self, deps: Deps, project: str, out: ShotPlan) -> None:
        store = deps.store
        looks = {look.scene: look for look in out.scenes}
        scenes = store.scenes(project)
        runtime = shots_time_s(store.project(project).target_runtime_s)  # the title and credits cards take the rest
        weights = [1 + len(s.dialogue) for s in scenes]
        previous_location = None
        longest = longest_clip_s(deps.settings)  # no shot longer than the generator renders in one clip
        for scene, weight in zip(scenes, weights, strict=True):
            look = looks.get(scene.key) or default_look(scene.key)
            store.upsert_scene(project, scene.key, notes={**scene.notes, "cinematographer": look.model_dump(exclude={"scene"})})
            budget = runtime * weight / sum(weights)
            for old in store.shots(project, scene.key):
                store.delete_shot(project, old.key)
            new_location = scene.location != previous_location
            previous_location = scene.location
            for shot in plan_scene_shots(scene, look.model_dump(), budget, new_location=new_location, longest_s=longest):
                fields = shot.model_dump(mode="json", exclude={"id"}, exclude_none=True)
                extra = {k: v for k, v in fields.items() if k not in store.SHOT_FIELDS}
                row = {k: v for k, v in fields.items() if k in store.SHOT_FIELDS}
                store.upsert_shot(project, scene.key, shot.id, **row, extra=extra)
        project_extra = store.project(project).extra
        plan_fields = {**project_extra.get("shotlist", {}), LIMIT_FIELD: longest}  # the clip length the plan fits
        store.update_project(project, status="planned", extra={**project_extra, "shotlist": plan_fields})
        self.compile_prompts(deps, project)

    @staticmethod
    def compile_prompts(deps: Deps, project: str) -> None:
        """Give every shot its generation prompt, compiled from memory (sheets, wardrobe and ledger facts verbatim)."""
        compile_plan_prompts(deps.store, project)

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
