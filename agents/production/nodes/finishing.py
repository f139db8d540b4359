"""Finishing: the ``edit`` stage's roles (the editor titles the film), then the approved takes are cut."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.production.cut import cut_with_settings
from agents.production.events import CutEvent
from agents.production.nodes.planning import stage_node
from agents.production.nodes.step import emit
from agents.production.state import Crew, FilmState

edit = stage_node("edit")


def cut(state: FilmState, runtime: Runtime[Crew]) -> dict[str, Any]:
    crew, project = runtime.context, state["project"]
    result = cut_with_settings(crew.deps.store, crew.deps.settings, project)
    crew.deps.store.update_project(project, status="cut")
    path = str(result.video)
    # the chat names the film, never the server's folders (the path stays in the message's data)
    said = f"The film is cut: {result.video.name} — watch it and download it in the Final cut tab."
    crew.deps.store.add_message(project, "editor", said, data={"cut": path})
    emit(CutEvent(path=path))
    return {"cut": path}
