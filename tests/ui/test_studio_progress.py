"""The header's progress line (``ui.studio.progress``) and the chat's compact activity (issue 19)."""

from __future__ import annotations

from agents import ShotView
from ui.studio.jobs import LogEntry
from ui.studio.progress import job_progress
from ui.studio.tabs.chat import _activity


def entry(seq: int, kind: str, text: str = "", role: str = "studio", shot: str = "", at: float = 0.0, job: int = 2) -> LogEntry:
    return LogEntry(seq=seq, job=job, role=role, text=text, kind=kind, shot=shot, at=at)


def shots(*states: str) -> tuple[ShotView, ...]:
    """Shots whose ``state`` is as given (a take's status decides it; none = planned)."""
    from agents.production.board import TakeView

    status = {"approved": "approved", "shot": "done", "stale": "stale"}
    return tuple(
        ShotView(key=f"s1-0{i}", scene="s1", size="MS", duration_s=3, description="", prompt="", staging=(),
                 takes=(TakeView(id=i, number=1, status=status[s], path=""),) if s in status else ())
        for i, s in enumerate(states, 1)
    )


def test_shooting_says_shots_done_of_n_and_an_eta_from_the_jobs_pace() -> None:
    log = [entry(1, "started", "started: approve the plan", at=100.0, job=1), entry(2, "started", at=200.0),
           entry(3, "take", shot="s1-01", at=210.0), entry(4, "take", shot="s1-02", at=220.0)]
    progress = job_progress(log, shots("shot", "shot", "planned", "planned"), now=220.0)
    assert progress is not None
    assert progress.line == "2 of 4 shots shot · about 20 s left"  # 10 s a take, two to go


def test_planning_names_the_working_role_and_those_done() -> None:
    log = [entry(1, "started", at=0.0), entry(2, "role", "writer is working…", role="writer"),
           entry(3, "role", "writer finished: a title", role="writer"), entry(4, "role", "screenwriter is working…", role="screenwriter")]
    progress = job_progress(log, (), now=5.0)
    assert progress is not None and progress.line == "screenwriter is working (done: writer)"
    assert job_progress([], ()) is None


def test_the_chat_keeps_only_the_newest_waiting_line() -> None:
    log = [entry(1, "waiting", "shots wait for your decision: s1-01, s1-02", role="producer", at=1.0),
           entry(2, "take", "s1-01: new take (take #2)", role="camera", at=2.0),
           entry(3, "waiting", "shots wait for your decision: s1-01", role="producer", at=3.0)]
    texts = [e.text for e in _activity(log)]
    assert texts == ["s1-01: new take (take #2)", "shots wait for your decision: s1-01"]


def test_a_jobs_activity_is_one_compact_message_each_line_named_by_its_role(studio) -> None:  # type: ignore[no-untyped-def]
    """One bubble per job (titled by what it does) instead of one nested bubble per line (issue 19)."""
    from studio_doubles import plan_without_graph

    from agents import Event, RoleEvent, TakeEvent, VerdictEvent
    from ui.studio.desk import Desk
    from ui.studio.tabs.chat import chat_messages

    desk = Desk(studio=studio)
    project = plan_without_graph(studio, "alice")
    events: list[Event] = [RoleEvent(role="writer", status="started"), RoleEvent(role="writer", status="finished", summary="a title"),
              TakeEvent(shot="s1-01", take_id=7, path="x.mp4", number=1), VerdictEvent(shot="s1-01", take_id=7, verdict="pass")]
    desk.jobs.submit(project, "approve the plan", lambda: iter(events))
    desk.jobs.submit(project, "reshoot s1-01", lambda: iter([VerdictEvent(shot="s1-01", take_id=8, verdict="reshoot", reasons=["dark"])]))
    assert desk.jobs.wait(project, 10)
    crew = [m for m in chat_messages(desk, "alice", project) if m.role == "assistant"]
    assert [(m.metadata or {}).get("title") for m in crew] == ["crew · approve the plan", "crew · reshoot s1-01"]
    assert str(crew[0].content).splitlines() == ["**writer** finished: a title", "**camera** s1-01: new take (take #1)", "**critic** s1-01: pass"]
    assert str(crew[1].content) == "**critic** s1-01: reshoot (dark)"


def test_the_continuity_round_shows_once_in_the_chat(studio) -> None:  # type: ignore[no-untyped-def]
    """Continuity both stores its round's summary and reports it as the job's line: the chat showed "round 1: …"
    twice (issue 19). It shows once, in the job's message; the stored one stays for a page opened after a restart."""
    from ui.studio.desk import Desk
    from ui.studio.tabs.chat import chat_messages

    desk = Desk(studio=studio)
    project = studio.new("A keeper and her son in a storm", runtime_s=12, owner="alice").id
    desk.crew_job(project, "planning", lambda: studio.advance(project))
    assert desk.jobs.wait(project, 240)
    said = [str(m.content) for m in chat_messages(desk, "alice", project)]
    assert sum(line.count("round 1:") for line in said) == 1
    assert any("**continuity** finished: round 1:" in line for line in said)
    restarted = Desk(studio=studio)  # a new server process: no job log, the stored message is all there is
    assert sum(str(m.content).count("round 1:") for m in chat_messages(restarted, "alice", project)) == 1
