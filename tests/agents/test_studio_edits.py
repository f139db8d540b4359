"""Studio's small edit methods used by the studio page: shot edits re-checked by the grammar, a look change
that restages only that character's shots, reference images copied into the data folder, and deleting a
project with its checkpoints and files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.settings import load_settings
from agents.studio import Studio
from memory.errors import InvalidValue, NotFound


@pytest.fixture
def studio() -> Studio:
    return Studio(settings=load_settings())


@pytest.fixture
def planned(studio: Studio) -> str:
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    deps = Deps(store=studio.store, llm=None, settings=studio.settings)
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    return project


def test_edit_shot_saves_fields_and_returns_the_grammar_findings(studio: Studio, planned: str) -> None:
    shots = studio.store.shots(planned)
    assert all(f.severity != "error" for f in studio.edit_shot(planned, shots[0].key))
    staged = studio.store.shot(planned, "s1-02")  # Mara alone, looking right at Tom off screen
    flip = {"left": "right", "right": "left"}
    mirrored = [{**c, "x": 1 - float(c["x"]), "facing": flip.get(c["facing"], c["facing"])} for c in staged.characters]
    findings = studio.edit_shot(planned, staged.key, characters=mirrored, duration_s=2.5)
    row = studio.store.shot(planned, staged.key)
    assert row.duration_s == 2.5 and row.characters == mirrored
    assert {f.rule for f in findings if staged.key in f.shots} >= {"axis_180"}  # mirrored: she crosses the line
    with pytest.raises(InvalidValue):
        studio.edit_shot(planned, staged.key, colour="red")


def test_change_look_restages_only_that_characters_shots(studio: Studio, planned: str) -> None:
    tom_only = [s.key for s in studio.store.shots(planned) if {c["id"] for c in s.characters} == {"tom"}]
    list(studio.change_look(planned, "mara", "a blue scarf"))  # never run: no graph state, nothing re-shot
    assert "a blue scarf" in studio.store.character(planned, "mara").description
    for shot in studio.store.shots(planned):
        shows_mara = any(c["id"] == "mara" for c in shot.characters)
        assert ("a blue scarf" in (shot.prompt or "")) == shows_mara
    assert tom_only and all("a blue scarf" not in (studio.store.shot(planned, k).prompt or "") for k in tom_only)


def test_reference_images_are_checked_and_copied(studio: Studio, planned: str, tmp_path: Path) -> None:
    drawing = tmp_path / "mara.jpg"
    Image.new("RGB", (16, 16), "blue").save(drawing)
    stored = studio.set_reference_image(planned, "mara", drawing)
    assert stored.parent == studio.settings.home / "references" / planned and stored.suffix == ".jpg"
    assert studio.set_reference_image(planned, "mara", drawing) == stored  # the same picture is kept once
    assert studio.store.character(planned, "mara").reference_images == [str(stored)]
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(InvalidValue, match="not an image"):
        studio.set_reference_image(planned, "mara", text)


def test_delete_project_removes_memory_checkpoints_and_files(tmp_path: Path) -> None:
    from doubles import CountingGenerator, scripted_crew

    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=CountingGenerator(tmp_path / "renders.log"))
    doomed = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(doomed)  # the graph really ran: there are checkpoints to delete
    assert studio.pending(doomed) is not None and studio.graph.get_state(_thread(doomed)).values
    other = studio.new("Another film").id
    studio.store.update_project(other, title="kept")
    folders = [studio.settings.takes_dir / doomed, studio.settings.cuts_dir / doomed]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "x.mp4").write_bytes(b"x")
    lock = studio.settings.home / "locks" / f"{doomed}.lock"
    assert lock.exists()  # the run took the project's lock
    studio.delete_project(doomed)
    with pytest.raises(NotFound):
        studio.store.project(doomed)
    assert not any(folder.exists() for folder in folders)
    assert not lock.exists()
    assert studio.graph.get_state(_thread(doomed)).values == {}
    assert studio.store.project(other).title == "kept"


def _thread(project: str) -> dict[str, dict[str, str]]:
    return {"configurable": {"thread_id": project}}


def test_change_wardrobe_redresses_only_that_characters_shots_in_that_scene(studio: Studio, planned: str) -> None:
    shots = studio.store.shots(planned)
    scene_of = studio.store.shot_scene_keys(planned)
    take = studio.store.add_take(planned, shots[0].key, request_hash="e" * 64, path="x.mp4", backend="animatic")
    list(studio.change_wardrobe(planned, "mara", "s1", "a blue raincoat"))
    assert studio.store.character(planned, "mara").wardrobe["s1"] == "a blue raincoat"
    for shot in studio.store.shots(planned):
        redressed = scene_of[shot.key] == "s1" and any(c["id"] == "mara" for c in shot.characters)
        assert ("a blue raincoat" in (shot.prompt or "")) == redressed, shot.key
    assert studio.store.take(int(take.id or 0)).status == "stale"  # s1-01 shows Mara
    with pytest.raises(NotFound):
        list(studio.change_wardrobe(planned, "mara", "s9", "a hat"))
