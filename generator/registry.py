"""Backend registry: a name → a factory, one line per backend.

A spec is ``NAME`` or ``NAME:VARIANT`` (e.g. ``animatic``, ``diffusers:wan2.1-t2v-1.3b``), optionally
followed by ``?key=value&…`` options; keyword options go to the factory too
(``get("diffusers:ltx-video", cpu_offload="model")``). Factories import their backend
lazily, so listing backends or using the animatic never imports torch or diffusers.

Adding a backend: write ``generator/<backend>.py`` implementing ``generator.base.Generator`` and add one
``BackendEntry`` line to ``BACKENDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from generator.base import Generator
from generator.errors import BackendUnavailable, BadRequest


def _animatic(variant: str | None, **options: Any) -> Generator:
    from generator.animatic.backend import AnimaticBackend

    if variant:
        raise BadRequest(f"the animatic has no variants, got 'animatic:{variant}'")
    return AnimaticBackend(**options)


def _diffusers(variant: str | None, **options: Any) -> Generator:
    from generator.diffusers_backend.backend import DiffusersBackend

    return DiffusersBackend(variant or "wan2.1-t2v-1.3b", **options)


@dataclass(frozen=True)
class BackendEntry:
    """One registered backend."""

    name: str
    factory: Callable[..., Generator]
    summary: str
    needs_gpu: bool  # True: real use needs CUDA (tests still run it on the CPU with tiny components)


BACKENDS: dict[str, BackendEntry] = {
    e.name: e
    for e in (
        BackendEntry(
            "animatic", _animatic, "CPU pre-visualisation drawn from the staging (no model)", needs_gpu=False
        ),
        BackendEntry(
            "diffusers",
            _diffusers,
            "video diffusion models (Wan, LTX-Video, CogVideoX); 'diffusers:PRESET'",
            needs_gpu=True,
        ),
        BackendEntry("farm", lambda variant, **o: __import__("generator.farm.client", fromlist=["farm"]).farm(variant, **o), "the backends above served on a Ray Serve render farm; 'farm:URL' (generator/farm)", needs_gpu=False),
    )
}


def parse_spec(spec: str) -> tuple[str, str | None]:
    """``'diffusers:ltx-video'`` → ``('diffusers', 'ltx-video')``; ``'animatic'`` → ``('animatic', None)``."""
    name, _, variant = spec.strip().partition("?")[0].partition(":")
    return name.strip().lower(), (variant.strip() or None)


def _value(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "on", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text.strip()


def spec_options(spec: str) -> dict[str, Any]:
    """Options written in a spec after ``?``: ``'diffusers:ltx-video?compile=regional&vae_tiling=true'``.

    So a whole backend configuration fits in one setting (``DAILIES_BACKEND``) or ``--backend`` value.
    ``true``/``yes`` and ``false``/``no`` become booleans, numbers become numbers; ``off`` stays a word.
    """
    _, _, query = spec.partition("?")
    return {key: _value(value) for key, value in parse_qsl(query, keep_blank_values=True)}


def get(spec: str, **options: Any) -> Generator:
    """Build the backend named by ``spec``; an unknown name raises ``BackendUnavailable`` listing the known ones.

    Keyword ``options`` win over options written in the spec.
    """
    name, variant = parse_spec(spec)
    entry = BACKENDS.get(name)
    if entry is None:
        raise BackendUnavailable(f"unknown generator backend {spec!r}; available: {', '.join(available())}")
    return entry.factory(variant, **{**spec_options(spec), **options})


def available() -> list[str]:
    """Every spec a user can pass, e.g. ``['animatic', 'diffusers:wan2.1-t2v-1.3b', …]``."""
    from generator.diffusers_backend.presets import PRESETS

    return ["animatic", *(f"diffusers:{name}" for name in PRESETS)]
