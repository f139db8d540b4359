"""The critic loop in the graph: every measurement lands in memory, thresholds come from settings, and a
configured vision encoder adds identity (against each character's reference image) and prompt adherence."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from doubles import CountingGenerator, scripted_crew
from PIL import Image

from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio

pytestmark = pytest.mark.slow
TINY_CLIP = Path(__file__).parents[2] / "generator" / "measure" / "measure_tiny_clip.py"


def shoot(studio: Studio) -> str:
    project = studio.new("A keeper and her son", runtime_s=8).id
    studio.run(project)
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    return project


def test_reviews_carry_every_measured_score(small_frames, tmp_path: Path) -> None:
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=CountingGenerator(tmp_path / "r.log"))
    project = shoot(studio)
    takes = studio.store.takes(project)
    assert takes
    planned = {s.id: s.duration_s for s in studio.store.shots(project)}
    fps = studio.settings.fps
    for take in takes:
        review = studio.store.reviews(take.id)[0]
        assert review.reviewer == "critic"
        measured = review.scores["measured"]
        # The values, not just the keys: a clean animatic take has no black or blown-out frame, no
        # flicker past the threshold, the planned length to a frame, and each character's colour present.
        assert measured["black_frames"] == 0 and measured["blown_out"] == 0 and measured["frozen"] >= 0
        assert 0 <= measured["flicker"] < 8.0
        assert abs(measured["duration_s"] - planned[take.shot_id]) <= 1.5 / fps
        identity = {k: v for k, v in measured.items() if k.startswith("identity:")}
        assert identity and all(0.002 <= v <= 1 for v in identity.values()), identity
        assert review.scores["failing"] == []


def test_thresholds_from_settings_reach_the_measurements(small_frames, tmp_path: Path, monkeypatch) -> None:
    # An impossible presence requirement makes every animatic character "missing": the setting is really used.
    monkeypatch.setenv("DAILIES_CRITIC_THRESHOLDS", '{"animatic_colour_pixels": 1.0}')
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=CountingGenerator(tmp_path / "r.log"))
    project = shoot(studio)
    first = studio.store.takes(project)[0]
    assert "identity" in studio.store.reviews(first.id)[0].scores["failing"]


def test_a_configured_encoder_measures_identity_and_prompt(small_frames, tmp_path: Path, monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location("measure_tiny_clip", TINY_CLIP)
    assert spec and spec.loader
    tiny = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiny)
    encoder = tiny.tiny_clip_encoder()
    folder = tmp_path / "tiny-clip"
    for part in (encoder.model, encoder.image_processor, encoder.tokenizer):
        part.save_pretrained(folder)
    monkeypatch.setenv("DAILIES_CRITIC_ENCODER", str(folder))

    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=CountingGenerator(tmp_path / "r.log"))
    project = studio.new("A keeper and her son", runtime_s=8).id
    studio.run(project)
    portrait = tmp_path / "mara.png"
    Image.fromarray(np.full((64, 64, 3), (112, 24, 81), dtype=np.uint8)).save(portrait)
    studio.set_reference_image(project, "mara", portrait)
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))

    mara_shots = {s.id for s in studio.store.shots(project) if any(c["id"] == "mara" for c in s.characters)}
    measured = [studio.store.reviews(t.id)[0].scores["measured"] for t in studio.store.takes(project) if t.shot_id in mara_shots]
    assert measured and all(any(k.startswith("prompt") for k in m) for m in measured)
    assert all(any(k.startswith("identity") and "mara" in k for k in m) for m in measured)
