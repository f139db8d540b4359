"""The calibration table: what one render costs, per preset, resolution, frames and steps.

Why a table of measured points and one stated scaling rule (and not a formula per model): the only honest
source of a render's cost is a measurement. Each row is one measured point — a model at one size, the
seconds one transformer forward took — and every other size is scaled from the nearest point by the rule
below. A preset with no measured point (nor one of the same transformer) has no row: ``calibration_for``
raises ``EstimateUnavailable`` instead of inventing a figure.

The rule, for a diffusion video model:

    seconds per render = steps × forwards per step × forward_s × tokens / tokens_measured

- *forwards per step* is 2 when guidance > 1 (classifier-free guidance runs the transformer on the
  conditional and the unconditional input: diffusers' ``do_classifier_free_guidance``), else 1;
- *tokens* = latent frames × latent pixels: ``((frames − 1) / t + 1) × (height / s) × (width / s)``
  with the VAE's temporal (t) and spatial (s) compression (Wan 4 and 8, LTX-Video 8 and 32);
- the cost is taken as linear in tokens. Attention grows as the square of the tokens, so the rule
  under-estimates sizes much larger than the measured point and over-estimates much smaller ones; the
  learned ratio (``agents.desk.learning``) corrects it once takes have been measured. The VAE decode and
  model loading are not in the table (they are in a take's measured ``total``, hence in the ratio).

Check of the rule on the seed figure: Wan2.1-1.3B, 50 steps × 2 forwards × 0.63 s = 63 s for a 5 s shot
(81 frames at 16 fps), against ≈ 64 s measured end to end.

The animatic has no GPU: its row is seconds per output frame at 640×360 on the development CPU
(``bench/results/animatic.jsonl``: 1440 frames in 11.195 s, median of 3 runs, 2-core x86_64 under load),
scaled by pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.errors import EstimateUnavailable

H100 = "H100 80 GB, stock diffusers 0.42, bf16"
DEV_CPU = "x86_64 2-core development machine (shared), libx264 ultrafast"


@dataclass(frozen=True)
class Latent:
    """How a model's VAE compresses a video: ``temporal`` frames and ``spatial`` pixels per latent cell."""

    temporal: int
    spatial: int

    def tokens(self, width: int, height: int, frames: int) -> int:
        """Latent frames × latent pixels of a ``width``×``height``×``frames`` video."""
        latent_frames = (max(1, frames) - 1) // self.temporal + 1
        return latent_frames * max(1, height // self.spatial) * max(1, width // self.spatial)


WAN_VAE = Latent(temporal=4, spatial=8)
LTX_VAE = Latent(temporal=8, spatial=32)


@dataclass(frozen=True)
class Point:
    """One measurement: seconds per transformer forward of ``model`` at ``width``×``height``×``frames``."""

    model: str
    width: int
    height: int
    frames: int
    forward_s: float
    device: str


@dataclass(frozen=True)
class Row:
    """The calibration of one preset: its latent geometry and the measured points its cost is scaled from."""

    preset: str
    latent: Latent
    points: tuple[Point, ...]
    basis: str
    """Where the figures come from, said in every estimate."""

    def nearest(self, width: int, height: int, frames: int) -> Point:
        """The measured point closest in tokens to the size asked for (the least scaling)."""
        tokens = self.latent.tokens(width, height, frames)
        return min(self.points, key=lambda p: abs(self.latent.tokens(p.width, p.height, p.frames) - tokens))

    def forward_s(self, width: int, height: int, frames: int) -> float:
        """Seconds per transformer forward at this size: the nearest point scaled linearly by tokens."""
        point = self.nearest(width, height, frames)
        measured = self.latent.tokens(point.width, point.height, point.frames)
        return point.forward_s * self.latent.tokens(width, height, frames) / measured


def forwards_per_step(guidance: float) -> int:
    """Transformer forwards per denoising step: 2 with classifier-free guidance (guidance > 1), else 1."""
    return 2 if guidance > 1.0 else 1


_WAN_13B = Point("Wan2.1-T2V-1.3B", 832, 480, 81, 0.63, H100)
_WAN_14B = Point("Wan2.1-T2V-14B", 1280, 720, 81, 12.5, H100)
_LTX_2B = Point("LTX-Video-2B", 768, 512, 121, 0.092, H100)

#: One row per calibrated diffusers preset. Presets absent here (Wan 2.2 TI2V-5B, CogVideoX) have no
#: measured figure yet: add a ``Point`` when one is measured.
ROWS: dict[str, Row] = {
    "wan2.1-t2v-1.3b": Row("wan2.1-t2v-1.3b", WAN_VAE, (_WAN_13B,), f"measured: Wan2.1-1.3B 832×480×81 at 0.63 s/forward ({H100})"),
    "wan2.1-t2v-14b": Row("wan2.1-t2v-14b", WAN_VAE, (_WAN_14B,), f"measured: Wan2.1-14B 1280×720×81 at 12.5 s/forward ({H100})"),
    "wan2.1-i2v-14b-480p": Row(
        "wan2.1-i2v-14b-480p", WAN_VAE, (_WAN_14B,),
        f"scaled from Wan2.1-T2V-14B 1280×720×81 at 12.5 s/forward (same 14B transformer; {H100})",
    ),
    "ltx-video": Row("ltx-video", LTX_VAE, (_LTX_2B,), f"measured: LTX-Video-2B 768×512×121 at 0.092 s/forward ({H100})"),
}


@dataclass(frozen=True)
class CpuRow:
    """A CPU backend's calibration: seconds per output frame at ``width``×``height``, scaled by pixels."""

    backend: str
    width: int
    height: int
    frame_s: float
    device: str
    basis: str

    def seconds(self, width: int, height: int, frames: int) -> float:
        return self.frame_s * frames * (width * height) / (self.width * self.height)


ANIMATIC = CpuRow(
    "animatic", 640, 360, 11.195 / 1440, DEV_CPU,
    "measured: animatic 1440 frames at 640×360 in 11.195 s on this CPU (bench/results/animatic.jsonl)",
)


def calibration_for(preset: str) -> Row:
    """The calibration row of a diffusers preset; an uncalibrated preset is an ``EstimateUnavailable``."""
    try:
        return ROWS[preset]
    except KeyError:
        raise EstimateUnavailable(
            f"no calibration for diffusers preset {preset!r} (calibrated: {', '.join(ROWS)}); "
            "add a measured point to agents/desk/calibration.py"
        ) from None
