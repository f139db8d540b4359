"""Long steps the page shows (issue 19's "progress everywhere"): loading the crew's model and cutting the film
tick in the header with what they do and the seconds spent, and leave one line in the chat."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from studio_doubles import plan_without_graph

from agents import RoleEvent
from agents.shots.requests import request_for_shot
from agents.studio import Studio
from agents.studio.warm_up import loading_message
from generator.animatic.backend import AnimaticBackend
from memory.shotlist_io import export_shotlist
from ui.studio import steps
from ui.studio.desk import Desk
from ui.studio.jobs import JobRunner
from ui.studio.steps import MODEL_STEP, Step, run_step
from ui.studio.tabs import chat, crew, timeline
from ui.studio.tabs.projects import job_notice


@pytest.fixture(autouse=True)
def quick_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "HEARTBEAT_S", 0.05)


def test_a_step_says_what_it_does_ticks_while_it_works_and_returns_its_value() -> None:
    def work(report: steps.Report) -> int:
        report("converting", None)
        time.sleep(0.3)
        report("converting", 0.5)  # only the fraction moved: a tick, not a new line
        report("loading", None)
        time.sleep(0.2)
        return 42

    gen = run_step("the model", work, first="getting ready")
    seen: list[Step] = []
    try:
        while True:
            seen.append(next(gen))
    except StopIteration as stop:
        value = stop.value
    assert value == 42
    assert [s.message for s in seen if s.said and not s.done] == ["getting ready", "converting", "loading"]
    ticks = [s for s in seen if not s.said and not s.done]
    assert len(ticks) >= 4  # ~0.5 s of work at a tick every 0.05 s
    assert [s.elapsed_s for s in seen] == sorted(s.elapsed_s for s in seen)
    assert any(s.fraction == 0.5 and not s.said for s in seen)
    assert seen[-1].done and seen[-1].line.startswith("the model: done in ")
    assert ticks[0].line.startswith("the model: converting")


def test_a_step_raises_what_its_work_raised() -> None:
    def work(report: steps.Report) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        list(run_step("the cut", work))


def test_the_runner_holds_the_running_step_for_the_header_and_logs_only_what_it_said() -> None:
    jobs, go = JobRunner(), threading.Event()

    def work() -> Iterator[Step | RoleEvent]:
        yield Step("the model", "converting", elapsed_s=0.0)
        for second in range(1, 4):
            yield Step("the model", "converting", elapsed_s=second, said=False)
        go.wait(10)
        yield Step("the model", "done", 1.0, 4.0, done=True)
        yield RoleEvent(role="writer", status="started")

    jobs.submit("p", "plan", work)
    deadline = time.monotonic() + 5
    while (jobs.step("p") is None or jobs.step("p").elapsed_s < 3) and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.01)
    assert jobs.step("p") == Step("the model", "converting", elapsed_s=3, said=False)
    go.set()
    assert jobs.wait("p", 10) and jobs.step("p") is None
    lines = [e.text for e in jobs.log("p") if e.kind == "step"]
    assert lines == ["the model: converting", "the model: done in 4 s"]  # the ticks stay out; a said line has no seconds


def test_the_header_shows_the_step_ticking_and_the_chat_keeps_its_last_line(studio: Studio) -> None:
    desk, go = Desk(studio=studio), threading.Event()
    project = plan_without_graph(studio, "alice")

    def work() -> Iterator[Step]:
        yield Step(MODEL_STEP, "converting the bundled model", elapsed_s=0.0)
        yield Step(MODEL_STEP, "converting the bundled model", elapsed_s=12.0, said=False)
        go.wait(10)
        yield Step(MODEL_STEP, "done", 1.0, 64.0, done=True)

    desk.jobs.submit(project, "the crew works on the film", work)
    deadline = time.monotonic() + 5
    while "12 s" not in crew.header(desk, "alice", project) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "**Now:** the crew's model: converting the bundled model · 12 s" in crew.header(desk, "alice", project)
    assert crew.job_state(desk, "alice", project)["step"] == "the crew's model: converting the bundled model · 12 s"  # /state
    go.set()
    assert desk.jobs.wait(project, 10)
    assert "**Now:**" not in crew.header(desk, "alice", project)
    said = [str(m.content) for m in chat.chat_messages(desk, "alice", project)]
    assert "**studio** the crew's model: done in 64 s" in said and not any("converting" in line for line in said)


def test_a_crew_job_loads_the_renderer_first_as_a_step(studio: Studio) -> None:
    studio.generator = None  # as a fresh studio: nothing loaded yet
    desk = Desk(studio=studio)
    project = plan_without_graph(studio, "alice")
    ran: list[bool] = []

    def work() -> Iterator[RoleEvent]:
        ran.append(studio.generator is not None)  # the crew's work starts with the renderer loaded
        yield RoleEvent(role="writer", status="finished")

    desk.crew_job(project, "the crew works on the film", work)
    assert desk.jobs.wait(project, 30) and ran == [True]
    lines = [e.text for e in desk.jobs.log(project) if e.kind == "step"]
    assert any("preparing the renderer (animatic)" in line for line in lines)
    assert lines[-1].startswith("the crew's model: done in")
    desk.crew_job(project, "again", work)  # loaded now: no step
    assert desk.jobs.wait(project, 30)
    assert len([e for e in desk.jobs.log(project) if e.kind == "step"]) == len(lines)


def test_the_studio_says_whether_the_bundled_model_is_converted_or_only_loaded(studio: Studio) -> None:
    from agents.llm.bundled import converted_folder

    settings = studio.settings.model_copy(update={"llm": "bundled"})
    assert loading_message(settings).startswith("converting the bundled model")
    folder = converted_folder(settings.home)
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    assert loading_message(settings).startswith("loading the bundled model")
    openai = settings.model_copy(update={"llm": "openai:http://127.0.0.1:8000/v1#m"})
    assert loading_message(openai) == "connecting to the model server http://127.0.0.1:8000/v1"


def test_a_preview_cut_reports_its_share_and_ends_with_one_line(studio: Studio) -> None:
    """A real cut (ffmpeg): the cut's progress reaches the runner as a step with fractions."""
    desk = Desk(studio=studio)
    project = plan_without_graph(studio, "alice")
    plan = export_shotlist(studio.store, project)
    for scene, shot in plan.shots():
        request = request_for_shot(plan, scene, shot, width=160, height=96, fps=8, seed=1, take=1)
        take = AnimaticBackend().render(request, studio.settings.takes_dir / project, lambda *_: None)
        studio.store.add_take(project, shot.id, request_hash=take.request_hash, path=str(take.path), backend=take.backend)
    seen: list[Step] = []
    record = desk.jobs._record

    def spy(slot, job, event):  # type: ignore[no-untyped-def]
        if isinstance(event, Step):
            seen.append(event)
        record(slot, job, event)

    desk.jobs._record = spy  # type: ignore[method-assign]
    timeline.play_all(desk, "alice", project)
    assert desk.jobs.wait(project, 120)
    assert Path(timeline.film_state(desk, "alice", project)[2] or "").is_file()
    shares = [s.fraction for s in seen if s.fraction is not None and not s.done]
    assert shares and 0 < max(shares) <= 1, seen
    said = [e.text for e in desk.jobs.log(project) if e.kind == "step"]
    assert said[0].startswith("the preview: voicing the lines and mixing the sound") and said[-1].startswith("the preview: done in")
    assert "finished: cut a preview" in job_notice(desk, "alice", project)


