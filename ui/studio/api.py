"""The API-only endpoints of the studio (for ``gradio_client``): the same handlers the page uses, named.

Every endpoint goes through the handlers' ownership guard, so another user's project id gets the same
"no project … for you" as a missing one. ``/final_cut`` is the Final cut tab's Refresh button.
"""

from __future__ import annotations

import gradio as gr

from ui.studio.desk import Desk, shown, user_of
from ui.studio.errors import BadInput
from ui.studio.tabs import crew, projects, shots, storyboard
from ui.studio.tabs.chat import send_message


def register(desk: Desk) -> None:
    """Add the named endpoints to the Blocks being built."""

    @shown
    def api_create(premise: str, runtime_s: float, style: str, request: gr.Request) -> str:
        """Create a project from a premise and start planning; returns its id."""
        return projects.create_project(desk, user_of(request), premise, runtime_s, style)

    def api_projects(request: gr.Request) -> list[str]:
        """Ids of the logged-in user's projects."""
        return [pid for _, pid in projects.project_choices(desk, user_of(request))]

    @shown
    def api_state(project_id: str, request: gr.Request) -> dict:
        """busy, running, step (the long step at work: loading the model, cutting), status, pending ('plan'|'shots'|None), shots waiting, the recent log."""
        return crew.job_state(desk, user_of(request), project_id)

    @shown
    def api_decide(project_id: str, kind: str, shot: str, note: str, take_id: int, request: gr.Request) -> str:
        """Queue a decision: approve_plan, approve, reshoot (note), revert (take_id; 0 = none)."""
        return crew.decide(desk, user_of(request), project_id, kind, shot or None, note, take_id or None)

    @shown
    def api_send(project_id: str, message: str, request: gr.Request) -> str:
        """Send a chat note to the crew (the producer routes it)."""
        return send_message(desk, user_of(request), project_id, message)

    @shown
    def api_storyboard(project_id: str, request: gr.Request) -> list[dict]:
        """One entry per shot: take, status, verdict, scores, history, waiting."""
        user = user_of(request)
        desk.project(user, project_id)  # the guard: the page's drawing shows nothing, the API says why
        return [
            {"shot": c.shot, "take_id": c.take_id, "take_status": c.take_status, "verdict": c.verdict,
             "scores": c.scores, "history": c.history, "waiting": c.waiting}
            for c in storyboard.storyboard(desk, user, project_id)
        ]

    @shown
    def api_shots(project_id: str, request: gr.Request) -> list[list]:
        """The shot table: shot, scene, size, duration_s, staging, prompt, findings."""
        user = user_of(request)
        desk.project(user, project_id)
        return shots.shot_table(desk, user, project_id)

    @shown
    def api_edit_shot(project_id: str, shot: str, size: str, duration_s: float, staging: str, prompt: str, request: gr.Request) -> str:
        """Save a shot's size, duration, staging and prompt; returns what the grammar check says."""
        user = user_of(request)
        desk.project(user, project_id)
        rows = [r for r in shots.shot_table(desk, user, project_id) if r[0] == shot]
        if not rows:
            raise BadInput(f"no shot {shot!r} in this project")  # a message, not a logged traceback
        row = rows[0]
        row[2:6] = [size or row[2], duration_s or row[3], staging if staging else row[4], prompt if prompt else row[5]]
        return shots.save_shots(desk, user, project_id, [row])[1]

    @shown
    def api_delete(project_id: str, request: gr.Request) -> str:
        """Delete a project (the API call is the confirmation)."""
        return projects.delete_project(desk, user_of(request), project_id, True)

    gr.api(api_create, api_name="create_project")
    gr.api(api_projects, api_name="projects")
    gr.api(api_state, api_name="state")
    gr.api(api_decide, api_name="decide")
    gr.api(api_send, api_name="send_note")
    gr.api(api_storyboard, api_name="storyboard")
    gr.api(api_shots, api_name="shots")
    gr.api(api_edit_shot, api_name="edit_shot")
    gr.api(api_delete, api_name="delete_project")
