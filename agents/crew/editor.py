"""Editor: titles the cut. The assembly itself (normalise, transitions, subtitles, timeline) is
deterministic and lives in ``generator.assembly``, driven by ``agents.production.cut``; the editor's LLM part
writes the title card and the end card, stored on the project for the cut to use.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agents.crew.role import Deps, Role


class CutNotes(BaseModel):
    title_card: str = Field(max_length=60, description="Text of the opening title card.")
    end_card: str = Field(max_length=100, description="A last line before the credits, or empty.")


class Editor(Role[CutNotes]):
    name = "editor"
    stage = "edit"
    output = CutNotes
    goal = "Write the title card and the end card of the film."
    max_tokens = 80

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        p = deps.store.project(project)
        return {"title": p.title, "logline": p.logline}

    def apply(self, deps: Deps, project: str, out: CutNotes) -> None:
        extra = dict(deps.store.project(project).extra)
        extra[self.name] = out.model_dump()
        deps.store.update_project(project, extra=extra)

    def recall(self, deps: Deps, project: str) -> CutNotes:
        return CutNotes.model_validate(deps.store.project(project).extra[self.name])


def example() -> CutNotes:
    return CutNotes(title_card="THE KEEPER", end_card="The light stays on.")
