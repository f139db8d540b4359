"""Identity and prompt adherence: is each character the one in its reference, and is the take on-brief?

Two ways to know who is on screen:
- **Through a vision encoder** (``encoder.ImageEncoder``): each character's reference image and the
  column of the frame where staging puts that character (or the whole frame) are embedded; the median
  cosine similarity over a few evenly sampled frames is the character's identity score. Prompt
  adherence is the same median between the frames and the prompt through the text tower, when the
  model has one. Absolute levels depend on the model, so the thresholds are settings.
- **By construction, for animatic takes**: the animatic draws each character in a colour derived from its
  id at the staged x position, so the check is exact: that colour must be present in that column in
  (nearly) every frame. ``ColourMark`` carries the expected colour and x range, so this module does not
  depend on how the animatic derives colours.

The thresholding functions (``identity_finding``, ``prompt_finding``) take similarities, so they are
testable with injected embeddings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from generator.measure.colour import srgb_to_lab
from generator.measure.encoder import ImageEncoder
from generator.measure.findings import Finding, frame_runs
from generator.measure.thresholds import Thresholds


@dataclass(frozen=True)
class CharacterReference:
    """A character's reference image (H×W×3 uint8 RGB) and, when staging says, where it stands (x 0…1)."""

    character: str
    image: np.ndarray
    x: float | None = None


@dataclass(frozen=True)
class ColourMark:
    """Where an animatic take must show a character: its RGB colour within a horizontal range (0…1)."""

    character: str
    rgb: tuple[int, int, int]
    x_range: tuple[float, float]


def sample_indices(frame_count: int, samples: int) -> np.ndarray:
    """``samples`` frame indices spread evenly over the take, first and last included."""
    if frame_count <= 0:
        return np.zeros(0, dtype=int)
    return np.unique(np.linspace(0, frame_count - 1, num=min(samples, frame_count)).round().astype(int))


def column(frame: np.ndarray, x_range: tuple[float, float]) -> np.ndarray:
    """The vertical strip of ``frame`` between fractions ``x_range`` of its width (at least one pixel)."""
    width = frame.shape[-2]
    lo = int(np.clip(np.floor(min(x_range) * width), 0, width - 1))
    hi = int(np.clip(np.ceil(max(x_range) * width), lo + 1, width))
    return frame[..., lo:hi, :]


def band_around(x: float, band: float) -> tuple[float, float]:
    return max(0.0, x - band / 2), min(1.0, x + band / 2)


def identity_finding(character: str, similarities: np.ndarray, frame_indices: np.ndarray, t: Thresholds) -> Finding | None:
    """Fail when the median similarity to the reference is below ``identity_similarity``."""
    score = float(np.median(similarities))
    if score >= t.identity_similarity:
        return None
    low = frame_indices[similarities < t.identity_similarity]
    span = (int(low.min()), int(low.max())) if len(low) else (int(frame_indices.min()), int(frame_indices.max()))
    return Finding(
        check="identity", severity="fail", frames=span, value=round(score, 4), threshold=t.identity_similarity,
        message=f"{character} does not look like the reference: similarity {score:.3f} (needs {t.identity_similarity:g})",
    )  # fmt: skip


def prompt_finding(similarities: np.ndarray, frame_indices: np.ndarray, t: Thresholds) -> Finding | None:
    """Warn when the median image–prompt similarity is below ``prompt_similarity``."""
    score = float(np.median(similarities))
    if score >= t.prompt_similarity:
        return None
    return Finding(
        check="prompt_adherence", severity="warn", frames=(int(frame_indices.min()), int(frame_indices.max())),
        value=round(score, 4), threshold=t.prompt_similarity,
        message=f"take matches its prompt weakly: similarity {score:.3f} (expected at least {t.prompt_similarity:g})",
    )  # fmt: skip


def identity_findings(
    frames: np.ndarray, references: Sequence[CharacterReference], encoder: ImageEncoder, t: Thresholds
) -> tuple[list[Finding], dict[str, float]]:
    """Identity findings and scores (``identity:<character>``) for every referenced character."""
    idx = sample_indices(len(frames), t.identity_samples)
    findings: list[Finding] = []
    scores: dict[str, float] = {}
    if len(idx) == 0 or not references:
        return findings, scores
    refs = encoder.embed_images([r.image for r in references])
    for ref, ref_vec in zip(references, refs, strict=True):
        crops = [frames[i] if ref.x is None else column(frames[i], band_around(ref.x, t.identity_band)) for i in idx]
        sims = encoder.embed_images(crops) @ ref_vec
        scores[f"identity:{ref.character}"] = round(float(np.median(sims)), 4)
        found = identity_finding(ref.character, sims, idx, t)
        if found is not None:
            findings.append(found)
    return findings, scores


def prompt_adherence(
    frames: np.ndarray, prompt: str, encoder: ImageEncoder, t: Thresholds
) -> tuple[list[Finding], float | None]:
    """Prompt-adherence finding and score, or ``([], None)`` when the encoder has no text tower."""
    idx = sample_indices(len(frames), t.identity_samples)
    text = encoder.embed_texts([prompt])
    if text is None or len(idx) == 0:
        return [], None
    sims = encoder.embed_images([frames[i] for i in idx]) @ text[0]
    found = prompt_finding(sims, idx, t)
    return ([found] if found else []), round(float(np.median(sims)), 4)


def colour_presence(frames: np.ndarray, mark: ColourMark, t: Thresholds) -> np.ndarray:
    """Per frame: does ``mark``'s colour cover at least ``animatic_colour_pixels`` of its column?"""
    strip = column(frames, mark.x_range)
    target = srgb_to_lab(np.array(mark.rgb, dtype=np.uint8))
    distance = np.linalg.norm(srgb_to_lab(strip) - target, axis=-1)
    near = (distance <= t.animatic_colour_delta_e).reshape(len(frames), -1).mean(axis=1)
    return near >= t.animatic_colour_pixels


def animatic_findings(
    frames: np.ndarray, marks: Sequence[ColourMark], t: Thresholds
) -> tuple[list[Finding], dict[str, float]]:
    """Identity of animatic takes: each character's colour where staging puts it, in nearly every frame."""
    findings: list[Finding] = []
    scores: dict[str, float] = {}
    for mark in marks:
        present = colour_presence(frames, mark, t)
        share = float(present.mean()) if len(present) else 0.0
        scores[f"identity:{mark.character}"] = round(share, 4)
        if share >= t.animatic_presence:
            continue
        runs = frame_runs((~present).tolist())
        span = (runs[0][0], runs[-1][1])
        hex_colour = "#{:02x}{:02x}{:02x}".format(*mark.rgb)
        lo, hi = sorted(mark.x_range)
        findings.append(
            Finding(
                check="identity", severity="fail", frames=span, value=round(share, 4), threshold=t.animatic_presence,
                message=f"{mark.character} (animatic colour {hex_colour}) is missing at x {lo:.2f}–{hi:.2f} "
                f"in {int((~present).sum())} of {len(present)} frames",
            )
        )  # fmt: skip
    return findings, scores
