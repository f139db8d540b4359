"""The plan's shape follows the running time: a ten-minute film is ~100+ shots at the pace's rhythm, none
longer than the generator's longest clip (issue 13: `--runtime 600` used to plan five shots of 114–159 s)."""

from __future__ import annotations

import math

import pytest

from agents.crew.continuity_supervisor import review_plan
from agents.crew.registry import role
from agents.crew.role import Deps
from agents.settings import load_settings
from agents.shots.clip_limit import longest_clip_s
from agents.shots.coverage import PACE_SHOT_S
from generator.assembly import shots_time_s
from memory.shotlist_io import export_shotlist
from memory.store import Store


def plan(store: Store, runtime_s: float, **settings: object) -> tuple[Deps, str]:
    """The planning roles' example answers (one scene, two lines: the shape a small model gives) at ``runtime_s``."""
    deps = Deps(store=store, llm=None, settings=load_settings(**settings))
    project = store.create_project("A chess-playing robot and a deaf girl enter a tournament", target_runtime_s=runtime_s).id
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    return deps, project


@pytest.mark.parametrize(("backend", "limit"), [("animatic", 10.0), ("diffusers:wan2.1-t2v-1.3b", 5.06)])
def test_ten_minutes_is_a_hundred_shots_at_the_pace_none_above_the_clip(store: Store, backend: str, limit: float) -> None:
    deps, project = plan(store, 600, backend=backend)
    shots = store.shots(project)
    durations = [s.duration_s for s in shots]
    assert longest_clip_s(deps.settings) == limit
    assert len(shots) >= 100
    assert 2.0 <= sum(durations) / len(durations) <= 6.0
    assert max(durations) <= limit
    assert math.isclose(sum(durations), shots_time_s(600), rel_tol=0.03)
    plan_file = export_shotlist(store, project)
    assert plan_file.model_extra is not None and plan_file.model_extra["longest_clip_s"] == limit  # the plan says what it fits
    findings, changes = review_plan(store, project)
    assert changes == [] and [f for f in findings if f["severity"] == "error"] == []


@pytest.mark.parametrize("runtime_s", [10, 30, 60, 180])
def test_every_running_time_fits_with_shots_at_the_pace(store: Store, runtime_s: float) -> None:
    _, project = plan(store, runtime_s)
    durations = [s.duration_s for s in store.shots(project)]
    assert math.isclose(sum(durations), shots_time_s(runtime_s), rel_tol=0.03)  # the cards take the rest
    assert max(durations) <= 10.0
    average = sum(durations) / len(durations)
    assert average <= PACE_SHOT_S["slow"] * 1.5 and (runtime_s < 30 or average >= 2.0)


def test_the_animatic_clip_is_a_setting(store: Store) -> None:
    deps, project = plan(store, 120, animatic_longest_clip_s=3)
    assert longest_clip_s(deps.settings) == 3.0
    assert max(s.duration_s for s in store.shots(project)) <= 3.0
