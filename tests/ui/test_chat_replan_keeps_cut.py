"""A chat story change after the cut re-plans the film, and the last cut stays (issue 19): the Final cut tab
still offers the film and its downloads, marked out of date, until the film is cut again; then it is current.

Real parts: the studio's handlers and job runner, the production graph, SQLite, the animatic and ffmpeg; the
crew and the producer's routing are the scripted LLM the other studio tests use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from studio_doubles import scripted_films, small_settings

from agents import CreatorDecision
from agents.crew.producer import Routing
from agents.studio import Studio
from generator.animatic.backend import AnimaticBackend
from ui.studio.desk import Desk
from ui.studio.tabs import chat, cut, timeline

STORY_CHANGE = Routing(intent="story_change", change="Tom is angrier with his mother", reply="Re-writing: Tom is angrier.")


@pytest.fixture
def studio(dailies_home: Path) -> Iterator[Studio]:
    studio = Studio(settings=small_settings(dailies_home), llm=scripted_films(routings=[STORY_CHANGE]), generator=AnimaticBackend())
    yield studio
    studio.close()


def approve_everything(studio: Studio, project: str) -> None:
    """Approve the plan (when it waits) and every shot, one at a time, as a person at the gates would."""
    pending = studio.pending(project)
    if pending is not None and pending.what == "plan":
        pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_story_change_by_chat_keeps_the_last_cut_out_of_date_until_a_new_one(studio: Studio) -> None:
    desk = Desk(studio=studio)
    project = studio.new("A keeper and her son in a storm", runtime_s=12, owner="alice").id
    studio.run(project)
    approve_everything(studio, project)
    first = cut.final_cut(desk, "alice", project)
    assert first.current and "current" in first.state
    film, downloads = digest(first.video), first.downloads

    assert chat.send_message(desk, "alice", project, "Tom should be angrier with his mother") == "sent"
    assert desk.jobs.wait(project, 120)
    pending = studio.pending(project)
    assert pending is not None and pending.what == "plan"  # the crew re-planned and waits for the new plan
    assert studio.store.project(project).status != "cut"
    assert any(m.role == "producer" and "Tom is angrier" in m.content for m in studio.store.messages(project))

    kept = cut.final_cut_or_none(desk, "alice", project)  # what the tab shows while it polls
    assert kept is not None, "the last cut disappeared with the re-plan"
    assert not kept.current and "out of date" in kept.state
    assert kept.video == first.video and digest(kept.video) == film  # the same film, untouched
    assert kept.downloads == downloads and all(Path(p).is_file() for p in kept.downloads)
    assert "out of date" in timeline.film_state(desk, "alice", project)[1]

    approve_everything(studio, project)
    again = cut.final_cut(desk, "alice", project)
    assert again.current and again.video == first.video and Path(again.video).is_file()
