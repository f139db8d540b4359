"""The studio as a creator's tool (issue 19), handler by handler: edits and the film stay in step, approved
shots can be reopened, the cut says when it is out of date, take numbers agree, no server paths in chat."""

from __future__ import annotations

from pathlib import Path

import pytest
from studio_doubles import plan_without_graph

from agents.production.events import CutEvent
from agents.production.film_files import film_video
from agents.studio import Studio
from ui.studio.desk import Desk
from ui.studio.jobs import describe
from ui.studio.tabs import chat, crew, cut, projects, shots, storyboard


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
