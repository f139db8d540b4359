"""The critic's thresholds, with documented defaults (``agents`` exposes them in settings).

Luminance values are on the 0–255 scale of 8-bit video (BT.709 luma of the decoded RGB); colour distances
are in CIELAB units (a difference of ~2.3 is just noticeable; 10+ is obvious side by side). Similarity
thresholds depend on the vision encoder: the defaults suit CLIP ViT-B/32-class models.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from generator.measure.findings import CheckId


class Thresholds(BaseModel):
    """Every number the measurements compare against; change one with ``Thresholds(flicker_luma=12)``."""

    model_config = {"frozen": True, "extra": "forbid"}

    analysis_width: int = Field(320, ge=32, description="Frames are scaled down to this width before measuring (speed; 320 keeps 1-pixel detail of a 640-wide take at half size).")
    skip: frozenset[CheckId] = Field(frozenset(), description="Check ids not to run, e.g. {'frozen'} for a deliberately held frame.")

    duration_tolerance_frames: int = Field(1, ge=0, description="A take may differ from the planned duration by this many frames.")

    black_pixel_luma: float = Field(24.0, description="A pixel darker than this luma counts as black.")
    black_ratio: float = Field(0.98, gt=0, le=1, description="A frame with at least this fraction of black pixels is a black frame.")
    blown_pixel_luma: float = Field(250.0, description="A pixel brighter than this luma counts as clipped white.")
    blown_ratio: float = Field(0.85, gt=0, le=1, description="A frame with at least this fraction of clipped pixels is blown out.")

    frozen_pixel_delta: float = Field(6.0, description="A pixel whose luma changes by more than this between two frames has moved.")
    frozen_changed_ratio: float = Field(0.001, ge=0, description="Two frames with fewer moved pixels than this fraction are 'the same picture'.")
    frozen_seconds: float = Field(1.0, gt=0, description="A run of same-picture frames lasting this long (or longer) is a frozen stretch.")

    flicker_luma: float = Field(8.0, gt=0, description="A frame whose mean luma departs this far from the local baseline flickers.")
    flicker_window_s: float = Field(1.0, gt=0, description="Width of the rolling-median baseline; brightness changes held for over half of it count as lighting, not flicker.")
    flicker_pop_ratio: float = Field(1.5, gt=0, description="A frame that differs from both neighbours this many times more than they differ from each other pops (structure flicker).")
    flicker_pop_luma: float = Field(4.0, ge=0, description="…and by at least this mean |Δluma|, so compression noise on a still picture never pops.")

    color_jump_frames: int = Field(6, ge=1, description="Frames compared on each side of a cut (last of the previous shot, first of this one).")
    color_jump_exposure: float = Field(12.0, gt=0, description="Largest allowed earth mover's distance between the L* histograms across a cut (L* units).")
    color_jump_cast: float = Field(3.0, gt=0, description="Largest allowed shift of the near-neutral pixels' mean (a*, b*) across a cut (Lab units).")
    color_jump_neutral_chroma: float = Field(12.0, gt=0, description="Radius (a*, b* units) of the mean-shift window that finds the near-neutral pixels for the colour-cast comparison.")
    color_jump: float = Field(30.0, gt=0, description="Largest allowed overall distance (L*, a*, b* histogram distances combined) across a cut: a backstop.")

    identity_samples: int = Field(8, ge=1, description="Frames sampled (evenly) for identity and prompt adherence.")
    identity_band: float = Field(0.5, gt=0, le=1, description="Width (fraction of the frame) of the column cropped around a character's staged x.")
    identity_similarity: float = Field(0.7, ge=-1, le=1, description="Lowest median cosine similarity between a character's reference and the take (not yet calibrated on real takes: CLIP ViT-B/32 image–image cosines run about 0.4–0.6 for unrelated pictures and 0.75–0.9 for the same subject).")
    prompt_similarity: float = Field(0.20, ge=-1, le=1, description="Lowest median image–text cosine similarity (CLIP scale); a warning, not a failure.")

    animatic_colour_delta_e: float = Field(12.0, gt=0, description="A pixel within this Lab distance of a character's animatic colour shows that character.")
    animatic_colour_pixels: float = Field(0.002, gt=0, le=1, description="Fraction of the character's column that must show its colour for it to be present.")
    animatic_presence: float = Field(0.9, gt=0, le=1, description="Fraction of frames in which an animatic character must be present.")
