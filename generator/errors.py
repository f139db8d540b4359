"""The generator's exceptions: one small tree, so callers catch what they mean.

    GeneratorError
    ├── BadRequest           a request no backend could render as asked (field named, allowed values given)
    ├── BackendUnavailable   the backend cannot run here (missing package, no CUDA, unknown name, no ffmpeg)
    │   └── FarmUnavailable  the render farm cannot be reached, or has no deployment for the backend asked
    ├── OutOfMemory          the device ran out of memory; ``suggestion`` holds settings that would fit
    ├── RenderFailed         the backend or the encoder failed while rendering (ffmpeg exit, NaN frames…)
    │   └── RenderTimedOut   a render did not finish within its time limit (the farm's queue or a replica)
    ├── UnreadableMedia      a file the critic was asked to measure cannot be decoded as video
    └── AssemblyError        the final cut cannot be made; ``shot_id`` names the shot at fault
        ├── TakeMissing      a take file of the edit list is missing or empty (zero bytes)
        └── TakeUnreadable   a take file cannot be decoded as video

Whatever is raised, no half-written file is left behind: every backend writes to a temporary name and
renames it into place only when the file is complete. Modules beside this one (measurement, assembly) add
their own subclasses of ``GeneratorError`` here, so ``except GeneratorError`` catches everything that the
``generator`` package raises on purpose.
"""

from __future__ import annotations

from typing import Any


class GeneratorError(Exception):
    """Base of every error raised on purpose by ``generator``."""


class BadRequest(GeneratorError, ValueError):
    """A request cannot be rendered as asked: a field is missing, out of range or unsupported."""


class BackendUnavailable(GeneratorError):
    """The backend cannot run here: a package, a device, a binary or a preset is missing."""


class FarmUnavailable(BackendUnavailable, ConnectionError):
    """The render farm (``farm:URL``) cannot be reached, or serves no deployment for the backend asked.

    A ``ConnectionError`` too, so the production graph's retry policy retries it like any lost connection
    before the shot fails visibly (``dailies resume`` continues once the farm is back).
    """


class OutOfMemory(GeneratorError, MemoryError):
    """The device ran out of memory.

    ``suggestion`` holds settings that should fit (e.g. ``{"width": 640, "height": 368, "frames": 49,
    "cpu_offload": True}``) so the caller can retry or show the creator what to change.
    """

    def __init__(self, message: str, suggestion: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.suggestion: dict[str, Any] = dict(suggestion or {})

    def __str__(self) -> str:
        base = super().__str__()
        if not self.suggestion:
            return base
        hint = ", ".join(f"{k}={v}" for k, v in self.suggestion.items())
        return f"{base} (would fit: {hint})"


class RenderFailed(GeneratorError, RuntimeError):
    """The backend or the encoder failed while rendering; the message says which step and why."""


class RenderTimedOut(RenderFailed, TimeoutError):
    """A render did not finish within its time limit: queued too long on a busy farm, or a replica hung.

    A ``TimeoutError`` too, so the production graph retries it before the shot fails visibly.
    """


class UnreadableMedia(GeneratorError, ValueError):
    """A file given for measurement is missing, empty or cannot be decoded as video; the message names it."""


class AssemblyError(GeneratorError):
    """The final cut cannot be made. ``shot_id`` names the shot at fault (None when no one shot is).

    Raised before anything is renamed into place, so an earlier cut at the same path stays untouched.
    """

    def __init__(self, message: str, shot_id: str | None = None) -> None:
        super().__init__(message)
        self.shot_id = shot_id


class TakeMissing(AssemblyError, FileNotFoundError):
    """A take of the edit list is missing, not a file, or empty (zero bytes)."""


class TakeUnreadable(AssemblyError, ValueError):
    """A take of the edit list cannot be decoded as video (not a video file, truncated, no video stream)."""
