"""The sidebar: the project picker, a new project from a premise, and deleting one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from agents import ProjectView, StoryMemoryError
from ui.studio.desk import SHOWN, Desk, hint, owned, owned_or, shown, user_of
from ui.studio.errors import BadInput, NoSuchProject
from ui.studio.tabs.crew import advance


def project_choices(desk: Desk, user: str | None) -> list[tuple[str, str]]:
    """(label, id) of the user's projects, newest first: one label per project wherever it shows — its title
    (the premise until the writer titles it), its status and id. The list is drawn again whenever the open
    project changes, so two tabs never label one project differently."""
    return [(f"{p.label} · {p.status} · {p.id}", p.id) for p in desk.studio.projects(owner=user)]


def initial_project(desk: Desk, user: str | None, requested: str | None = None) -> str | None:
    """The project a fresh page opens: ``?project=ID`` if the user owns it, else the last one opened, else the newest."""
    for candidate in (requested, desk.opened.get(user)):
        if candidate:
            try:
                return desk.project(user, candidate).id
            except NoSuchProject:
                continue
    projects = desk.studio.projects(owner=user)
    return projects[0].id if projects else None


@owned
def open_project(desk: Desk, user: str | None, project: ProjectView) -> ProjectView:
    desk.remember(user, project.id)
    return project


def create_project(desk: Desk, user: str | None, premise: str, runtime_s: float | None = 60, style: str = "") -> str:
    """Start a project from a premise and set the crew planning it; returns the new id at once.

    The running time is checked by ``Studio`` against the one cap the CLI shares (``settings.max_runtime_s``)."""
    if not (premise or "").strip():
        raise BadInput("write a premise: a sentence or two about the film")
    try:
        runtime = desk.studio.check_runtime(float(runtime_s or 60))
    except StoryMemoryError as exc:  # the studio's cap, said as the form field's error
        raise BadInput(str(exc).removeprefix("target_runtime_s: ")) from exc
    except (TypeError, ValueError):
        raise BadInput(f"the running time '{runtime_s}' is not a number of seconds") from None
    project = desk.studio.new(premise.strip(), runtime_s=runtime, style=(style or "").strip(), owner=user)
    desk.remember(user, project.id)
    advance(desk, user, project.id)
    return project.id


def create_from_form(desk: Desk, user: str | None, premise: str, runtime_s: float | None, style: str) -> tuple[str | None, str]:
    """The *Create project* button: (the new id, "") or (None, what is wrong) — the form shows the reason next
    to the field and keeps what was typed (an error raised here would cover the field with a red badge)."""
    try:
        return create_project(desk, user, premise, runtime_s, style), ""
    except SHOWN as exc:
        return None, str(exc)


@owned
def delete_project(desk: Desk, user: str | None, project: ProjectView, confirmed: bool) -> str:
    """Delete a project after the user confirmed; stops its jobs first."""
    if not confirmed:
        raise BadInput("confirm the deletion first")
    desk.jobs.cancel(project.id)
    desk.jobs.wait(project.id, timeout_s=30)
    desk.studio.delete_project(project.id)
    desk.jobs.forget(project.id)
    if desk.opened.get(user) == project.id:
        desk.remember(user, None)
    return f"deleted {project.title or project.id}"


#: The job runner's own lines the sidebar's notice follows (a click's "queued: …" becomes "finished: …").
JOB_LINES = ("queued", "started", "finished", "failed", "cancelled")


@owned_or(str)
def job_notice(desk: Desk, user: str | None, project: ProjectView) -> str:
    """The newest of the project's job lines ("finished: approve s1-02"), so the notice a click left never
    outlives what it announced; "" when the project ran no job in this process."""
    line = next((e for e in reversed(desk.jobs.log(project.id)) if e.role == "studio" and e.kind in JOB_LINES), None)
    return line.text if line else ""


def loader(desk: Desk) -> Callable[[gr.Request], Any]:
    """What a fresh page runs on load: fill the picker and open the project the page should show."""

    def page_load(request: gr.Request):
        requested = dict(request.query_params).get("project") if request is not None else None
        user = user_of(request)
        return gr.update(choices=project_choices(desk, user), value=initial_project(desk, user, requested))

    return page_load


def build(desk: Desk) -> tuple[gr.Dropdown, gr.Markdown]:
    """The sidebar's components and events; returns (picker, notice)."""

    def refresh(project: str | None, request: gr.Request):
        choices = project_choices(desk, user_of(request))
        keep = project if project in {pid for _, pid in choices} else (choices[0][1] if choices else None)
        return gr.update(choices=choices, value=keep)

    def create(premise: str, runtime_s: float, style: str, request: gr.Request):
        user = user_of(request)
        pid, wrong = create_from_form(desk, user, premise, runtime_s, style)
        if pid is None:
            return gr.skip(), gr.skip(), gr.skip(), hint(wrong)
        return gr.update(choices=project_choices(desk, user), value=pid), "", f"Created `{pid}`: the crew is planning it.", ""

    @shown
    def delete(project: str | None, confirmed: bool, request: gr.Request):
        user = user_of(request)
        said = delete_project(desk, user, project, confirmed)
        choices = project_choices(desk, user)
        return gr.update(choices=choices, value=choices[0][1] if choices else None), False, said

    gr.Markdown("## Dailies studio")
    picker = gr.Dropdown(label="Project", choices=[], value=None, interactive=True, allow_custom_value=True, elem_id="project-picker")
    reload_btn = gr.Button("Refresh list", size="sm")
    cap = desk.studio.settings.max_runtime_s
    with gr.Accordion("New project", open=True):
        premise = gr.Textbox(label="Premise", lines=3, placeholder="A lighthouse keeper and her son in a storm…", elem_id="premise")
        premise_hint = gr.Markdown(elem_id="premise-hint")
        runtime = gr.Number(label="Running time (seconds)", value=60, minimum=5, maximum=cap, elem_id="runtime")
        style = gr.Textbox(label="Style", placeholder="moody, hand-held, cold light", elem_id="style")
        create_btn = gr.Button("Create project", variant="primary", elem_id="create-project")
    with gr.Accordion("Delete project", open=False):
        confirm = gr.Checkbox(label="Yes, delete this project, its takes and its cut", value=False, elem_id="confirm-delete")
        delete_btn = gr.Button("Delete project", variant="stop", elem_id="delete-project")
    notice = gr.Markdown(elem_id="notice")

    reload_btn.click(refresh, [picker], [picker], api_visibility="private")
    create_btn.click(create, [premise, runtime, style], [picker, premise, notice, premise_hint], api_visibility="private")
    delete_btn.click(delete, [picker, confirm], [picker, confirm, notice], api_visibility="private")
    return picker, notice
