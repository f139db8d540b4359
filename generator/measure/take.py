"""Measure one take: every check in order, findings plus the scores to keep in memory.

``measure_frames`` is the pure core (frames in, report out); ``measure_take`` decodes a file (and the tail
of the previous shot) and calls it. The report's ``scores`` hold each check's measured value even when it
passes, so the critic's Review rows can show how close a take came.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from generator.measure.continuity import check_color_jump
from generator.measure.decode import decode_clip
from generator.measure.encoder import ImageEncoder
from generator.measure.findings import CHECK_IDS, Finding
from generator.measure.identity import (
    CharacterReference,
    ColourMark,
    animatic_findings,
    identity_findings,
    prompt_adherence,
)
from generator.measure.technical import flicker_departure, technical_findings
from generator.measure.thresholds import Thresholds


class TakeReport(BaseModel):
    """Everything measured about one take."""

    frame_count: int
    fps: float
    duration_s: float
    findings: list[Finding] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict, description="Measured value per check, pass or fail.")

    @property
    def fails(self) -> bool:
        return any(f.fails for f in self.findings)


def _order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (CHECK_IDS.index(f.check), f.frames))


def measure_frames(
    frames: np.ndarray,
    fps: float,
    *,
    planned_duration: float | None = None,
    prev_frames: np.ndarray | None = None,
    thresholds: Thresholds | None = None,
    references: Sequence[CharacterReference] = (),
    marks: Sequence[ColourMark] = (),
    prompt: str | None = None,
    encoder: ImageEncoder | None = None,
) -> TakeReport:
    """Run every check that applies to frames (T×H×W×3 uint8 RGB) playing at ``fps``.

    Identity needs ``references`` and an ``encoder`` (or animatic ``marks``); prompt adherence needs
    ``prompt`` and an encoder with a text tower; the colour jump needs ``prev_frames``.
    """
    t = thresholds or Thresholds()
    findings, stats = technical_findings(frames, fps, planned_duration=planned_duration, thresholds=t)
    scores: dict[str, float] = {
        "duration_s": round(len(frames) / fps, 4),
        "black_frames": int((stats.dark_ratio >= t.black_ratio).sum()),
        "blown_out": int((stats.clipped_ratio >= t.blown_ratio).sum()),
        "flicker": round(float(flicker_departure(stats, fps, t).max(initial=0.0)), 3),
        "frozen": max((f.value for f in findings if f.check == "frozen"), default=0.0),
    }
    if prev_frames is not None and len(prev_frames) and "color_jump" not in t.skip:
        jump, jump_scores = check_color_jump(prev_frames, frames, t)
        findings += jump
        scores.update(jump_scores)
    if "identity" not in t.skip:
        if marks:
            found, s = animatic_findings(frames, marks, t)
            findings += found
            scores.update(s)
        if references and encoder is not None:
            found, s = identity_findings(frames, references, encoder, t)
            findings += found
            scores.update(s)
    if prompt and encoder is not None and "prompt_adherence" not in t.skip:
        found, score = prompt_adherence(frames, prompt, encoder, t)
        findings += found
        if score is not None:
            scores["prompt_adherence"] = score
    return TakeReport(frame_count=len(frames), fps=fps, duration_s=round(len(frames) / fps, 4), findings=_order(findings), scores=scores)


def measure_report(
    path: str | os.PathLike[str],
    *,
    planned_duration: float | None = None,
    prev: str | os.PathLike[str] | None = None,
    thresholds: Thresholds | None = None,
    references: Sequence[CharacterReference] = (),
    marks: Sequence[ColourMark] = (),
    prompt: str | None = None,
    encoder: ImageEncoder | None = None,
    ffmpeg: str | None = None,
) -> TakeReport:
    """Decode the take at ``path`` (and the end of ``prev``) and measure it. Raises ``UnreadableMedia``."""
    t = thresholds or Thresholds()
    clip = decode_clip(path, max_width=t.analysis_width, ffmpeg=ffmpeg)
    prev_frames = None
    if prev is not None:
        prev_frames = decode_clip(prev, max_width=t.analysis_width, last_frames=t.color_jump_frames, ffmpeg=ffmpeg).frames
    return measure_frames(
        clip.frames, clip.fps, planned_duration=planned_duration, prev_frames=prev_frames, thresholds=t,
        references=references, marks=marks, prompt=prompt, encoder=encoder,
    )  # fmt: skip


def measure_take(
    path: str | os.PathLike[str],
    *,
    planned_duration: float | None = None,
    prev: str | os.PathLike[str] | None = None,
    thresholds: Thresholds | None = None,
    references: Sequence[CharacterReference] = (),
    marks: Sequence[ColourMark] = (),
    prompt: str | None = None,
    encoder: ImageEncoder | None = None,
    ffmpeg: str | None = None,
) -> list[Finding]:
    """The findings of ``measure_report`` (an empty list means the take passed every check)."""
    return measure_report(
        path, planned_duration=planned_duration, prev=prev, thresholds=thresholds, references=references,
        marks=marks, prompt=prompt, encoder=encoder, ffmpeg=ffmpeg,
    ).findings  # fmt: skip
