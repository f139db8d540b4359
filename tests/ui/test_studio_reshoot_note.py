"""A reshoot note changes the take (issue 19): "closer, she looks at him" on the animatic makes the next take's
shot tighter and its staged character face the other, the frames differ beyond the slate, and the card says
what changed and offers the two takes side by side. Real parts: the production graph, SQLite, the animatic
backend and ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from agents import CreatorDecision
from agents.shots.note_changes import SCALE
from agents.studio import Studio
from generator.animatic.frame import draw_frame, figure_boxes
from generator.base import RenderRequest
from tests.generator.animatic.test_animatic_angles import horizon_row
from ui.studio.desk import Desk
from ui.studio.tabs import storyboard


def frame(path: str, width: int, height: int) -> np.ndarray:
    """The take's middle-ish frame (0.4 s in) as RGB pixels."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", "0.4", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)


def test_a_closer_note_tightens_the_next_animatic_take_and_the_card_says_so(studio: Studio) -> None:
    project = studio.new("A keeper and her son in a storm", runtime_s=12, owner="alice").id
    studio.run(project)
    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    assert pending is not None and pending.what == "shots"
    target = next(s for s in studio.store.shots(project) if len(s.characters) >= 2 and s.size in SCALE[:-1])
    before = studio.store.takes(project, target.key)[-1]
    studio.decide_all(project, CreatorDecision(kind="reshoot", shot=target.key, note="closer, she looks at him"))

    after = studio.store.takes(project, target.key)[-1]
    assert after.id != before.id
    old, new = before.parameters["request"], after.parameters["request"]
    assert SCALE.index(new["shot_size"]) == SCALE.index(old["shot_size"]) + 1  # one step tighter
    looker, other = new["staging"][0], new["staging"][1]
    assert looker["facing"] == ("right" if other["x"] >= looker["x"] else "left")
    assert "closer, she looks at him" in new["prompt"]  # the words still reach backends that read them

    width, height = studio.settings.width, studio.settings.height
    a, b = frame(before.path or "", width, height), frame(after.path or "", width, height)
    changed = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 24
    assert changed.mean() > 0.05, changed.mean()  # far more than the slate's take number

    card = next(c for c in storyboard.storyboard(Desk(studio=studio), "alice", project) if c.shot == target.key)
    assert f"size {old['shot_size']}→{new['shot_size']}" in card.changed
    assert "Your note changed" in storyboard.card_text(card)
    assert card.compare is not None and [n for n, _ in card.compare] == [before.number, after.number]
    assert all(Path(p).is_file() for _, p in card.compare)


def test_a_low_angle_note_draws_the_next_take_from_below(studio: Studio) -> None:
    """"low angle" set the shot's camera height, but the animatic drew every height at eye level: the new take
    looked the same. Now the take's request carries the height (a new key, not a cache hit), the take shows that
    drawing, its floor line or horizon is lower than in the old take, and its figures are taller."""
    project = studio.new("A keeper and her son in a storm", runtime_s=12, owner="alice").id
    studio.run(project)
    assert studio.decide_all(project, CreatorDecision(kind="approve_plan")) is not None
    target = next(s for s in studio.store.shots(project) if s.characters and (s.camera or {}).get("height", "eye") == "eye")
    before = studio.store.takes(project, target.key)[-1]
    studio.decide_all(project, CreatorDecision(kind="reshoot", shot=target.key, note="try it from a low angle"))

    after = studio.store.takes(project, target.key)[-1]
    assert after.id != before.id and after.request_hash != before.request_hash
    old, new = (RenderRequest.model_validate(t.parameters["request"]) for t in (before, after))
    assert old.camera_height == "eye" and new.camera_height == "low"

    width, height = studio.settings.width, studio.settings.height
    horizon, tallest = {}, {}
    for name, take, request in (("old", before, old), ("new", after, new)):
        pixels = frame(take.path or "", width, height)
        assert np.abs(pixels.astype(int) - draw_frame(request, 0.4).astype(int)).mean() < 6  # the take is that drawing
        horizon[name] = horizon_row(pixels)
        tallest[name] = max(b.box[3] - b.box[1] for b in figure_boxes(request, 0.4))
    assert horizon["new"] > horizon["old"] + 0.05 * height, horizon  # the camera is lower: so is the horizon
    assert tallest["new"] > 1.1 * tallest["old"], tallest  # and the figures loom
    assert "camera height eye→low" in next(
        c for c in storyboard.storyboard(Desk(studio=studio), "alice", project) if c.shot == target.key
    ).changed
