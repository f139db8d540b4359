"""Estimates before shooting: the seed figures reproduce, other sizes scale by the stated rule, N GPUs share
the shots, cost follows the price, and measured takes correct the table (and the estimate says so)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agents.desk.calibration import ANIMATIC, WAN_VAE
from agents.desk.estimate import estimate_project, makespan
from agents.errors import EstimateUnavailable
from memory.store import Store
from ui.cli import app


def _film(store: Store, durations: list[float], *, title: str = "Estimate me") -> str:
    project = store.create_project("A keeper and a storm", title=title).id
    store.upsert_scene(project, "s1", heading="EXT. LIGHTHOUSE - NIGHT")
    for i, seconds in enumerate(durations, 1):
        store.upsert_shot(project, "s1", f"s1-{i:02d}", duration_s=seconds)
    return project


def test_the_seed_figures_come_back_at_their_measured_sizes(store: Store) -> None:
    project = _film(store, [5.0])
    wan = estimate_project(store, project, backend="diffusers:wan2.1-t2v-1.3b", width=832, height=480, fps=16)
    # 5 s at Wan's 16 fps is 81 frames (4k+1); 50 steps × 2 forwards (guidance 5) × 0.63 s = 63 s (≈ 64 s measured)
    assert (wan.shots[0].frames, wan.shots[0].steps) == (81, 50)
    assert wan.gpu_seconds == pytest.approx(63.0)
    big = estimate_project(store, project, backend="diffusers:wan2.1-t2v-14b", width=1280, height=720, fps=16)
    assert big.gpu_seconds == pytest.approx(50 * 2 * 12.5)
    ltx = estimate_project(store, project, backend="diffusers:ltx-video", width=768, height=512, fps=24)
    assert ltx.shots[0].frames == 121 and ltx.gpu_seconds == pytest.approx(50 * 2 * 0.092)
    assert "0.63 s/forward" in wan.basis and wan.learned is None


def test_other_sizes_scale_by_latent_tokens(store: Store) -> None:
    project = _film(store, [5.0, 10.0])
    est = estimate_project(store, project, backend="diffusers:wan2.1-t2v-1.3b", width=640, height=352, fps=24)
    tokens = WAN_VAE.tokens(640, 352, 81) / WAN_VAE.tokens(832, 480, 81)
    assert est.shots[0].seconds == pytest.approx(100 * 0.63 * tokens, rel=1e-3)
    # 10 s → 161 frames → 41 latent frames against 21: twice the shot, about twice the cost
    assert est.shots[1].frames == 161
    assert est.shots[1].seconds == pytest.approx(est.shots[0].seconds * 41 / 21, rel=1e-3)
    assert est.warnings == []
    odd = estimate_project(store, project, backend="diffusers:wan2.1-t2v-1.3b", width=640, height=360, fps=24)
    assert odd.warnings == ["wan2.1-t2v-1.3b: width and height must be multiples of 16, got 640x360 (nearest: 640x352)"]
    assert "Warning: wan2.1-t2v-1.3b: width and height must be multiples of 16" in odd.summary()


def test_wall_time_on_n_gpus_and_cost_at_the_price(store: Store) -> None:
    project = _film(store, [5.0] * 4)
    one = estimate_project(store, project, backend="diffusers:wan2.1-t2v-1.3b", width=832, height=480, fps=16, gpu_hour_price=3.6)
    four = estimate_project(store, project, backend="diffusers:wan2.1-t2v-1.3b", width=832, height=480, fps=16, gpus=4, gpu_hour_price=3.6)
    assert one.gpu_seconds == four.gpu_seconds == pytest.approx(4 * 63.0)
    assert one.wall_seconds == pytest.approx(4 * 63.0) and four.wall_seconds == pytest.approx(63.0)
    assert one.cost == pytest.approx(4 * 63.0 * 3.6 / 3600) and one.shots[0].cost == pytest.approx(0.063)
    assert makespan([5, 4, 3, 3, 3], 2) == 10  # longest first to the first free GPU: {5, 3} and {4, 3, 3}


def test_the_animatic_costs_cpu_time_only(store: Store) -> None:
    project = _film(store, [4.0, 2.0])
    est = estimate_project(store, project, backend="animatic", width=640, height=360, fps=24, gpus=8, gpu_hour_price=2.0)
    assert not est.uses_gpu and est.gpu_seconds == 0 and est.cost == 0
    assert est.wall_seconds == pytest.approx(ANIMATIC.frame_s * 144, rel=1e-3)  # one CPU process: the sum of its shots
    assert "this CPU" in est.summary()


def test_no_estimate_is_invented_for_an_uncalibrated_backend(store: Store) -> None:
    project = _film(store, [5.0])
    with pytest.raises(EstimateUnavailable, match=r"cogvideox-2b.*calibrated: wan2\.1-t2v-1\.3b"):
        estimate_project(store, project, backend="diffusers:cogvideox-2b", width=720, height=480, fps=8)
    with pytest.raises(EstimateUnavailable, match="'farm'"):
        estimate_project(store, project, backend="farm", width=720, height=480, fps=8)


def _measured_take(store: Store, project: str, shot: str, *, total: float, backend: str = "diffusers:wan2.1-t2v-1.3b") -> None:
    store.add_take(
        project, shot, request_hash=f"{project}-{shot}-{total}", path="t.mp4", backend=backend, frame_count=81,
        parameters={"steps": 50, "guidance": 5.0, "request": {"width": 832, "height": 480}}, timings={"total": total},
    )


def test_measured_takes_correct_the_table_and_the_estimate_says_so(store: Store) -> None:
    project = _film(store, [5.0, 5.0, 5.0])
    for shot, total in (("s1-01", 126.0), ("s1-02", 130.0), ("s1-03", 400.0)):  # 2.0×, 2.06×, a cold start 6.3×
        _measured_take(store, project, shot, total=total)
    est = estimate_project(store, project, backend="diffusers:wan2.1-t2v-1.3b", width=832, height=480, fps=16)
    assert est.learned is not None and est.learned.scope == "project" and est.learned.takes == 3
    assert est.learned.ratio == pytest.approx(130.0 / 63.0, rel=1e-3)  # the median: the cold start does not move it
    assert est.table_seconds == pytest.approx(3 * 63.0)
    assert est.gpu_seconds == pytest.approx(3 * 130.0, rel=1e-3)
    assert "median actual/estimate of 3 measured takes (project)" in est.summary()
    # takes on another backend do not count
    assert estimate_project(store, project, backend="diffusers:ltx-video", width=768, height=512, fps=24).learned is None


def test_a_new_project_learns_from_the_installations_takes(store: Store) -> None:
    old = _film(store, [5.0], title="Old film")
    _measured_take(store, old, "s1-01", total=94.5)
    new = _film(store, [5.0], title="New film")
    est = estimate_project(store, new, backend="diffusers:wan2.1-t2v-1.3b", width=832, height=480, fps=16)
    assert est.learned is not None and est.learned.scope == "installation"
    assert est.gpu_seconds == pytest.approx(94.5, rel=1e-3)


def test_dailies_estimate_prints_the_films_figures(dailies_home: Path) -> None:
    dailies_home.mkdir(parents=True, exist_ok=True)
    (dailies_home / "config.toml").write_text("gpu_hour_price = 3.6\nwidth = 832\nheight = 480\n", encoding="utf-8")
    store = Store(f"sqlite:///{dailies_home / 'dailies.db'}")
    project = _film(store, [5.0, 5.0])
    runner = CliRunner()
    result = runner.invoke(app, ["estimate", project, "--backend", "diffusers:wan2.1-t2v-1.3b", "--gpus", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["gpu_seconds"] == pytest.approx(126.0) and data["wall_seconds"] == pytest.approx(63.0)
    assert data["cost"] == pytest.approx(0.126) and [s["shot"] for s in data["shots"]] == ["s1-01", "s1-02"]
    human = runner.invoke(app, ["estimate", project, "--backend", "diffusers:wan2.1-t2v-1.3b"])
    assert human.exit_code == 0 and "126 GPU-s" in human.output and "s1-02" in human.output
    unknown = runner.invoke(app, ["estimate", project, "--backend", "diffusers:cogvideox-5b"])
    assert unknown.exit_code == 1 and "no calibration for diffusers preset 'cogvideox-5b'" in unknown.output
    missing = runner.invoke(app, ["estimate", "no-such-film"])
    assert missing.exit_code == 1 and "no-such-film" in missing.output
