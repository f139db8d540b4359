"""The script tab: the screenplay, scene by scene (read only)."""

from __future__ import annotations

import gradio as gr

from agents import ProjectView
from ui.studio.desk import Desk, owned_or, user_of
from ui.studio.page import Page


@owned_or(str)
def script_markdown(desk: Desk, user: str | None, project: ProjectView) -> str:
    """The screenplay, scene by scene."""
    scenes = desk.studio.board(project.id).scenes
    if not scenes:
        return "*No script yet: the screenwriter has not written it.*"
    parts = [f"## {project.title or 'Untitled'}", f"*{project.logline}*" if project.logline else ""]
    for scene in scenes:
        parts.append(f"### {scene.key.upper()}. {scene.heading or scene.location}")
        if scene.summary:
            parts.append(f"*{scene.summary}*")
        parts.append(f"```\n{scene.screenplay.strip() or '(no screenplay text)'}\n```")
    return "\n\n".join(p for p in parts if p)


def build(desk: Desk, page: Page) -> None:
    def show(project: str | None, request: gr.Request) -> str:
        return script_markdown(desk, user_of(request), project)

    with gr.Tab("Script", id="script", elem_id="tab-script"):
        script = gr.Markdown(elem_id="script")
    page.plan.change(show, [page.picker], [script], api_visibility="private", show_progress="hidden")