def test_the_model_step_shows_the_loaders_own_count_in_the_header_and_the_log(
    studio: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled model's conversion counts the tensors it dequantises; the header shows that share as a bar
    while it works and the log keeps the step's line (issue 19: 'no percentage while the model is converted')."""
    from agents.llm import registry

    scripted, halfway, go = studio.llm, threading.Event(), threading.Event()

    def bundled(_arg: str, _home: Path, report):  # type: ignore[no-untyped-def]
        report("converting: reading its weights (step 2 of 4)", None)
        report("converting: dequantising its tensors (step 2 of 4)", 0.25)
        report("converting: dequantising its tensors (step 2 of 4)", 0.5)
        halfway.set()
        go.wait(10)
        report("converting: dequantising its tensors (step 2 of 4)", 1.0)
        return scripted

    monkeypatch.setitem(registry.BACKENDS, "bundled", (False, bundled))
    studio.settings = studio.settings.model_copy(update={"llm": "bundled"})
    studio.llm = None  # as a fresh studio: the model is not loaded yet
    desk = Desk(studio=studio)
    project = plan_without_graph(studio, "alice")
    desk.crew_job(project, "the crew works on the film", lambda: iter(()))
    assert halfway.wait(10)
    deadline = time.monotonic() + 5
    while "50%" not in crew.header(desk, "alice", project) and time.monotonic() < deadline:
        time.sleep(0.01)
    header = crew.header(desk, "alice", project)
    assert "**Now:** the crew's model: converting: dequantising its tensors (step 2 of 4) 50%" in header
    assert "<progress value='0.500'>" in header
    go.set()
    assert desk.jobs.wait(project, 10) and studio.llm is scripted
    logged = [(e.text, e.fraction) for e in desk.jobs.log(project) if e.kind == "step"]
    assert ("the crew's model: converting: dequantising its tensors (step 2 of 4) 25%", 0.25) in logged
    assert not any("50%" in text for text, _ in logged)  # the count moving is a tick for the header, not a log line
