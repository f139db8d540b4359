"""At plan approval the CLI shows what approving will cost (the producer's desk), or says why it cannot."""

from __future__ import annotations

import pytest

from agents import Pending, Studio, load_settings
from ui.cli.make_commands import show_plan


def _studio_with_plan(**settings: object) -> tuple[Studio, str]:
    studio = Studio(settings=load_settings(**settings))
    project = studio.store.create_project("A keeper and a storm", title="The Keeper").id
    studio.store.upsert_scene(project, "s1", heading="EXT. LIGHTHOUSE - NIGHT")
    for key in ("s1-01", "s1-02"):
        studio.store.upsert_shot(project, "s1", key, duration_s=5.0)
    return studio, project


def test_the_plan_shows_its_estimate(capsys: pytest.CaptureFixture[str]) -> None:
    studio, project = _studio_with_plan(backend="diffusers:wan2.1-t2v-1.3b", width=832, height=480, gpu_hour_price=3.6)
    show_plan(studio, project, Pending(what="plan", interrupt_id="x", shots=(), errors=0))
    assert "estimate: 2 shots on diffusers:wan2.1-t2v-1.3b: 126 GPU-s" in capsys.readouterr().err


def test_an_uncalibrated_backend_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    studio, project = _studio_with_plan(backend="diffusers:cogvideox-2b")
    show_plan(studio, project, Pending(what="plan", interrupt_id="x", shots=(), errors=0))
    assert "estimate: none (no calibration for diffusers preset 'cogvideox-2b'" in capsys.readouterr().err


def test_the_studio_header_shows_the_estimate_while_the_plan_waits(studio: Studio) -> None:
    from ui.studio.desk import Desk
    from ui.studio.tabs import crew, projects

    desk = Desk(studio=studio)
    project = projects.create_project(desk, "alice", "A keeper and her son in a storm", 10, "")
    assert desk.jobs.wait(project, 60)
    head = crew.header(desk, "alice", project)
    assert "plan waits for your approval" in head
    assert f"**Estimate:** {len(studio.store.shots(project))} shots on animatic" in head and "on this CPU" in head
