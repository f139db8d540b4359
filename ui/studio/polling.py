"""What the page polls: three short fingerprints, each changing when what it covers changes.

Why fingerprints: nothing that matters lives in the page. A ``gr.Timer`` asks for each every second;
when one differs from the page's copy, the tabs listening to it draw again from story memory. So a
second tab, or a page after a server restart, shows the project exactly as it is.
"""

from __future__ import annotations

import hashlib
import json

import gradio as gr

from agents import ProjectView
from ui.studio.desk import SHOWN, Desk, owned_or, user_of
from ui.studio.page import Page
from ui.studio.tabs.projects import job_notice, project_choices
from ui.studio.tabs.projects import open_project as remember_open
from ui.studio.tabs.storyboard import cards_fingerprint

POLL_S = 1.0


@owned_or(str)
def fingerprint(desk: Desk, user: str | None, project: ProjectView) -> str:
    """Changes whenever anything the page shows changes: a take, the chat, the log, what waits, progress."""
    board = desk.studio.board(project.id)
    log = desk.jobs.log(project.id)
    takes = ",".join(f"{t.id}{t.status[0]}" for t in sorted((t for s in board.shots for t in s.takes), key=lambda t: t.id))
    pending = desk.studio.pending(project.id) if not desk.jobs.busy(project.id) else None
    progress = ",".join(f"{k}{v:.1f}" for k, v in sorted(desk.jobs.progress(project.id).items()))
    step = desk.jobs.step(project.id)
    if step is not None:  # a long step ticks once a second: the header's seconds move
        progress += f"|{step.message}{step.fraction or 0:.2f}{int(step.elapsed_s)}"
    return "|".join([
        project.id, project.status, str(project.updated_at), str(board.messages),
        str(log[-1].seq if log else 0), takes, pending.interrupt_id if pending else "-", progress,
    ])


@owned_or(str)
def plan_fingerprint(desk: Desk, user: str | None, project: ProjectView) -> str:
    """Changes when the script, shot list or bible change (a voice too; not while takes render), so tables
    being edited are re-drawn only when the plan itself changed."""
    board = desk.studio.board(project.id)
    data = [
        [(s.key, s.screenplay) for s in board.scenes],
        [(s.key, s.size, s.duration_s, [(c.id, c.x, c.facing) for c in s.staging], s.prompt) for s in board.shots],
        [(c.key, c.description, dict(c.wardrobe), list(c.reference_images), c.voice) for c in board.characters],
    ]
    text = json.dumps(data, default=str, ensure_ascii=False)
    return project.id + ":" + hashlib.sha256(text.encode()).hexdigest()[:16]


def build(desk: Desk, page: Page) -> None:
    """The timer, and opening a project from the picker: both set the fingerprints the tabs listen to."""

    def open_project(project: str | None, request: gr.Request):
        user = user_of(request)
        if project:
            try:
                remember_open(desk, user, project)
            except SHOWN as exc:
                raise gr.Error(str(exc), print_exception=False) from exc
        return fingerprint(desk, user, project), plan_fingerprint(desk, user, project), cards_fingerprint(desk, user, project)

    def tick(project: str | None, board_key: str, plan_key: str, cards_key: str, request: gr.Request):
        user = user_of(request)
        fresh = fingerprint(desk, user, project), plan_fingerprint(desk, user, project), cards_fingerprint(desk, user, project)
        return tuple(gr.skip() if new == old else new for new, old in zip(fresh, (board_key, plan_key, cards_key), strict=True))

    def relabel(project: str | None, request: gr.Request):
        """The picker's labels drawn again (a title the writer just gave shows in every tab alike)."""
        return gr.update(choices=project_choices(desk, user_of(request)))

    def follow(project: str | None, request: gr.Request):
        """The sidebar's notice follows the job it announced (queued → started → finished)."""
        said = job_notice(desk, user_of(request), project)
        return said or gr.skip()

    timer = gr.Timer(POLL_S)
    page.board.change(follow, [page.picker], [page.notice], api_visibility="private", show_progress="hidden")
    page.board.change(relabel, [page.picker], [page.picker], api_visibility="private", show_progress="hidden")
    keys = [page.board, page.plan, page.cards]
    page.picker.change(open_project, [page.picker], keys, api_visibility="private")
    timer.tick(tick, [page.picker, *keys], keys, api_visibility="private", show_progress="hidden")
