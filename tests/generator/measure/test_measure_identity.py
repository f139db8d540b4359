"""Identity and prompt adherence: the animatic colour check, the encoder pipeline, and the thresholds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from measure_clips import FPS, animatic, pan
from measure_tiny_clip import tiny_clip_encoder

from generator.measure import CharacterReference, ColourMark, Thresholds, measure_frames, measure_take
from generator.measure.identity import identity_finding, prompt_finding, sample_indices

Encode = Callable[..., Path]
RED, BLUE, GREEN = (200, 40, 40), (40, 60, 200), (40, 180, 60)
MARKS = [ColourMark("mara", RED, (0.2, 0.4)), ColourMark("tom", BLUE, (0.6, 0.8))]


def test_animatic_characters_where_staged_pass(encode: Encode) -> None:
    path = encode(animatic(48, {0.3: RED, 0.7: BLUE}))
    assert measure_take(path, marks=MARKS) == []


def test_a_character_swapped_for_another_colour_is_an_identity_failure(encode: Encode) -> None:
    path = encode(animatic(48, {0.3: GREEN, 0.7: BLUE}))
    findings = measure_take(path, marks=MARKS)
    assert [(f.check, f.frames) for f in findings] == [("identity", (0, 47))]
    assert "mara" in findings[0].message and "#c82828" in findings[0].message
    assert findings[0].value == 0.0 and findings[0].severity == "fail"


def test_characters_standing_on_the_wrong_side_fail(encode: Encode) -> None:
    path = encode(animatic(48, {0.3: BLUE, 0.7: RED}))  # the two swapped places
    assert sorted(f.message.split()[0] for f in measure_take(path, marks=MARKS)) == ["mara", "tom"]


def test_a_character_leaving_mid_shot_is_located(encode: Encode) -> None:
    frames = np.concatenate([animatic(24, {0.3: RED, 0.7: BLUE}), animatic(24, {0.7: BLUE})])
    findings = measure_take(encode(frames), marks=MARKS)
    assert [(f.check, f.frames) for f in findings] == [("identity", (24, 47))]
    assert findings[0].value == pytest.approx(0.5, abs=0.05)


# --- the real animatic: marks come from the render request ---------------------------------------


def test_real_animatic_take_passes_and_a_recoloured_character_fails(tmp_path: Path) -> None:
    from generator.animatic.backend import AnimaticBackend
    from generator.base import RenderRequest, StagedCharacter
    from generator.measure.animatic_marks import ANIMATIC_SKIP, animatic_marks

    staging = (StagedCharacter(id="mara", x=0.3, facing="right"), StagedCharacter(id="tom", x=0.7, facing="left"))
    request = RenderRequest(prompt="two people talk", staging=staging, width=160, height=96, duration_s=1.0, location="INT. KITCHEN")
    marks = animatic_marks(request)
    assert {m.character for m in marks} == {"mara", "tom"}
    backend = AnimaticBackend()
    t = Thresholds(skip=ANIMATIC_SKIP)
    good = backend.render(request, tmp_path)
    assert measure_take(good.path, planned_duration=1.0, marks=marks, thresholds=t) == []
    mara = next(m for m in marks if m.character == "mara")
    other = "blue" if mara.rgb[2] < 128 else "yellow"  # any colour far from mara's own
    swapped = request.model_copy(update={"staging": (staging[0].model_copy(update={"colour": other}), staging[1])})
    bad = backend.render(swapped, tmp_path)
    findings = measure_take(bad.path, planned_duration=1.0, marks=marks, thresholds=t)
    assert [(f.check, f.message.split()[0]) for f in findings] == [("identity", "mara")]


# --- through a vision encoder ------------------------------------------------------------------


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    return tiny_clip_encoder()


def test_identical_images_have_similarity_one(encoder) -> None:  # type: ignore[no-untyped-def]
    img = pan(1)[0]
    vecs = encoder.embed_images([img, img.copy()])
    assert vecs.shape == (2, 16)
    assert float(vecs[0] @ vecs[1]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(vecs, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_text_tower_embeds_prompts(encoder) -> None:  # type: ignore[no-untyped-def]
    texts = encoder.embed_texts(["a man walks", "the red car at night"])
    assert texts is not None and texts.shape == (2, 16)
    assert float(texts[0] @ texts[1]) < 0.9999


def test_identity_pipeline_runs_end_to_end_on_a_take(encoder, encode: Encode) -> None:  # type: ignore[no-untyped-def]
    frames = pan(24)
    path = encode(frames)
    reference = CharacterReference("mara", frames[12], x=0.5)
    from generator.measure import measure_report

    report = measure_report(path, references=[reference], prompt="a man walks in the street", encoder=encoder)
    assert -1.0 <= report.scores["identity:mara"] <= 1.0
    assert -1.0 <= report.scores["prompt_adherence"] <= 1.0
    # With the threshold above any possible similarity, the same take must fail identity.
    strict = measure_report(path, references=[reference], encoder=encoder, thresholds=Thresholds(identity_similarity=1.0))
    assert [f.check for f in strict.findings if f.check == "identity"] == ["identity"]


def test_the_reference_frame_itself_scores_one(encoder) -> None:  # type: ignore[no-untyped-def]
    still = np.repeat(pan(1), 8, axis=0)
    report = measure_frames(still, FPS, references=[CharacterReference("mara", still[0])], encoder=encoder,
                            thresholds=Thresholds(skip=frozenset({"frozen"})))  # fmt: skip
    assert report.scores["identity:mara"] == pytest.approx(1.0, abs=1e-4)
    assert report.findings == []


class FixedEncoder:
    """An encoder whose embeddings the test chooses: image i of each call gets ``images[i]``."""

    def __init__(self, reference: np.ndarray, frames: np.ndarray, text: np.ndarray | None) -> None:
        self.calls = [reference[None, :], frames]
        self.text = text

    def embed_images(self, images):  # type: ignore[no-untyped-def]
        out = self.calls.pop(0)
        assert len(out) == len(images)
        return out

    def embed_texts(self, texts):  # type: ignore[no-untyped-def]
        return None if self.text is None else self.text[None, :]


def test_identity_thresholding_with_injected_embeddings() -> None:
    t = Thresholds(identity_samples=4, identity_similarity=0.75)
    ref = np.array([1.0, 0.0])
    # Sampled frames 0, 16, 31, 47: the last two look like someone else.
    frames = np.array([[1.0, 0.0], [0.9, np.sqrt(1 - 0.81)], [0.0, 1.0], [0.1, np.sqrt(0.99)]])
    still = np.zeros((48, 8, 8, 3), dtype=np.uint8)
    report = measure_frames(still, FPS, references=[CharacterReference("tom", still[0])], encoder=FixedEncoder(ref, frames, None),
                            thresholds=t.model_copy(update={"skip": frozenset({"frozen", "black_frames"})}))  # fmt: skip
    assert [(f.check, f.frames) for f in report.findings] == [("identity", (31, 47))]
    assert report.findings[0].value == pytest.approx(0.5)  # median of 1, .9, 0, .1


def test_identity_and_prompt_thresholds_directly() -> None:
    t = Thresholds(identity_similarity=0.8, prompt_similarity=0.25)
    idx = sample_indices(100, 5)
    assert idx.tolist() == [0, 25, 50, 74, 99]
    assert identity_finding("mara", np.array([0.9, 0.85, 0.8, 0.95, 0.9]), idx, t) is None
    low = identity_finding("mara", np.array([0.9, 0.5, 0.6, 0.7, 0.9]), idx, t)
    assert low is not None and low.frames == (25, 74) and low.value == pytest.approx(0.7)
    assert prompt_finding(np.full(5, 0.3), idx, t) is None
    weak = prompt_finding(np.full(5, 0.1), idx, t)
    assert weak is not None and weak.severity == "warn" and weak.check == "prompt_adherence"


def test_prompt_adherence_is_skipped_without_a_text_tower() -> None:
    frames = pan(8)
    enc = FixedEncoder(np.array([1.0, 0.0]), np.zeros((0, 2)), None)
    enc.calls = []
    report = measure_frames(frames, FPS, prompt="a man walks", encoder=enc)
    assert "prompt_adherence" not in report.scores and report.findings == []


@pytest.mark.gpu
def test_the_encoder_runs_on_cuda_and_agrees_with_the_cpu() -> None:
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    cpu = tiny_clip_encoder(seed=3)
    gpu = tiny_clip_encoder(seed=3)
    gpu.model.to("cuda")
    images = list(pan(3))
    assert np.allclose(cpu.embed_images(images), gpu.embed_images(images), atol=1e-3)
    assert np.allclose(cpu.embed_texts(["a man walks"]), gpu.embed_texts(["a man walks"]), atol=1e-3)
