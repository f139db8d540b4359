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
from agents.crew.scene_chunks import chunks
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


def ten_minute_answers() -> dict[str, list[Any]]:
    """The planning roles' answers for a 600 s film, in the sizes its schemas ask (``agents.crew.shape``:
    30 beats, 24 scenes asked four at a time): the same two people and two places throughout."""
    from agents.crew.shape import shape_for

    shape = shape_for(600)
    story = writer.example().model_copy(update={
        "locations": [*writer.example().locations, writer.LocationSheet(name="harbour", interior=False, description="stone quay, boats pulling at ropes")],
        "beats": [f"Mara and Tom face the storm, moment {n} of the night." for n in range(1, shape.beats + 1)],
    })
    scenes = []
    for n in range(1, shape.scenes + 1):
        scenes.append(screenwriter.SceneDraft(
            location="lamp room" if n % 2 else "harbour", time_of_day="night", characters=["mara", "tom"],
            action=f"Mara and Tom hold the lamp against the storm, moment {n}.",
            dialogue=[screenwriter.Line(character="mara", line=f"Hold the lamp steady, Tom, moment {n}."),
                      screenwriter.Line(character="tom", line=f"I have it, mother, moment {n}.")],
        ))
    per = screenwriter.SCENES_PER_REQUEST
    screenplays = [screenwriter.Screenplay(scenes=scenes[i : i + per]) for i in range(0, len(scenes), per)]
    ids = [f"s{n}" for n in range(1, shape.scenes + 1)]
    mark = [director.Mark(character="mara", side="left"), director.Mark(character="tom", side="right")]
    return {
        "StoryDevelopment": [story],
        "Screenplay": screenplays,
        "Direction": [director.Direction(scenes=[
            director.SceneDirection(scene=s, intent="Her guard stays up while her hands betray relief.", blocking=mark,
                                    pacing="medium", transition_in="dissolve" if ids.index(s) % 6 == 5 else "cut")
            for s in part]) for part in chunks(ids)],  # asked a few scenes at a time (agents.crew.scene_chunks)
        "ShotPlan": [cinematographer.ShotPlan(scenes=[cinematographer.default_look(s) for s in part]) for part in chunks(ids)],
        "Ledger": [continuity.example(), *(continuity.Ledger() for _ in chunks(ids)[1:])],
        "CutNotes": [editor.example()],
    }
