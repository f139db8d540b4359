"""Draft and final tiers: a promotion renders only the promoted shots again, from the approved draft's own
request (plan, seed, references), keeps both takes, is checked against the final-tier quota before anything
renders, and the cut is made from either tier.

The final renderer here is a second animatic spec (``Studio(final_generator=…)``, x264 ``medium`` at CRF 12
instead of ``ultrafast`` at 23): this CPU machine cannot run a
real quality preset, and the tiny random-weight diffusers pipelines at the film's frame sizes take minutes.
What is under test is the promotion, not the model.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agents.errors import QuotaExceeded, ShotsNotApproved
from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio
from generator.animatic.backend import AnimaticBackend
from generator.base import RenderRequest

sys.path.insert(0, str(Path(__file__).parents[1]))
from doubles import CountingGenerator, scripted_crew


def _shot_film(studio: Studio) -> str:
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)
    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
    return project


@pytest.mark.usefixtures("small_frames")
def test_promotion_renders_only_the_promoted_shots_and_the_cut_uses_either_tier(dailies_home: Path) -> None:
    final = CountingGenerator(dailies_home / "final.log")
    final.inner = AnimaticBackend(preset="medium", crf=12)  # the second animatic spec: a finer encode
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=AnimaticBackend(), final_generator=final)
    project = _shot_film(studio)
    shots = [s.key for s in studio.store.shots(project)]
    assert len(shots) >= 2
    target = shots[1]

    estimate = studio.promotion_estimate(project, shots=[target])
    assert [s.shot for s in estimate.shots] == [target]

    [view] = studio.promote(project, shots=[target])
    assert (view.tier, view.status) == ("final", "approved")
    assert [shot for shot, _hash in final.renders()] == [target]  # only the promoted shot rendered
    takes = studio.store.takes(project)
    finals = [t for t in takes if t.tier == "final"]
    draft = next(t for t in takes if t.tier == "draft" and t.status == "approved" and t.shot_id == finals[0].shot_id)
    assert len(finals) == 1 and Path(finals[0].path).is_file() and Path(draft.path).is_file()  # both kept
    assert Path(finals[0].path).read_bytes() != Path(draft.path).read_bytes()
    same = RenderRequest.model_validate(finals[0].parameters["request"])
    was = RenderRequest.model_validate(draft.parameters["request"])
    assert same.seed == was.seed and same.prompt == was.prompt and same.references == was.references
    assert finals[0].parameters["promoted_from"] == draft.id and finals[0].request_hash != draft.request_hash

    again = studio.promote(project, shots=[target])  # nothing new to render: the final take is reused
    assert [v.id for v in again] == [view.id] and len(final.renders()) == 1

    cut_final = studio.cut(project, tier="final")
    by_shot = {s.shot_id: s.take_id for s in cut_final.shots}
    assert by_shot[target] == view.id
    assert any("draft take used for" in n and shots[0] in n for n in cut_final.notes)
    cut_draft = studio.cut(project, tier="draft")
    assert view.id not in {s.take_id for s in cut_draft.shots}
    assert cut_draft.video != cut_final.video  # both cuts kept

    [draft_usage, final_usage] = studio.usage(None)
    assert final_usage.tier == "final" and final_usage.used_s == pytest.approx(same.frame_count() / same.fps, abs=0.1)
    assert draft_usage.used_s > final_usage.used_s


@pytest.mark.usefixtures("small_frames")
def test_over_the_final_quota_nothing_renders_and_the_message_says_what_is_left(
    dailies_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAILIES_QUOTA_FINAL_MINUTES", "0.05")  # 3 s a month
    final = CountingGenerator(dailies_home / "final.log")
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=AnimaticBackend(), final_generator=final)
    project = _shot_film(studio)
    with pytest.raises(QuotaExceeded, match=r"0\.05 of 0\.05 final-tier minutes left") as over:
        studio.promote(project, whole=True)
    assert over.value.remaining_s == pytest.approx(3.0) and over.value.needed_s > 3.0
    assert final.renders() == [] and all(t.tier == "draft" for t in studio.store.takes(project))


@pytest.mark.usefixtures("small_frames")
def test_a_shot_without_an_approved_draft_is_not_promoted(dailies_home: Path) -> None:
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=AnimaticBackend(), final_generator=AnimaticBackend())
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)
    with pytest.raises(ShotsNotApproved):
        studio.promote(project, whole=True)


@pytest.mark.slow
def test_a_promoted_shot_renders_on_the_real_wan_pipeline_with_tiny_random_weights(
    dailies_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The final tier on the diffusers backend's own code path (``WanPipeline`` built from config with random
    weights, ``generator/diffusers_backend/tiny.py``; 50 steps, ~1.5 min on 2 cores): the draft's request is
    accepted as it is. Frames are noise; the pipeline, not a model, is under test."""
    from generator.diffusers_backend.backend import DiffusersBackend
    from generator.diffusers_backend.tiny import TINY_MAX_SEQUENCE_LENGTH, tiny_pipeline

    for name, value in {"WIDTH": "64", "HEIGHT": "48", "FPS": "12"}.items():  # Wan needs multiples of 16
        monkeypatch.setenv(f"DAILIES_{name}", value)
    final = DiffusersBackend("wan2.1-t2v-1.3b", loader=tiny_pipeline, max_sequence_length=TINY_MAX_SEQUENCE_LENGTH, device="cpu")
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=AnimaticBackend(), final_generator=final)
    project = _shot_film(studio)
    shot = studio.store.shots(project)[0].key
    [view] = studio.promote(project, shots=[shot])
    takes = studio.store.takes(project, shot)
    draft = next(t for t in takes if t.tier == "draft" and t.status == "approved")
    promoted = takes[-1]
    assert (promoted.id, promoted.tier, promoted.backend) == (view.id, "final", "diffusers:wan2.1-t2v-1.3b")
    assert promoted.seed == draft.seed and promoted.parameters["steps"] == 50 and Path(promoted.path).is_file()
    assert next(s.take_id for s in studio.cut(project, tier="final").shots) == view.id
