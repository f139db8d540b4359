"""The cut lasts the target runtime: cards, dissolves and voicing are given back by the shots with room
(issue 15: a ten-minute plan was cut at 613.7 s, +2.3 %; a 12 s film at 16.3 s, its 5 s of cards on top)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agents.crew.continuity_supervisor import review_plan
from agents.crew.registry import role
from agents.crew.role import Deps
from agents.grammar.values import RUNTIME_TOLERANCE
from agents.production.cut import _character_names, build_edit_list, cut_with_settings
from agents.production.runtime_fit import MIN_SHOT_S, fit_to_runtime, predicted_length_s
from agents.production.soundtrack import time_speech
from agents.production.voicing import voice_cache, voice_plan
from agents.shots.clip_limit import longest_clip_s
from generator.assembly import card_lengths, plan_cut
from generator.ffmpeg_tools import find_ffmpeg, probe
from memory.models import Shot, Take
from memory.store import Store

pytestmark = pytest.mark.slow
LONG = "The lamp has burned every night for forty years, and it will burn tonight, whatever the sea says."


def planned_project(deps: Deps, premise: str, runtime_s: float) -> str:
    """A project planned by the writer, screenwriter, director and cinematographer from their example answers."""
    project = deps.store.create_project(premise, target_runtime_s=runtime_s).id
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    return project


def cut_length_s(store: Store, deps: Deps, project: str) -> float:
    """The length, in whole frames, of the cut ``cut_project`` would assemble (its edit list, voiced and timed,
    snapped by the assembly's own planner) — without rendering a take."""
    rows = store.dump_project(project)
    chosen = [
        (shot, Take(shot_id=shot.id or 0, request_hash="0" * 64, path=f"{shot.key}.mp4", status="approved"))
        for _, shot in rows.shots
    ]
    edit = build_edit_list(rows, chosen, width=160, height=90, fps=24)
    edit, _ = time_speech(rows, edit, voice_cache(deps.settings), _character_names(rows.characters), [])
    return plan_cut(edit).duration_s


def approve(store: Store, deps: Deps, project: str) -> tuple[dict[str, float], float]:
    """What plan approval does to the lengths (``plan_decided``): voice, then fit. Returns the floors and the limit."""
    voiced = voice_plan(store, project, voice_cache(deps.settings))
    limit = longest_clip_s(deps.settings)
    fit_to_runtime(store, project, floors=voiced.needs, longest_s=limit)
    return voiced.needs, limit


def test_a_ten_minute_plan_is_cut_at_ten_minutes(deps: Deps) -> None:
    store = deps.store
    project = planned_project(deps, "A chess-playing robot and a deaf girl enter a tournament", 600)
    before = cut_length_s(store, deps, project)
    assert abs(before - 600) <= RUNTIME_TOLERANCE * 600  # the plan already leaves the cards their time
    floors, limit = approve(store, deps, project)
    shots = store.shots(project)
    assert len(shots) >= 100
    assert cut_length_s(store, deps, project) == pytest.approx(600, abs=0.1)
    assert max(s.duration_s for s in shots) <= limit
    assert all(s.duration_s >= floors[s.key] for s in shots if s.key in floors)  # every line still fits
    findings, changes = review_plan(store, project)
    assert changes == [] and [f for f in findings if f["severity"] == "error"] == []


@pytest.fixture
def three_scenes(store: Store) -> str:
    """A 40 s film of three scenes: s2 comes in with a 1 s dissolve, s3 with a fade; one shot holds a long
    line in 1.5 s (voicing lengthens it), one already has a take."""
    pid = store.create_project("A keeper and her son in a storm", target_runtime_s=40).id
    store.upsert_character(pid, "mara", name="Mara")
    for n, notes in enumerate(
        ({}, {"transition_in": "dissolve", "transition_s": 1.0}, {"transition_in": "fade", "pacing": "slow"}),
        1,
    ):
        store.upsert_scene(
            pid,
            f"s{n}",
            heading="INT. LAMP ROOM - NIGHT",
            location="lamp room",
            notes={"director": notes} if notes else {},
        )
        for k in range(1, 4):
            store.upsert_shot(
                pid, f"s{n}", f"s{n}-0{k}", size="MS", duration_s=4.0, description="Mara trims the wick."
            )
    store.update_shot(pid, "s2-01", dialogue=[{"character": "mara", "line": LONG}], duration_s=1.5)
    store.add_take(pid, "s1-01", request_hash="0" * 64, path="take.mp4", backend="animatic")
    return pid


def test_cards_dissolves_and_voicing_are_given_back(deps: Deps, three_scenes: str) -> None:
    store, project = deps.store, three_scenes
    floors, _ = approve(store, deps, project)
    shots = {s.key: s for s in store.shots(project)}
    assert shots["s2-01"].duration_s >= floors["s2-01"] > 4.0  # lengthened for its line, and kept so
    assert shots["s1-01"].duration_s == 4.0  # it has a take: its length is not touched
    assert all(s.duration_s >= MIN_SHOT_S for s in shots.values())
    assert cut_length_s(store, deps, project) == pytest.approx(40, abs=0.05)
    assert predicted_length_s(store.scenes(project), list(shots.values()), 40) == pytest.approx(40, abs=0.05)


def test_a_film_too_short_to_give_anything_back_says_so(deps: Deps, three_scenes: str) -> None:
    store, project = deps.store, three_scenes
    store.update_project(project, target_runtime_s=10)
    report = fit_to_runtime(store, project, floors={}, longest_s=10.0)
    assert report.off_by_s > 0  # nine shots at MIN_SHOT_S plus the cards cannot be 10 s
    assert f"still {report.off_by_s:+g} s off" in report.summary()  # said in the chat, not hidden
    assert all(s.duration_s == MIN_SHOT_S for s in store.shots(project) if s.key != "s1-01")


def test_the_prediction_is_the_cut_planner_s_length(deps: Deps, three_scenes: str) -> None:
    store, project = deps.store, three_scenes
    store.update_shot(project, "s2-01", dialogue=[])  # unvoiced: the cut holds no shot longer than planned
    shots: list[Shot] = store.shots(project)
    assert predicted_length_s(store.scenes(project), shots, 40) == pytest.approx(
        cut_length_s(store, deps, project), abs=1 / 24
    )


def test_a_twelve_second_film_is_cut_at_twelve_seconds(deps: Deps, tmp_path: Path) -> None:
    """The running time asked for is the film's length, cards included: the plan leaves the cards their
    time, approval keeps it after voicing, and the real cut (voiced, mixed, probed) runs 12 s."""
    store = deps.store
    project = planned_project(deps, "A beekeeper and her grumpy neighbour rescue a swarm from a church bell tower at noon", 12)
    cards = sum(card_lengths(12))
    planned = sum(s.duration_s for s in store.shots(project))
    assert abs(planned + cards - 12) <= RUNTIME_TOLERANCE * 12, (planned, cards)
    findings, _ = review_plan(store, project)
    assert [f for f in findings if f["rule"] == "runtime"] == []
    approve(store, deps, project)
    shots = store.shots(project)
    assert abs(sum(s.duration_s for s in shots) + cards - 12) <= RUNTIME_TOLERANCE * 12
    ffmpeg = find_ffmpeg()
    for shot in shots:  # a grey take of each shot, a second long: the cut holds its last frame to the shot's length
        path = tmp_path / f"{shot.key}.mp4"
        subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=160x90:r=24:d=1",
                        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)], check=True)  # fmt: skip
        take = store.add_take(project, shot.key, request_hash=shot.key, path=str(path), backend="animatic")
        store.set_take_status(int(take.id or 0), "approved")
    settings = deps.settings.model_copy(update={"width": 160, "height": 90, "fps": 24})
    result = cut_with_settings(store, settings, project, out_dir=tmp_path / "cut")
    length = probe(result.video).duration_s
    assert abs(length - 12) <= 0.1, (length, result.notes)  # the fit's own precision, well inside the grammar's 5 %
