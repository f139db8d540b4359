"""Editor: titles the cut. The assembly itself (normalise, transitions, subtitles, timeline) is
deterministic and lives in ``generator.assembly``, driven by ``agents.production.cut``; the editor's LLM part
writes the title card and the end card, stored on the project for the cut to use.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agents.crew.fidelity import Provenance, leaks, problem, title_problem, words
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

    def ask(self, deps: Deps, project: str) -> CutNotes:
        """The model's cards, each checked: a title card that is not this film's becomes the film's title
        (labelled), an end card that fails its checks is left out (labelled). Never another film's card."""
        answer = super().ask(deps, project)
        p = deps.store.project(project)
        prov = Provenance(self.name)
        sources = [p.premise, p.title, p.logline]
        title_card = answer.title_card
        why = title_problem(title_card, p.premise, sources=[p.title, p.logline]) or _other_film(title_card, sources)
        if why:
            title_card = p.title[:60]
            prov.template("title card", why)
        else:
            prov.model("title card")
        end_card = answer.end_card
        if end_card.strip():
            why = problem(end_card, sources=sources, min_words=2) or _other_film(end_card, sources) or (
                "it only repeated the title" if words(end_card) in (words(title_card), words(p.title)) else None)
            if why:
                end_card = ""
                prov.removed("end card", why)
            else:
                prov.model("end card")
        self.provenance = prov
        return CutNotes(title_card=title_card, end_card=end_card)

    def apply(self, deps: Deps, project: str, out: CutNotes) -> None:
        extra = dict(deps.store.project(project).extra)
        extra[self.name] = out.model_dump()
        deps.store.update_project(project, extra=extra)

    def recall(self, deps: Deps, project: str) -> CutNotes:
        return CutNotes.model_validate(deps.store.project(project).extra[self.name])


def _other_film(card: str, sources: list[str]) -> str | None:
    """Why ``card`` is not this film's: it names an old example film that ``sources`` do not."""
    found = leaks(card, *sources)
    return f"it named another film ({', '.join(found)})" if found else None


def example() -> CutNotes:
    return CutNotes(title_card="THE KEEPER", end_card="The light stays on.")
