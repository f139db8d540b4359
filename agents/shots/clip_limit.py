"""How long a shot may be: the configured generator's longest clip, asked of the backend itself.

Why ask the backend: each video model makes clips of its own length (Wan about 5 s, LTX-Video about 10 s;
``generator.base.Capabilities.longest_clip_s``), and the plan must fit the model that will render it.
The animatic has no model, so its limit is a setting (``animatic_longest_clip_s``, default 10 s).
Building a backend object is cheap (no weights load until the first render).
"""

from __future__ import annotations

from agents.settings import Settings
from generator.registry import get, parse_spec


def generator_options(settings: Settings) -> dict[str, object]:
    """What the configured backend is built with from the settings: the ffmpeg binary, the animatic's clip."""
    options: dict[str, object] = {"ffmpeg": settings.ffmpeg} if settings.ffmpeg else {}
    if parse_spec(settings.backend)[0] == "animatic":  # the one backend whose clip length is a setting
        options["longest_clip_s"] = settings.animatic_longest_clip_s
    return options


def longest_clip_s(settings: Settings) -> float:
    """Seconds the configured backend (``settings.backend``) renders in one clip."""
    return float(get(settings.backend, **generator_options(settings)).capabilities.longest_clip_s)
