"""The studio as a creator's tool (issue 19), handler by handler: edits and the film stay in step, approved
shots can be reopened, the cut says when it is out of date, take numbers agree, no server paths in chat."""

from __future__ import annotations

from pathlib import Path

import pytest
from studio_doubles import plan_without_graph

from agents.production.events import CutEvent
from agents.production.film_files import film_video
from agents.shots.requests import request_for_shot
from agents.studio import Studio
from generator.animatic.backend import AnimaticBackend
from memory.shotlist_io import export_shotlist
from ui.studio import deeplinks
from ui.studio.desk import Desk
from ui.studio.jobs import describe
from ui.studio.tabs import bible, chat, crew, cut, projects, shots, storyboard, timeline


@pytest.fixture
def desk(studio: Studio) -> Desk:
    return Desk(studio=studio)


@pytest.fixture
def film(desk: Desk) -> str:
    """Alice's planned project with an approved take per shot and a cut film on disk (status cut)."""
    project = plan_without_graph(desk.studio, "alice")
    store = desk.studio.store
    for n, shot in enumerate(store.shots(project)):
        path = desk.studio.settings.takes_dir / project / f"{shot.key}.mp4"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"mp4")
        store.add_take(project, shot.key, request_hash=f"{n:064x}", path=str(path), backend="animatic", status="approved")
    video = film_video(desk.studio.settings, project)
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(b"film")
    store.update_project(project, status="cut")
    return project


def card_of(desk: Desk, project: str, shot: str) -> storyboard.ShotCard:
    return next(c for c in storyboard.storyboard(desk, "alice", project) if c.shot == shot)


def test_a_duration_edit_reopens_the_shot_and_puts_the_cut_out_of_date(desk: Desk, film: str) -> None:
    first = desk.studio.store.shots(film)[0]
    assert card_of(desk, film, first.key).state == "approved" and cut.final_cut(desk, "alice", film).current
    rows = shots.shot_table(desk, "alice", film)
    rows[0][3] = first.duration_s + 1
    _table, said = shots.save_shots(desk, "alice", film, rows)
    assert f"shooting {first.key} again" in said
    card = card_of(desk, film, first.key)
    assert card.duration_s == first.duration_s + 1 and card.state == "stale"
    assert card.stale_reason == f"{first.key} edited: duration {first.duration_s:g}→{first.duration_s + 1:g} s"
    assert "out of date" in storyboard.card_text(card)
    assert desk.studio.store.project(film).status == "review"
    again = cut.final_cut(desk, "alice", film)
    assert not again.current and Path(again.video).is_file() and "out of date" in again.state  # the last cut stays
    assert all(card_of(desk, film, s.key).state == "approved" for s in desk.studio.store.shots(film)[1:])
    assert desk.jobs.wait(film, 30)
    assert any(f"shoot {first.key} again" in e.text for e in desk.jobs.log(film))


def test_a_new_voice_in_the_bible_outdates_only_that_characters_shots(desk: Desk, film: str) -> None:
    """The bible's voice change voices Tom's line again (real piper); his shots' takes, drawn with the old
    voicing, go stale and the cut is out of date, while every other shot stays approved."""
    store = desk.studio.store
    toms = [s.key for s in store.shots(film) if any(d["character"] == "tom" for d in s.dialogue)]
    assert toms and len(toms) < len(store.shots(film))
    assert bible.change_voice(desk, "alice", film, "tom", "en_US-joe-medium", -6.0, 1.0) == "queued: re-voice tom"
    assert desk.jobs.wait(film, 120)
    for shot in store.shots(film):
        card = card_of(desk, film, shot.key)
        assert card.state == ("stale" if shot.key in toms else "approved"), (shot.key, card.state)
        if shot.key in toms:
            assert card.stale_reason.startswith("Tom's voice changed: pitch")
    assert store.project(film).status == "review" and not cut.final_cut(desk, "alice", film).current


def test_an_approved_shot_can_be_reopened_from_the_board(desk: Desk, film: str) -> None:
    shot = desk.studio.store.shots(film)[1].key
    assert "queued: reopen" in storyboard.reopen(desk, "alice", film, shot)
    assert desk.jobs.wait(film, 30)
    card = card_of(desk, film, shot)
    assert card.state == "shot" and card.take_status == "done" and card.decidable
    assert not cut.final_cut(desk, "alice", film).current


def test_revert_says_it_approves_and_names_the_take_by_its_number(desk: Desk, film: str) -> None:
    store = desk.studio.store
    shot = store.shots(film)[2].key
    store.add_take(film, shot, request_hash="f" * 64, path="x.mp4", backend="animatic")
    first = store.takes(film, shot)[0]
    assert first.number == 1 and first.id == 3  # the database id differs from the number the card shows
    said = crew.decide(desk, "alice", film, "revert", shot, take_id=first.id)
    assert said == f"queued: revert {shot} to take #1 and approve it"


def test_a_note_field_stays_on_an_undecided_card_while_the_crew_works(desk: Desk, film: str) -> None:
    """Drawing the board while a job runs must not drop the note fields (their typed text would be lost)."""
    store = desk.studio.store
    shot = store.shots(film)[0].key
    store.set_take_status(store.takes(film, shot)[0].id or 0, "done")
    card = card_of(desk, film, shot)  # nothing pending (no graph), as while the crew is busy
    assert not card.waiting and card.decidable


