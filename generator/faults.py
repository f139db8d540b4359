"""Crash points for tests: ``DAILIES_FAULT=NAME`` kills this process (SIGKILL, as ``kill -9`` would) when
it reaches the point called NAME, so a crash test lands exactly where it means to instead of racing a sleep.

Why here: the points sit in the generator (the cut's renames) and in the agents above it (a take's row);
``agents`` may import ``generator``, so one module serves both. Outside tests the variable is unset and a
point costs one dictionary lookup. An unknown NAME in the variable is refused at the first point reached,
so a typo in a test cannot silently never fire.

Points:
    after_take_file     a take's video and sidecar are written, its row in story memory is not
    during_cut_rename   the cut's sidecars (subtitles, timeline) are renamed into place, the film is not
"""

from __future__ import annotations

import os
import signal
from typing import Final, Literal

FaultPoint = Literal["after_take_file", "during_cut_rename"]
POINTS: Final[frozenset[str]] = frozenset({"after_take_file", "during_cut_rename"})
VARIABLE: Final = "DAILIES_FAULT"


def crash_point(name: FaultPoint) -> None:
    """Die here, at once and without cleanup, when ``DAILIES_FAULT`` names this point."""
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    if wanted not in POINTS:
        raise ValueError(f"{VARIABLE}={wanted!r} names no crash point; known: {', '.join(sorted(POINTS))}")
    if wanted == name:
        os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)  # pragma: no cover - SIGKILL does not return
