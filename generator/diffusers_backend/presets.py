"""Model presets for the diffusers backend: one row per model, no if/elif over model names.

A row names the pipeline classes (text-to-video and, where the family has one, image-to-video), the hub
ids, and the defaults the model was trained for: size, frame count, frame rate, steps, guidance, plus
the rules a request must follow (frames = multiple·k + 1, sizes a multiple of the latent patch).
``i2v`` rows that share the T2V weights (LTX-Video, Wan 2.2 TI2V) are built with ``from_pipe``, so a
second pipeline costs no memory.

Adding a model is one ``Preset(...)`` line in ``PRESETS``; the contract and tiny-component tests pick
it up by its ``family`` (see ``tiny.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import BackendUnavailable, BadRequest


@dataclass(frozen=True)
class FrameRule:
    """Valid frame counts are ``multiple·k + offset`` (Wan and CogVideoX 4k+1, LTX-Video 8k+1)."""

    multiple: int
    offset: int = 1

    def valid(self, frames: int) -> bool:
        return frames >= self.offset + self.multiple and (frames - self.offset) % self.multiple == 0

    def nearest(self, frames: int) -> int:
        k = max(1, round((frames - self.offset) / self.multiple))
        return k * self.multiple + self.offset

    def describe(self) -> str:
        return f"{self.multiple}k+{self.offset}"


@dataclass(frozen=True)
class PipelineSpec:
    """A pipeline class and the hub repository its weights load from."""

    cls: str  # a class name exported by diffusers, e.g. "WanPipeline"
    hub_id: str


@dataclass(frozen=True)
class Preset:
    """One video model and how to drive it."""

    name: str
    family: str  # "wan", "wan22", "ltx", "cogvideox": which tiny components and call conventions apply
    t2v: PipelineSpec | None
    i2v: PipelineSpec | None
    width: int
    height: int
    frames: int
    fps: int
    steps: int
    guidance: float
    frame_rule: FrameRule
    size_multiple: int
    max_sequence_length: int
    call_extras: dict[str, Any] = field(default_factory=dict)  # fixed extra __call__ arguments
    passes_frame_rate: bool = False  # LTX takes the frame rate as a conditioning input
    notes: str = ""
    max_clip_s: float | None = None  # longest clip it makes well, when longer than its default clip (LTX: ~10 s)

    @property
    def longest_clip_s(self) -> float:
        """Seconds one render makes: the model's trained clip (frames at its frame rate) unless the row says more."""
        return self.max_clip_s if self.max_clip_s is not None else round(self.frames / self.fps, 2)

    @property
    def i2v_shares_weights(self) -> bool:
        return self.t2v is not None and self.i2v is not None and self.t2v.hub_id == self.i2v.hub_id

    def check_size(self, width: int, height: int) -> None:
        m = self.size_multiple
        if width % m or height % m:
            fit = f"{max(m, round(width / m) * m)}x{max(m, round(height / m) * m)}"
            raise BadRequest(
                f"{self.name}: width and height must be multiples of {m}, got {width}x{height} (nearest: {fit})"
            )

    def check_frames(self, frames: int) -> None:
        if not self.frame_rule.valid(frames):
            raise BadRequest(
                f"{self.name}: frames must be {self.frame_rule.describe()} (e.g. {self.frame_rule.nearest(frames)}), got {frames}"
            )


_WAN_RULE, _LTX_RULE = FrameRule(4), FrameRule(8)
_T2V, _I2V = "WanPipeline", "WanImageToVideoPipeline"

# fmt: off
_ROWS = (
    # name                   family       text-to-video                                             image-to-video                                                         width height frames fps steps guidance rule      size  tokens
    Preset("wan2.1-t2v-1.3b", "wan",      PipelineSpec(_T2V, "Wan-AI/Wan2.1-T2V-1.3B-Diffusers"),   None,                                                                  832,  480,   81,   16,  50,   5.0,     _WAN_RULE, 16,   512, notes="text only; 8 GB-class cards"),
    Preset("wan2.1-t2v-14b", "wan",       PipelineSpec(_T2V, "Wan-AI/Wan2.1-T2V-14B-Diffusers"),    PipelineSpec(_I2V, "Wan-AI/Wan2.1-I2V-14B-720P-Diffusers"),            1280, 720,   81,   16,  50,   5.0,     _WAN_RULE, 16,   512, notes="I2V conditions on the character's reference"),
    Preset("wan2.1-i2v-14b-480p", "wan",  None,                                                     PipelineSpec(_I2V, "Wan-AI/Wan2.1-I2V-14B-480P-Diffusers"),            832,  480,   81,   16,  40,   5.0,     _WAN_RULE, 16,   512, notes="image-to-video only: needs a reference image"),
    Preset("wan2.2-ti2v-5b", "wan22",     PipelineSpec(_T2V, "Wan-AI/Wan2.2-TI2V-5B-Diffusers"),    PipelineSpec(_I2V, "Wan-AI/Wan2.2-TI2V-5B-Diffusers"),                 1280, 704,   121,  24,  50,   5.0,     _WAN_RULE, 32,   512, notes="one model for text and image conditioning"),
    Preset("ltx-video", "ltx",            PipelineSpec("LTXPipeline", "Lightricks/LTX-Video"),      PipelineSpec("LTXImageToVideoPipeline", "Lightricks/LTX-Video"),       768,  512,   121,  24,  50,   3.0,     _LTX_RULE, 32,   128, passes_frame_rate=True, notes="2B, fastest; up to 257 frames", max_clip_s=10.0),
    Preset("cogvideox-2b", "cogvideox",   PipelineSpec("CogVideoXPipeline", "THUDM/CogVideoX-2b"),  None,                                                                  720,  480,   49,   8,   50,   6.0,     _WAN_RULE, 16,   226),
    Preset("cogvideox-5b", "cogvideox",   PipelineSpec("CogVideoXPipeline", "THUDM/CogVideoX-5b"),  PipelineSpec("CogVideoXImageToVideoPipeline", "THUDM/CogVideoX-5b-I2V"), 720, 480,   49,   8,   50,   6.0,     _WAN_RULE, 16,   226),
)
# fmt: on
PRESETS: dict[str, Preset] = {p.name: p for p in _ROWS}


def preset(name: str) -> Preset:
    """The preset called ``name``; an unknown name raises ``BackendUnavailable`` listing the known ones."""
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise BackendUnavailable(
            f"unknown diffusers preset {name!r}; available: {', '.join(PRESETS)}"
        ) from None
