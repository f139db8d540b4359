"""Per-shot render progress on the storyboard card and the timeline block (issue 19: "progress … on cards")."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

from studio_doubles import plan_without_graph

from agents import RenderEvent
from agents.studio import Studio
from ui.studio.desk import Desk
from ui.studio.tabs import storyboard, timeline


def test_a_rendering_shot_shows_its_share_as_a_bar_on_its_card_and_its_timeline_block(studio: Studio) -> None:
    desk, go = Desk(studio=studio), threading.Event()
    project = plan_without_graph(studio, "alice")
    shot = studio.store.shots(project)[0].key

    def work() -> Iterator[RenderEvent]:
        yield RenderEvent(shot=shot, fraction=0.4, message="frame 10/25")
        go.wait(10)

    desk.jobs.submit(project, "the crew works on the film", work)
    deadline = time.monotonic() + 5
    while not desk.jobs.progress(project) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        card = next(c for c in storyboard.storyboard(desk, "alice", project) if c.shot == shot)
        text = storyboard.card_text(card)
        assert card.state == "rendering" and "rendering 40%" in text
        assert re.search(r"<progress[^>]*value='0\.400'", text), text
        html = timeline.timeline_html(desk, "alice", project)
        block = re.search(rf"<div class='tl-shot' id='tl-{shot}'.*?</div></div>", html)
        assert block is not None and "class='tl-fill' style='width:40%'" in block.group(0), html
        others = [c for c in storyboard.storyboard(desk, "alice", project) if c.shot != shot]
        assert others and all("<progress" not in storyboard.card_text(c) for c in others)
    finally:
        go.set()
        desk.jobs.wait(project, 10)


def test_a_card_names_the_reshoot_ladder_rung_that_made_its_take(studio: Studio) -> None:
    desk = Desk(studio=studio)
    project = plan_without_graph(studio, "alice")
    shot = studio.store.shots(project)[0].key
    studio.store.add_take(project, shot, request_hash="a" * 64, path="a.mp4", backend="animatic", status="rejected")
    studio.store.add_take(project, shot, request_hash="b" * 64, path="b.mp4", backend="animatic",
                          parameters={"knobs": {"rung": "revised_prompt", "prompt_note": "sharper"}})
    card = next(c for c in storyboard.storyboard(desk, "alice", project) if c.shot == shot)
    assert "the critic's reshoot ladder: revised prompt" in storyboard.card_text(card)
    first = next(c for c in storyboard.storyboard(desk, "alice", project) if c.shot != shot)
    assert "ladder" not in storyboard.card_text(first)