def test_the_editor_names_the_film_not_the_servers_folders() -> None:
    _role, text, _shot, _fraction = describe(CutEvent(path="/srv/dailies/cuts/the-keeper/the-keeper.mp4"))
    assert "the-keeper.mp4" in text and "/srv" not in text


def test_an_empty_premise_is_explained_next_to_the_field_not_raised(desk: Desk) -> None:
    pid, wrong = projects.create_from_form(desk, "alice", "   ", 60, "")
    assert pid is None and "write a premise" in wrong
    assert desk.studio.store.projects(owner="alice") == []
    pid, wrong = projects.create_from_form(desk, "alice", "A keeper in a storm", 10**6, "")
    assert pid is None and wrong.startswith("the running time is between")


def test_a_note_with_no_project_open_is_explained_next_to_the_field(desk: Desk) -> None:
    assert "no project is open" in chat.send_from_form(desk, "alice", None, "make it warmer")
    assert "empty" in chat.send_from_form(desk, "alice", plan_without_graph(desk.studio, "alice"), "  ")


def test_a_project_has_one_label_in_the_picker_and_the_header(desk: Desk, film: str) -> None:
    view = desk.studio.project_for(film, "alice")
    assert view is not None and view.label == view.title
    ((label, pid),) = projects.project_choices(desk, "alice")
    assert pid == film and label.startswith(view.label)
    header = crew.header(desk, "alice", film)
    assert f">{view.label}</span>" in header and f'title="{view.premise}"' in header
    untitled = desk.studio.new("A robot learns to paint a very long premise that goes on and on", owner="alice")
    assert dict((p, lbl) for lbl, p in projects.project_choices(desk, "alice"))[untitled.id].startswith(untitled.premise[:40])


def test_the_timeline_draws_every_shot_to_scale_in_its_states_colour(desk: Desk, film: str) -> None:
    store = desk.studio.store
    first, second = store.shots(film)[0], store.shots(film)[1]
    store.set_take_status(store.takes(film, second.key)[0].id or 0, "done")
    desk.studio.edit_shot(film, first.key, duration_s=4.0)
    page = timeline.timeline_html(desk, "alice", film)
    for shot in store.shots(film):
        assert f"id='tl-{shot.key}'" in page
    assert f"id='tl-{first.key}' data-state='stale'" in page and f"width:{4.0 * timeline.PX_PER_S:.0f}px" in page
    assert f"id='tl-{second.key}' data-state='shot'" in page
    progress, state, preview = timeline.film_state(desk, "alice", film)
    total = len(store.shots(film))
    assert f"{total - 2} of {total} shots approved" in progress and "out of date" in state and preview is None
    assert timeline.timeline_html(desk, "bob", film) == ""  # not his


def test_play_all_cuts_the_current_takes_in_order_into_a_preview(desk: Desk, studio: Studio) -> None:
    """A real cut (ffmpeg) of the animatic's takes, approved or not."""
    project = plan_without_graph(desk.studio, "alice")
    backend = AnimaticBackend()
    plan = export_shotlist(desk.studio.store, project)
    for scene, shot in plan.shots():
        request = request_for_shot(plan, scene, shot, width=160, height=96, fps=8, seed=1, take=1)
        take = backend.render(request, desk.studio.settings.takes_dir / project, lambda *_: None)
        desk.studio.store.add_take(project, shot.id, request_hash=take.request_hash, path=str(take.path), backend=take.backend)
    assert "queued" in timeline.play_all(desk, "alice", project)
    assert desk.jobs.wait(project, 120)
    _progress, _state, preview = timeline.film_state(desk, "alice", project)
    assert preview is not None and Path(preview).stat().st_size > 1000
    assert desk.studio.store.project(project).status != "cut"  # a preview is not the film


def test_the_header_counts_approved_shots_and_names_the_demo_model(desk: Desk, film: str) -> None:
    total = len(desk.studio.store.shots(film))
    header = crew.header(desk, "alice", film)
    assert f"**Shots:** {total} of {total} approved · the film is cut" in header
    assert "demo model" not in header  # this studio was given a scripted LLM
    desk.studio.llm = None
    desk.studio.settings.llm = "bundled"
    assert "bundled demo model" in crew.header(desk, "alice", film)


def test_a_link_names_a_tab_only_if_it_is_one_of_ours() -> None:
    assert deeplinks.tab_of({"tab": "timeline"}) == "timeline"
    assert deeplinks.tab_of({"tab": "<script>"}) is None and deeplinks.tab_of({}) is None


def test_a_passing_card_shows_every_measured_value_and_each_finding_against_its_limit(desk: Desk, film: str) -> None:
    """Issue 19: every card said "critic: pass — every measured check passed" with no numbers. A card shows what
    the critic measured on its take, passing or not, and each finding with its threshold."""
    store = desk.studio.store
    shot = store.shots(film)[0].key
    take = store.takes(film, shot)[-1]
    store.add_review(int(take.id or 0), reviewer="critic", verdict="pass", scores={
        "measured": {"flicker": 0.031, "black_frames": 0.0, "duration_s": 3.04},
        "findings": [{"check": "flicker", "value": 0.12, "threshold": 0.2, "severity": "warn"}], "failing": []})
    text = storyboard.card_text(card_of(desk, film, shot))
    assert "critic: **pass**" in text
    assert "flicker 0.12 (limit 0.20, warn)" in text
    assert "measured: flicker 0.031, black_frames 0, duration_s 3.04" in text
