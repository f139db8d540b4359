"""Casting: a reference portrait for a character who has none, made once with an image pipeline.

Why: image-to-video conditioning is what keeps a face the same from shot to shot, and it needs a
picture. When the creator gives no reference, the first shot that needs one "casts" the character:
a neutral, front-lit portrait from the character sheet (verbatim), saved content-addressed so every
later shot — and every reshoot — uses the same face. The agents store the portrait in memory as the
character's reference from then on.

The image pipeline is loaded once (``CASTING_MODELS``), or injected (tests use a tiny one).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.base import StagedCharacter
from generator.errors import BackendUnavailable, BadRequest


@dataclass(frozen=True)
class CastingModel:
    """An image model that can cast a portrait, and how to call it."""

    cls: str
    hub_id: str
    steps: int
    guidance: float
    call_extras: dict[str, Any] = field(default_factory=dict)


CASTING_MODELS: dict[str, CastingModel] = {
    "flux-schnell": CastingModel("FluxPipeline", "black-forest-labs/FLUX.1-schnell", 4, 0.0),
    "sdxl": CastingModel("StableDiffusionXLPipeline", "stabilityai/stable-diffusion-xl-base-1.0", 30, 6.0),
    # Exactly the asked size (no aspect-ratio binning), and no caption cleaning (needs beautifulsoup4).
    "pixart-sigma": CastingModel(
        "PixArtSigmaPipeline",
        "PixArt-alpha/PixArt-Sigma-XL-2-1024-MS",
        20,
        4.5,
        {"use_resolution_binning": False, "clean_caption": False},
    ),
}

_RESIDENT: dict[str, Any] = {}


def portrait_prompt(character: StagedCharacter) -> str:
    """The casting prompt: the character sheet verbatim, framed as a plain reference portrait."""
    who = character.description.strip() or character.name or character.id
    return f"Reference portrait, head and shoulders, facing the camera, neutral expression, soft even light, plain background. {who}"


def portrait_seed(character: StagedCharacter) -> int:
    """One seed per character (not per shot), so every shot that casts them gets the same face."""
    return int.from_bytes(hashlib.sha256(f"casting:{character.id}".encode()).digest()[:4], "big")


def portrait_path(
    out_dir: Path, character: StagedCharacter, *, width: int, height: int, seed: int, model: str
) -> Path:
    key = hashlib.sha256(
        f"{model}|{portrait_prompt(character)}|{width}x{height}|{seed}".encode()
    ).hexdigest()[:20]
    safe_id = "".join(c if c.isalnum() or c in "-_" else "-" for c in character.id)[:40]
    return Path(out_dir) / "casting" / f"{safe_id}-{key}.png"


def load_casting_pipeline(name: str, dtype: Any, device: str) -> Any:
    """The image pipeline for casting, loaded once per process (real weights: never called in tests)."""
    if name not in CASTING_MODELS:
        raise BackendUnavailable(f"unknown casting model {name!r}; available: {', '.join(CASTING_MODELS)}")
    if name not in _RESIDENT:
        import diffusers

        spec = CASTING_MODELS[name]
        pipe = getattr(diffusers, spec.cls).from_pretrained(spec.hub_id, dtype=dtype)
        pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        _RESIDENT[name] = pipe
    return _RESIDENT[name]


def cast_portrait(
    pipe: Any,
    character: StagedCharacter,
    out_dir: Path,
    *,
    width: int,
    height: int,
    seed: int,
    steps: int,
    guidance: float,
    model: str,
    call_extras: dict[str, Any] | None = None,
    generator_factory: Callable[[int], Any] | None = None,
) -> Path:
    """Make (or reuse) the character's portrait; returns its path. Written atomically."""
    target = portrait_path(out_dir, character, width=width, height=height, seed=seed, model=model)
    if target.is_file():
        return target
    import torch

    target.parent.mkdir(parents=True, exist_ok=True)
    generator = generator_factory(seed) if generator_factory else torch.Generator("cpu").manual_seed(seed)
    result = pipe(
        prompt=portrait_prompt(character), width=width, height=height, num_inference_steps=steps,
        guidance_scale=guidance, generator=generator, output_type="pil", **(call_extras or {}),
    )  # fmt: skip
    images = getattr(result, "images", None)
    if not images:
        raise BadRequest(f"casting pipeline returned no image for {character.id}")
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.part.png")
    try:
        images[0].convert("RGB").save(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
