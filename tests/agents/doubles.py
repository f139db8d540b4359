"""Test doubles for orchestration tests: a scripted crew answer set and generators that count or misbehave.

Only for tests of the graph's orchestration: the renders themselves are the real animatic.
"""

from __future__ import annotations

import fcntl
import time
from pathlib import Path
from typing import Any

from agents.crew import cinematographer, director, editor, screenwriter, writer
from agents.crew import continuity_supervisor as continuity
from agents.llm.scripted import ScriptedLLM
from generator.animatic.backend import AnimaticBackend
from generator.base import RenderedTake, RenderRequest
from generator.takes import take_path


def two_scene_screenplay() -> screenwriter.Screenplay:
    first = screenwriter.example().scenes[0]
    second = screenwriter.SceneDraft(
        location="lamp room", time_of_day="night", characters=["mara"],
        action="Alone again, Mara lights the lamp.", dialogue=[screenwriter.Line(character="mara", line="Stay lit.")],
    )
    return screenwriter.Screenplay(scenes=[first, second])


def crew_answers(**extra: list[Any]) -> dict[str, list[Any]]:
    """Every planning role's example answer, once (plus ``extra`` queues, e.g. ``Routing``)."""
    return {
        "StoryDevelopment": [writer.example()],
        "Screenplay": [two_scene_screenplay()],
        "Direction": [director.Direction(scenes=[*director.example().scenes, director.SceneDirection(
            scene="s2", intent="Alone, resolved.", blocking=[director.Mark(character="mara", side="center")],
            pacing="slow", transition_in="dissolve")])],
        "ShotPlan": [cinematographer.ShotPlan(scenes=[*cinematographer.example().scenes, cinematographer.default_look("s2")])],
        "Ledger": [continuity.example()],
        "CutNotes": [editor.example()],
        **extra,
    }


def scripted_crew(**extra: list[Any]) -> ScriptedLLM:
    return ScriptedLLM(crew_answers(**extra))


class CountingGenerator:
    """The real animatic, logging one line per *actual* render (reused files are not renders)."""

    name = "animatic"
    capabilities = AnimaticBackend.capabilities

    def __init__(self, log: Path, *, delay_s: float = 0.0) -> None:
        self.inner, self.log, self.delay_s = AnimaticBackend(), log, delay_s

    def check(self, request: RenderRequest) -> None:
        self.inner.check(request)

    def render(self, request: RenderRequest, out_dir: Path, progress: Any = None) -> RenderedTake:
        if self.delay_s and not take_path(out_dir, self.name, request).exists():
            time.sleep(self.delay_s)  # a slow "GPU": room for a crash test to kill the process mid-shooting
        take = self.inner.render(request, out_dir, progress)
        if not take.reused:
            with self.log.open("a") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                f.write(f"{request.slate.shot} {take.request_hash}\n")
        return take

    def renders(self) -> list[tuple[str, str]]:
        if not self.log.exists():
            return []
        return [tuple(line.split()) for line in self.log.read_text().splitlines()]  # type: ignore[misc]


class SwappingGenerator(CountingGenerator):
    """Plants a defect: for the first ``bad`` renders of each shot in ``shots``, the characters swap places."""

    def __init__(self, log: Path, shots: set[str], bad: int) -> None:
        super().__init__(log)
        self.shots, self.bad, self.seen = shots, bad, {}  # type: ignore[var-annotated]

    def render(self, request: RenderRequest, out_dir: Path, progress: Any = None) -> RenderedTake:
        shot = request.slate.shot
        self.seen[shot] = self.seen.get(shot, 0) + 1
        if shot in self.shots and self.seen[shot] <= self.bad and len(request.staging) >= 2:
            staging = list(request.staging)
            a, b = staging[0], staging[-1]
            staging[0], staging[-1] = a.model_copy(update={"x": b.x}), b.model_copy(update={"x": a.x})
            request = request.model_copy(update={"staging": tuple(staging)})
        return super().render(request, out_dir, progress)
