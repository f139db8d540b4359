"""The critic at work on one take: measure it, apply the verdict policy, record the review.

Why here and not in the critic role: measuring is deterministic (``generator.measure``) and so is the
ladder of reshoots (``agents.review.policy``); this module gathers their inputs from memory — the
planned duration, the previous shot's take for the colour-jump check, where the animatic drew each
character — and writes every measurement and verdict to memory as a Review row, so the studio can show
the scores and the history of every take. An LLM opinion (the ``critic`` role) is added only when
``settings.critic_llm`` is on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from agents.crew.critic import Critic, CriticOpinion
from agents.crew.role import Deps
from agents.llm.base import LLM
from agents.review.policy import Attempt, CriticInput, CriticVerdict, Knobs, decide
from agents.settings import Settings
from generator.base import Capabilities, RenderRequest
from generator.measure import measure_report
from generator.measure.animatic_marks import animatic_marks
from generator.measure.encoder import load_encoder
from generator.measure.identity import CharacterReference
from generator.measure.thresholds import Thresholds
from memory.models import CURRENT_TAKE_STATUSES
from memory.store import Store


def capabilities_of(parameters: dict[str, Any]) -> Capabilities:
    """What the backend that drew a take declared it can do (recorded with the take by the render node).

    A take recorded before backends declared capabilities reads as a plain GPU backend: every check
    counts and its time counts against the budget (the strict reading, never a silently lenient one).
    """
    return Capabilities(**parameters.get("capabilities", {}))


class TakeCritic:
    """Judges takes for the shooting subgraph: ``judge(...)`` returns the policy's verdict."""

    def __init__(self, store: Store, settings: Settings, llm: LLM | None = None) -> None:
        self.store, self.settings, self.llm = store, settings, llm

    def previous_take(self, project: str, shot_key: str) -> str | None:
        """The current take of the shot just before this one in the same scene (for the colour-jump check)."""
        scene_of = self.store.shot_scene_keys(project)
        keys = [s.key for s in self.store.shots(project, scene_of[shot_key])]
        index = keys.index(shot_key)
        if index == 0:
            return None
        takes = [t for t in self.store.takes(project, keys[index - 1]) if t.status in CURRENT_TAKE_STATUSES]
        return takes[-1].path if takes else None

    def judge(self, project: str, shot_key: str, take_id: int, *, attempt: int, knobs: Knobs) -> CriticVerdict:
        take, shot = self.store.take(take_id), self.store.shot(project, shot_key)
        can = capabilities_of(take.parameters)
        request = RenderRequest.model_validate(take.parameters["request"]) if "request" in take.parameters else None
        marks = animatic_marks(request) if can.draws_staging_marks and request is not None else []
        report = measure_report(
            take.path, planned_duration=shot.duration_s, prev=self.previous_take(project, shot_key), marks=marks,
            references=self.references(project, request), prompt=request.prompt if request and self._encoder() else None,
            encoder=self._encoder(), thresholds=Thresholds(**self.settings.critic_thresholds), ffmpeg=self.settings.ffmpeg,
        )
        findings = report.findings
        if can.static_is_still and shot.camera.get("move", "static") == "static":
            # This backend draws a static shot as a still picture: a frozen stretch is the plan, not a defect.
            findings = [f for f in findings if f.check != "frozen"]
        opinion = self._opinion(project, shot_key, take_id, findings)
        gpu = float(take.timings.get("total", 0.0)) if can.uses_gpu else 0.0
        verdict = decide(CriticInput(
            shot=shot_key, findings=findings, history=[Attempt(take=n + 1) for n in range(attempt)], knobs=knobs,
            opinion=opinion, max_reshoots=self.settings.max_reshoots, take_gpu_seconds=gpu,
            film_gpu_seconds=self._film_gpu_seconds(project), gpu_budget_s=self.settings.gpu_budget_s,
            preset=take.model or None,
        ))
        self.store.add_review(
            take_id, reviewer="critic", verdict=verdict.verdict,
            scores={"measured": report.scores, "findings": [f.model_dump(mode="json") for f in findings], "failing": verdict.failing,
                    "change": verdict.change.model_dump() if verdict.change else None},
            notes="; ".join(verdict.reasons),
        )
        return verdict

    def _encoder(self) -> Any:
        """The vision encoder for identity and prompt adherence (``settings.critic_encoder``), if one is set."""
        return load_encoder(self.settings.critic_encoder) if self.settings.critic_encoder else None

    def references(self, project: str, request: RenderRequest | None) -> list[CharacterReference]:
        """Each staged character's first reference image, where staging puts them (needs the encoder)."""
        if request is None or self._encoder() is None:
            return []
        refs = []
        for staged in request.staging:
            images = self.store.character(project, staged.id).reference_images
            if images and Path(images[0]).is_file():
                with Image.open(images[0]) as picture:
                    refs.append(CharacterReference(staged.id, np.asarray(picture.convert("RGB")), x=staged.x))
        return refs

    def _opinion(self, project: str, shot: str, take_id: int, findings: list[Any]) -> CriticOpinion | None:
        if not self.settings.critic_llm or self.llm is None:
            return None
        role = Critic(shot=shot, take_id=take_id, findings=[f.model_dump(mode="json") for f in findings])
        return role.run(Deps(self.store, self.llm, self.settings), project)

    def _film_gpu_seconds(self, project: str) -> float:
        takes = self.store.takes(project)
        return sum(float(t.timings.get("total", 0.0)) for t in takes if capabilities_of(t.parameters).uses_gpu)
