"""The critic at work on one take: measure it, apply the verdict policy, record the review.

Why here and not in the critic role: measuring is deterministic (``generator.measure``) and so is the
ladder of reshoots (``agents.critic_policy``); this module gathers their inputs from memory — the
planned duration, the previous shot's take for the colour-jump check, where the animatic drew each
character — and writes every measurement and verdict to memory as a Review row, so the studio can show
the scores and the history of every take. An LLM opinion (the ``critic`` role) is added only when
``settings.critic_llm`` is on.
"""

from __future__ import annotations

from typing import Any

from agents.critic import Critic
from agents.critic_policy import Attempt, CriticInput, CriticVerdict, Opinion, decide
from agents.role import Deps
from agents.settings import Settings
from generator.animatic.frame import figure_boxes
from generator.base import RenderRequest
from generator.measure import measure_take
from generator.measure.identity import ColourMark
from memory.store import Store

CURRENT = ("done", "approved")


def animatic_marks(request: RenderRequest) -> list[ColourMark]:
    """Where each character must show, in its colour, on an animatic take (first and last frame's boxes)."""
    duration = request.frame_count() / request.fps
    start, end = figure_boxes(request, 0.0), figure_boxes(request, max(0.0, duration - 1 / request.fps))
    marks = []
    for a, b in zip(start, end, strict=True):
        left = min(a.box[0], b.box[0]) / request.width
        right = max(a.box[2], b.box[2]) / request.width
        marks.append(ColourMark(character=a.id, rgb=a.colour, x_range=(max(0.0, left), min(1.0, right))))
    return marks


class TakeCritic:
    """Judges takes for the shooting subgraph: ``judge(...)`` returns the policy's verdict."""

    def __init__(self, store: Store, settings: Settings, llm: Any = None) -> None:
        self.store, self.settings, self.llm = store, settings, llm

    def previous_take(self, project: str, shot_key: str) -> str | None:
        """The current take of the shot just before this one in the same scene (for the colour-jump check)."""
        scene_of = self.store.shot_scene_keys(project)
        keys = [s.key for s in self.store.shots(project, scene_of[shot_key])]
        index = keys.index(shot_key)
        if index == 0:
            return None
        takes = [t for t in self.store.takes(project, keys[index - 1]) if t.status in CURRENT]
        return takes[-1].path if takes else None

    def judge(self, project: str, shot_key: str, take_id: int, *, attempt: int, knobs: dict[str, Any]) -> CriticVerdict:
        take, shot = self.store.take(take_id), self.store.shot(project, shot_key)
        request = take.parameters.get("request")
        marks = animatic_marks(RenderRequest.model_validate(request)) if take.backend == "animatic" and request else []
        findings = measure_take(
            take.path, planned_duration=shot.duration_s, prev=self.previous_take(project, shot_key), marks=marks,
            ffmpeg=self.settings.ffmpeg,
        )
        if take.backend == "animatic" and shot.camera.get("move", "static") == "static":
            # The animatic draws a static shot as a still picture: a frozen stretch is the plan, not a defect.
            findings = [f for f in findings if f.check != "frozen"]
        opinion = self._opinion(project, shot_key, take_id, findings)
        gpu = 0.0 if take.backend == "animatic" else float(take.timings.get("total", 0.0))
        verdict = decide(CriticInput(
            shot=shot_key, findings=findings, history=[Attempt(take=n + 1) for n in range(attempt)], knobs=knobs,
            opinion=opinion, max_reshoots=self.settings.max_reshoots, take_gpu_seconds=gpu,
            film_gpu_seconds=self._film_gpu_seconds(project), gpu_budget_s=self.settings.gpu_budget_s,
            preset=take.model or None,
        ))
        self.store.add_review(
            take_id, reviewer="critic", verdict=verdict.verdict,
            scores={"findings": [f.model_dump(mode="json") for f in findings], "failing": verdict.failing,
                    "change": verdict.change.model_dump() if verdict.change else None},
            notes="; ".join(verdict.reasons),
        )
        return verdict

    def _opinion(self, project: str, shot: str, take_id: int, findings: list[Any]) -> Opinion | None:
        if not self.settings.critic_llm or self.llm is None:
            return None
        role = Critic(shot=shot, take_id=take_id, findings=[f.model_dump(mode="json") for f in findings])
        out = role.run(Deps(self.store, self.llm, self.settings), project)
        return Opinion(verdict=out.verdict, reasons=list(out.reasons), prompt_note=out.prompt_note)

    def _film_gpu_seconds(self, project: str) -> float:
        return sum(float(t.timings.get("total", 0.0)) for t in self.store.takes(project) if t.backend != "animatic")
