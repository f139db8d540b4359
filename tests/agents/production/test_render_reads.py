"""The render node reads one shot's inputs (``memory.shot_context.shot_plan``), never the whole plan, and
that read gives the request compiler exactly what the whole-plan export gives for the same shot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from doubles import CountingGenerator

from agents.crew.role import Deps
from agents.production.nodes import shooting
from agents.production.state import Crew, ShotJob
from agents.settings import load_settings
from agents.shots.requests import request_for_shot
from memory.shot_context import shot_plan
from memory.shotlist_io import export_shotlist
from memory.store import Store


@dataclass
class Runtime:
    context: Crew


def test_one_shot_read_equals_the_whole_plan_export_for_every_shot(deps: Deps, planned: str) -> None:
    whole = export_shotlist(deps.store, planned)
    assert len(whole.shots()) >= 3
    for scene, shot in whole.shots():
        plan, one_scene, one_shot = shot_plan(deps.store, planned, shot.id)
        assert (one_scene.id, one_shot) == (scene.id, shot)
        assert {c.id for c in plan.characters} == {c.id for c in shot.characters} | {d.character for d in shot.dialogue}
        for character in plan.characters:
            assert character == whole.character(character.id)
        kwargs = {"width": 320, "height": 180, "fps": 12, "seed": 7}
        assert request_for_shot(plan, one_scene, one_shot, **kwargs) == request_for_shot(whole, scene, shot, **kwargs)


def test_an_unknown_shot_is_named(deps: Deps, planned: str) -> None:
    with pytest.raises(Exception, match="no shot 's9-99'"):
        shot_plan(deps.store, planned, "s9-99")


def test_the_render_node_never_exports_the_whole_plan(deps: Deps, planned: str, small_frames: None, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def whole_plan(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the render node read the whole project")

    monkeypatch.setattr(Store, "dump_project", whole_plan)
    crew = Crew(deps=Deps(deps.store, None, load_settings()), generator=CountingGenerator(tmp_path / "renders.log"))
    shot = deps.store.shots(planned)[1].key
    result = shooting.render(ShotJob(film=planned, shot=shot, base_take=0, attempt=0, knobs={}, reasons=[]), Runtime(crew))  # type: ignore[arg-type]
    take = deps.store.take(result["take_id"])
    assert take.parameters["capabilities"]["draws_staging_marks"] is True  # what the critic will read for this take
    assert [s for s, _ in crew.generator.renders()] == [shot]
