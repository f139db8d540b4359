"""An edit that changes a shot makes its take stale, re-opens its approval and puts the film out of date;
an approved shot can be reopened; the last cut stays offered (not current) until a new one exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.errors import NotPending
from agents.production.film_files import film_video
from agents.settings import load_settings
from agents.shots.edits import shots_to_reshoot
from agents.studio import Studio


@pytest.fixture
def studio() -> Studio:
    return Studio(settings=load_settings())


@pytest.fixture
def cut(studio: Studio) -> str:
    """A planned project whose every shot has an approved take and whose film lies on disk: status cut."""
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    deps = Deps(store=studio.store, llm=None, settings=studio.settings)
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    for shot in studio.store.shots(project):
        studio.store.add_take(project, shot.key, request_hash=f"h-{shot.key}", path=f"/takes/{shot.key}.mp4", seed=1, backend="animatic", status="approved")
    video = film_video(studio.settings, project)
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(b"film")
    studio.store.update_project(project, status="cut")
    return project


def statuses(studio: Studio, project: str, shot: str) -> list[str]:
    return [t.status for t in studio.store.takes(project, shot)]


def test_a_duration_edit_stales_the_take_and_puts_the_film_out_of_date(studio: Studio, cut: str) -> None:
    shot = studio.store.shots(cut)[0]
    assert studio.film_files(cut).current  # type: ignore[union-attr]
    studio.edit_shot(cut, shot.key, duration_s=shot.duration_s + 1)
    take = studio.store.takes(cut, shot.key)[-1]
    assert take.status == "stale" and take.stale_reason == f"{shot.key} edited: duration {shot.duration_s:g}→{shot.duration_s + 1:g} s"
    assert studio.store.project(cut).status == "review"
    assert shots_to_reshoot(studio.store, cut) == [shot.key]
    others = [s.key for s in studio.store.shots(cut)[1:]]
    assert all(statuses(studio, cut, k) == ["approved"] for k in others)  # only the edited shot
    files = studio.film_files(cut)
    assert files is not None and not files.current and files.video.is_file()  # the last cut stays, out of date
    assert studio.board(cut).shots[0].duration_s == shot.duration_s + 1


def test_an_edit_that_changes_nothing_keeps_the_take(studio: Studio, cut: str) -> None:
    shot = studio.store.shots(cut)[0]
    studio.edit_shot(cut, shot.key, size=shot.size, duration_s=shot.duration_s)
    assert statuses(studio, cut, shot.key) == ["approved"] and studio.store.project(cut).status == "cut"


@pytest.mark.parametrize("fields", [{"size": "ECU"}, {"prompt": "a different picture"}])
def test_size_and_prompt_edits_stale_too(studio: Studio, cut: str, fields: dict) -> None:
    shot = studio.store.shots(cut)[1]
    studio.edit_shot(cut, shot.key, **fields)
    assert statuses(studio, cut, shot.key) == ["stale"]


def test_reopen_takes_an_approval_back(studio: Studio, cut: str) -> None:
    shot = studio.store.shots(cut)[0].key
    list(studio.reopen(cut, shot))  # no graph state here: nothing is re-entered, the store changes
    assert statuses(studio, cut, shot) == ["done"] and studio.store.project(cut).status == "review"
    assert shots_to_reshoot(studio.store, cut) == []  # reopened, not changed: the take stays current
    with pytest.raises(NotPending, match="no approved take"):
        list(studio.reopen(cut, shot))


def test_no_film_until_one_was_cut(studio: Studio, cut: str) -> None:
    Path(film_video(studio.settings, cut)).unlink()
    assert studio.film_files(cut) is None


def test_restaging_keeps_the_projects_style_in_the_rewritten_prompts(studio: Studio) -> None:
    """Issue 19: a look change re-wrote prompts without the project's style (checked here on every prompt
    of the restaged character's shots, which are re-compiled from memory)."""
    from agents.shots.restaging import restage_character

    project = studio.new("A keeper and her son in a storm", runtime_s=12, style="grainy 16mm, cold light").id
    deps = Deps(store=studio.store, llm=None, settings=studio.settings)
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    shots = restage_character(studio.store, project, "mara", "a blue scarf")
    assert shots
    for key in shots:
        prompt = studio.store.shot(project, key).prompt or ""
        assert "a blue scarf" in prompt and "grainy 16mm, cold light" in prompt
