"""Speed and memory options of the diffusers backend: each off or on by a setting, each recorded on the take.

Why one frozen record: the same options decide how a pipeline is prepared (dtype, device, offload,
compile, attention kernel, cache hooks) and what the take says about how it was made, so both read
from here. Bad values are refused when the backend is built, naming the allowed ones.

    dtype        auto | bf16 | fp16 | fp32      auto: bf16 on CUDA, fp32 on CPU
    device       auto | cuda | cpu | cuda:N
    compile      off | regional | full          regional: torch.compile of the repeated transformer block
                                                (``compile_repeated_blocks``), minutes less warm-up than full
    attention    None | a diffusers attention backend name ("native", "flash", "_flash_3_hub", "sage", …)
    vae_tiling   decode the video in tiles (less memory at large sizes)
    cpu_offload  off | model | sequential       model: whole components move to the GPU in turn
    cache        off | fbc | magcache           first-block cache / MagCache (``diffusers.hooks``): skip
                                                transformer work when consecutive steps barely differ
    cache_threshold   the cache's threshold (default: diffusers' own)
    mag_ratios   MagCache's per-step magnitude ratios for the model (required with cache=magcache)
    max_sequence_length   text tokens (default: the preset's)
    casting      None | an image preset name ("flux-schnell", "sdxl"): make a reference portrait when a
                 character has none and the preset has an image-to-video pipeline
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields
from typing import Any

from generator.errors import BadRequest

_CHOICES: dict[str, tuple[str, ...]] = {
    "dtype": ("auto", "bf16", "fp16", "fp32"),
    "compile": ("off", "regional", "full"),
    "cpu_offload": ("off", "model", "sequential"),
    "cache": ("off", "fbc", "magcache"),
}


@dataclass(frozen=True)
class SpeedOptions:
    dtype: str = "auto"
    device: str = "auto"
    compile: str = "off"
    attention: str | None = None
    vae_tiling: bool = False
    cpu_offload: str = "off"
    cache: str = "off"
    cache_threshold: float | None = None
    mag_ratios: tuple[float, ...] | None = None
    max_sequence_length: int | None = None
    casting: str | None = None

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                raise BadRequest(
                    f"diffusers option {name}={getattr(self, name)!r}; allowed: {', '.join(allowed)}"
                )
        if not (self.device in ("auto", "cpu", "cuda") or self.device.startswith("cuda:")):
            raise BadRequest(f"diffusers option device={self.device!r}; allowed: auto, cpu, cuda, cuda:N")
        if self.cache == "magcache" and not self.mag_ratios:
            raise BadRequest(
                "diffusers option cache=magcache needs mag_ratios for the model (calibrate once with diffusers' MagCacheConfig(calibrate=True))"
            )
        if self.cache_threshold is not None and not 0 < self.cache_threshold < 1:
            raise BadRequest(
                f"diffusers option cache_threshold must be in (0, 1), got {self.cache_threshold}"
            )

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> SpeedOptions:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise BadRequest(
                f"unknown diffusers option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        values = dict(options)
        if values.get("mag_ratios") is not None:
            values["mag_ratios"] = tuple(float(r) for r in values["mag_ratios"])
        return cls(**values)

    def resolved_device(self) -> str:
        import torch

        if self.device != "auto":
            return self.device
        return "cuda" if torch.cuda.is_available() else "cpu"

    def resolved_dtype(self) -> Any:
        import torch

        if self.dtype == "auto":
            return torch.bfloat16 if self.resolved_device().startswith("cuda") else torch.float32
        return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[self.dtype]

    def load_key(self) -> tuple[Any, ...]:
        """What makes two loaded pipelines different (the resident-pipeline cache key)."""
        return tuple(
            sorted((k, v) for k, v in asdict(self).items() if k not in ("max_sequence_length", "casting"))
        )

    def pixel_key(self) -> str:
        """A short hash of the options that change the pixels (not just the speed); '' when all are default.

        Takes made with different such options must not share a file name (see ``DiffusersBackend.render``).
        """
        changing = ("dtype", "cache", "cache_threshold", "mag_ratios", "max_sequence_length", "casting")
        defaults = SpeedOptions()
        diff = {k: getattr(self, k) for k in changing if getattr(self, k) != getattr(defaults, k)}
        return hashlib.sha256(repr(sorted(diff.items())).encode()).hexdigest()[:8] if diff else ""

    def record(self) -> dict[str, Any]:
        """The options as they go on a take's ``parameters``."""
        data = asdict(self)
        data["mag_ratios"] = list(self.mag_ratios) if self.mag_ratios else None
        return data
