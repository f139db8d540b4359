"""A long film's per-scene roles ask a few scenes at a time, so no request grows with the film's length.

Why: the director, the cinematographer and the continuity supervisor answer one entry per scene; asked for
a whole ten-minute film (24 scenes) in one prompt, theirs were 2,300-3,200 tokens and growing with the
runtime (``tests/agents/production/test_prompt_budget.py``), and a small model's answer gets worse the more
it must hold at once. Each request covers ``PER_REQUEST`` consecutive scenes; a film of up to that many
scenes (every film up to about three minutes) is still asked in one request.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from agents.crew.role import Deps, render_prompt

#: Scenes one request of the director, cinematographer or continuity supervisor covers.
PER_REQUEST = 8

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = PER_REQUEST) -> list[list[T]]:
    """``items`` in consecutive groups of at most ``size`` (one empty group for no items)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


class AskedByScenes:
    """Mixin of a role asked ``PER_REQUEST`` scenes a request; its ``inputs`` take the request's scene keys."""

    name: ClassVar[str]
    goal: ClassVar[str]
    prompt_dir: ClassVar[Path]

    def inputs(self, deps: Deps, project: str, keys: Sequence[str] | None = None) -> dict[str, Any]:
        raise NotImplementedError

    def requests(self, deps: Deps, project: str) -> list[list[dict[str, str]]]:
        return [self.messages_for(deps, project, keys) for keys in chunks([s.key for s in deps.store.scenes(project)])]

    def messages_for(self, deps: Deps, project: str, keys: Sequence[str]) -> list[dict[str, str]]:
        """The messages of the request for the scenes ``keys``."""
        return render_prompt(self.name, {"goal": self.goal, **self.inputs(deps, project, keys)}, self.prompt_dir)
