"""How big a story is for its running time (10 s to 10 min): beats, scenes, cast, places, lines, tokens.

Why functions of the runtime: fixed caps (6 scenes, 3 characters, 4 lines) planned a 10-minute film as one
scene of five two-minute shots. A scene here lasts about 25 s of screen, a spoken line about 5 s, a beat
about 12 s; the cast and the places grow slowly with the length. The token budgets follow the sizes (a
role asked for twelve beats needs more room than one asked for two), and the screenwriter asks one scene
at a time, so no single answer grows with the film.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_RUNTIME_S = 1.0


@dataclass(frozen=True)
class StoryShape:
    """The sizes of a story of one running time."""

    runtime_s: float
    beats: int
    scenes: int
    max_characters: int
    max_locations: int
    lines_per_scene: int

    @property
    def scene_s(self) -> float:
        return self.runtime_s / self.scenes

    def writer_tokens(self) -> int:
        """Room for a title, a logline, every character and place sheet, and every beat."""
        return 120 + 70 * self.max_characters + 45 * self.max_locations + 32 * self.beats

    def scene_tokens(self, lines: int | None = None) -> int:
        """Room for one scene: heading fields, action and its lines (``lines``, by default this shape's)."""
        return 110 + 40 * (self.lines_per_scene if lines is None else lines)

    def per_scene_tokens(self, scenes: int, per_scene: int, base: int = 40) -> int:
        """Room for a role that answers a small object for each of ``scenes`` scenes."""
        return base + per_scene * max(1, scenes)


def shape_for(runtime_s: float) -> StoryShape:
    """The story shape of a ``runtime_s``-second film (any positive length; sizes grow with it)."""
    runtime = max(float(runtime_s), MIN_RUNTIME_S)
    scenes = max(1, round(runtime / 25))
    beats = max(2, scenes, min(round(runtime / 12), 30))
    lines = max(1, min(6, round(runtime / scenes / 5)))
    return StoryShape(
        runtime_s=runtime,
        beats=beats,
        scenes=scenes,
        max_characters=min(8, 4 + int(runtime // 120)),
        max_locations=min(scenes + 1, 2 + int(runtime // 60), 10),
        lines_per_scene=lines,
    )
