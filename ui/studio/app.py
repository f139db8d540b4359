"""The studio page (Gradio 6): projects, chat with the crew, script, shot list, storyboard, bible, final cut.

This module only lays out components and wires them to ``ui.studio.handlers`` (plain functions).
State that matters is never kept in the page: the open project is the picker's value, and a
``gr.Timer`` polls two fingerprints (``handlers.fingerprint`` for what changes while the crew works,
``handlers.plan_fingerprint`` for the plan) — when one changes, the parts of the page that show it are
drawn again. So a second tab, or a page after a server restart, shows the project exactly as it is.

``build_app(studio)`` returns the ``gr.Blocks``; ``launch(...)`` starts it with logins and the data
folder guard (``ui.studio.access``). ``demo`` (module attribute, built on first use) serves
``gradio ui/studio/app.py`` with the settings from the environment.
"""

import contextlib
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from agents import AgentError, Studio
from memory.errors import StoryMemoryError
from ui.studio import handlers as h
from ui.studio.access import DataFolderGuard, owned_project, served_folders
from ui.studio.errors import StudioPageError
from ui.studio.jobs import JobRunner

#: Errors shown to the person as a message instead of a server error.
SHOWN = (StudioPageError, StoryMemoryError, AgentError)
POLL_S = 1.0
CSS = """
.shot-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px; }
.waiting { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
"""


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request is not None else None


def shown(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our typed errors into a ``gr.Error`` the page shows as a message."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SHOWN as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    return wrapper


def build_app(studio: Studio, *, desk: h.Desk | None = None) -> gr.Blocks:
    """The studio's page over ``studio``."""
    desk = desk or h.Desk(studio=studio, jobs=JobRunner(expected=(*SHOWN, OSError, RuntimeError, ValueError)))

    # ------------------------------------------------------------------ handlers bound to this desk
    def page_load(request: gr.Request):
        requested = dict(request.query_params).get("project") if request is not None else None
        user = _user(request)
        current = h.initial_project(desk, user, requested)
        return gr.update(choices=h.project_choices(desk, user), value=current)

    def refresh_projects(project: str | None, request: gr.Request):
        user = _user(request)
        choices = h.project_choices(desk, user)
        keep = project if project in {pid for _, pid in choices} else (choices[0][1] if choices else None)
        return gr.update(choices=choices, value=keep)

    @shown
    def create(premise: str, runtime_s: float, style: str, request: gr.Request):
        user = _user(request)
        pid = h.create_project(desk, user, premise, runtime_s, style)
        return gr.update(choices=h.project_choices(desk, user), value=pid), "", f"Created `{pid}`: the crew is planning it."

    @shown
    def delete(project: str | None, confirmed: bool, request: gr.Request):
        user = _user(request)
        said = h.delete_project(desk, user, project, confirmed)
        choices = h.project_choices(desk, user)
        return gr.update(choices=choices, value=choices[0][1] if choices else None), False, said

    def open_project(project: str | None, request: gr.Request):
        user = _user(request)
        if project:
            try:
                h.open_project(desk, user, project)
            except SHOWN as exc:
                raise gr.Error(str(exc), print_exception=False) from exc
        return (h.fingerprint(desk, user, project), h.plan_fingerprint(desk, user, project))

    def tick(project: str | None, board_key: str, plan_key: str, request: gr.Request):
        user = _user(request)
        board = h.fingerprint(desk, user, project)
        plan = h.plan_fingerprint(desk, user, project)
        return (gr.skip() if board == board_key else board, gr.skip() if plan == plan_key else plan)

    def show_activity(project: str | None, request: gr.Request):
        user = _user(request)
        pending = None
        with contextlib.suppress(*SHOWN):
            pending = h.job_state(desk, user, project)
        plan_waits = bool(pending and pending["pending"] == "plan" and not pending["busy"])
        busy = bool(pending and pending["busy"])
        cut = h.final_cut_or_none(desk, user, project)
        return (
            h.header(desk, user, project),
            h.chat_messages(desk, user, project),
            gr.update(visible=plan_waits),
            gr.update(visible=busy),
            cut.video if cut else None,
            [p for p in (cut.video, cut.srt, cut.otio, cut.bible) if p] if cut else None,
        )

    def show_plan(project: str | None, request: gr.Request):
        user = _user(request)
        characters = h.character_choices(desk, user, project)
        scenes = h.scene_choices(desk, user, project)
        refs = [(path, c["name"]) for c in h.bible_characters(desk, user, project) for path in c["references"]]
        return (
            h.script_markdown(desk, user, project),
            h.shot_table(desk, user, project),
            h.bible_markdown(desk, user, project),
            gr.update(choices=characters, value=characters[0][1] if characters else None),
            refs,
            gr.update(choices=scenes, value=scenes[0][1] if scenes else None),
        )

    @shown
    def send(project: str | None, text: str, request: gr.Request):
        h.send_message(desk, _user(request), project, text)
        return "", h.chat_messages(desk, _user(request), project)

    @shown
    def approve_plan(project: str | None, request: gr.Request):
        return h.decide(desk, _user(request), project, "approve_plan")

    @shown
    def resume(project: str | None, request: gr.Request):
        return h.advance(desk, _user(request), project)

    @shown
    def stop(project: str | None, request: gr.Request):
        return h.cancel(desk, _user(request), project)

    @shown
    def save_table(project: str | None, rows: Any, request: gr.Request):
        values = rows.values.tolist() if hasattr(rows, "values") else rows
        return h.save_shots(desk, _user(request), project, values)

    @shown
    def restage(project: str | None, character: str | None, change: str, request: gr.Request):
        return h.change_look(desk, _user(request), project, character, change), ""

    @shown
    def redress(project: str | None, character: str | None, scene: str | None, outfit: str, request: gr.Request):
        return h.change_wardrobe(desk, _user(request), project, character, scene, outfit), ""

    @shown
    def upload(project: str | None, character: str | None, image: str | None, request: gr.Request):
        user = _user(request)
        stored = h.upload_reference(desk, user, project, character, image)
        refs = [(path, c["name"]) for c in h.bible_characters(desk, user, project) for path in c["references"]]
        return f"saved {Path(stored).name}", refs, None

    @shown
    def cut_files(project: str | None, request: gr.Request):
        cut = h.final_cut(desk, _user(request), project)
        return cut.video, [p for p in (cut.video, cut.srt, cut.otio, cut.bible) if p]

    def decider(kind: str, shot: str) -> Callable[..., str]:
        """The click handler of one card's Approve or Reshoot button."""

        @shown
        def click(project: str | None, note: str, request: gr.Request) -> str:
            return h.decide(desk, _user(request), project, kind, shot, note if kind == "reshoot" else "")

        return click

    def reverter(shot: str) -> Callable[..., str]:
        @shown
        def click(project: str | None, take_id: int | None, request: gr.Request) -> str:
            return h.decide(desk, _user(request), project, "revert", shot, take_id=take_id)

        return click

    # ------------------------------------------------------------------ API-only endpoints (gradio_client)
    @shown
    def api_create(premise: str, runtime_s: float, style: str, request: gr.Request) -> str:
        """Create a project from a premise and start planning; returns its id."""
        return h.create_project(desk, _user(request), premise, runtime_s, style)

    def api_projects(request: gr.Request) -> list[str]:
        """Ids of the logged-in user's projects."""
        return [pid for _, pid in h.project_choices(desk, _user(request))]

    @shown
    def api_state(project_id: str, request: gr.Request) -> dict:
        """busy, running, status, pending ('plan'|'shots'|None), shots waiting, the recent log."""
        return h.job_state(desk, _user(request), project_id)

    @shown
    def api_decide(project_id: str, kind: str, shot: str, note: str, take_id: int, request: gr.Request) -> str:
        """Queue a decision: approve_plan, approve, reshoot (note), revert (take_id; 0 = none)."""
        return h.decide(desk, _user(request), project_id, kind, shot or None, note, take_id or None)

    @shown
    def api_send(project_id: str, message: str, request: gr.Request) -> str:
        """Send a chat note to the crew (the producer routes it)."""
        return h.send_message(desk, _user(request), project_id, message)

    @shown
    def api_storyboard(project_id: str, request: gr.Request) -> list[dict]:
        """One entry per shot: take, status, verdict, scores, history, waiting."""
        owned_project(studio, _user(request), project_id)
        return [
            {"shot": c.shot, "take_id": c.take_id, "take_status": c.take_status, "verdict": c.verdict,
             "scores": c.scores, "history": c.history, "waiting": c.waiting}
            for c in h.storyboard(desk, _user(request), project_id)
        ]

    @shown
    def api_shots(project_id: str, request: gr.Request) -> list[list]:
        """The shot table: shot, scene, size, duration_s, staging, prompt, findings."""
        owned_project(studio, _user(request), project_id)
        return h.shot_table(desk, _user(request), project_id)

    @shown
    def api_edit_shot(project_id: str, shot: str, size: str, duration_s: float, staging: str, prompt: str, request: gr.Request) -> str:
        """Save a shot's size, duration, staging and prompt; returns what the grammar check says."""
        user = _user(request)
        rows = [r for r in h.shot_table(desk, user, project_id) if r[0] == shot]
        if not rows:
            raise gr.Error(f"no shot {shot!r} in this project")
        row = rows[0]
        row[2:6] = [size or row[2], duration_s or row[3], staging if staging else row[4], prompt if prompt else row[5]]
        return h.save_shots(desk, user, project_id, [row])[1]

    @shown
    def api_delete(project_id: str, request: gr.Request) -> str:
        """Delete a project (the API call is the confirmation)."""
        return h.delete_project(desk, _user(request), project_id, True)

    # ------------------------------------------------------------------ layout
    with gr.Blocks(title="Dailies studio", analytics_enabled=False) as demo:
        board_key = gr.State("")
        plan_key = gr.State("")
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                gr.Markdown("## Dailies studio")
                picker = gr.Dropdown(label="Project", choices=[], value=None, interactive=True, allow_custom_value=True, elem_id="project-picker")
                reload_btn = gr.Button("Refresh list", size="sm")
                with gr.Accordion("New project", open=True):
                    premise = gr.Textbox(label="Premise", lines=3, placeholder="A lighthouse keeper and her son in a storm…", elem_id="premise")
                    runtime = gr.Number(label="Running time (seconds)", value=60, minimum=5, maximum=600, elem_id="runtime")
                    style = gr.Textbox(label="Style", placeholder="moody, hand-held, cold light", elem_id="style")
                    create_btn = gr.Button("Create project", variant="primary", elem_id="create-project")
                with gr.Accordion("Delete project", open=False):
                    confirm = gr.Checkbox(label="Yes, delete this project, its takes and its cut", value=False, elem_id="confirm-delete")
                    delete_btn = gr.Button("Delete project", variant="stop", elem_id="delete-project")
                notice = gr.Markdown(elem_id="notice")
            with gr.Column(scale=4):
                head = gr.Markdown("### No project open", elem_id="header")
                with gr.Row():
                    plan_btn = gr.Button("Approve the plan", variant="primary", visible=False, elem_id="approve-plan")
                    resume_btn = gr.Button("Resume the crew", size="sm", elem_id="resume")
                    stop_btn = gr.Button("Stop", size="sm", variant="stop", visible=False, elem_id="stop")
                with gr.Tabs():
                    with gr.Tab("Chat", elem_id="tab-chat"):
                        chatbot = gr.Chatbot(label="The crew", height=460, elem_id="chat", group_consecutive_messages=False)
                        with gr.Row():
                            message = gr.Textbox(placeholder="A note for the crew: 'make Tom's coat green', 'approve s1-02'…", show_label=False, scale=5, elem_id="chat-input")
                            send_btn = gr.Button("Send", scale=1, elem_id="chat-send")
                    with gr.Tab("Script", elem_id="tab-script"):
                        script = gr.Markdown(elem_id="script")
                    with gr.Tab("Shot list", elem_id="tab-shots"):
                        gr.Markdown("Edit size, duration, staging (`id x facing; …`) or prompt, then **Save**: the grammar is checked again.")
                        table = gr.Dataframe(
                            headers=h.SHOT_COLUMNS, datatype=["str", "str", "str", "number", "str", "str", "str"],
                            interactive=True, wrap=True, elem_id="shot-table", static_columns=[0, 1, 6],
                        )
                        with gr.Row():
                            save_btn = gr.Button("Save shot list", variant="primary", elem_id="save-shots")
                            table_msg = gr.Markdown()
                    with gr.Tab("Storyboard", elem_id="tab-board"):

                        @gr.render(inputs=[picker, board_key])
                        def board(project: str | None, _key: str, request: gr.Request):
                            cards = h.storyboard(desk, _user(request), project)
                            if not cards:
                                gr.Markdown("*No shots yet.*")
                                return
                            for row_start in range(0, len(cards), 3):
                                with gr.Row(equal_height=False):
                                    for card in cards[row_start:row_start + 3]:
                                        shot_card(card, project)

                        def shot_card(card: h.ShotCard, project: str | None) -> None:
                            classes = ["shot-card", "waiting"] if card.waiting else ["shot-card"]
                            with gr.Column(elem_classes=classes, elem_id=f"card-{card.shot}", min_width=260):
                                gr.Markdown(
                                    f"**{card.shot}** · {card.scene} · {card.size} · {card.duration_s:g} s\n\n{card.description}\n\n"
                                    f"Take: **{card.take_status}**" + (f" · critic: **{card.verdict}**" if card.verdict else "")
                                    + (f"\n\n<small>{card.scores}</small>" if card.scores else "")
                                    + (f"\n\nrendering {card.progress:.0%}" if card.progress is not None else ""),
                                    key=f"md-{card.shot}",
                                )
                                if card.video:
                                    gr.Video(card.video, label=f"{card.shot} take", height=180, autoplay=False, loop=True, key=f"video-{card.shot}-{card.take_id}", elem_id=f"video-{card.shot}")
                                if card.history:
                                    gr.Markdown(
                                        "<small>History: " + ", ".join(f"#{n} {s}" + (f" ({v})" if v else "") for _, n, s, v in card.history) + "</small>",
                                        key=f"hist-{card.shot}",
                                    )
                                if not card.waiting:
                                    return
                                note = gr.Textbox(placeholder="Reshoot note, e.g. 'slower, she looks at him'", show_label=False, key=f"note-{card.shot}", elem_id=f"note-{card.shot}")
                                with gr.Row():
                                    approve = gr.Button("Approve", variant="primary", size="sm", key=f"approve-{card.shot}", elem_id=f"approve-{card.shot}")
                                    reshoot = gr.Button("Reshoot", size="sm", key=f"reshoot-{card.shot}", elem_id=f"reshoot-{card.shot}")
                                approve.click(decider("approve", card.shot), [picker, note], [notice], api_visibility="private")
                                reshoot.click(decider("reshoot", card.shot), [picker, note], [notice], api_visibility="private")
                                choices = card.revert_choices
                                if choices:
                                    with gr.Row():
                                        older = gr.Dropdown(choices=choices, value=choices[-1][1], show_label=False, key=f"revert-to-{card.shot}", scale=2)
                                        revert = gr.Button("Revert", size="sm", key=f"revert-{card.shot}", scale=1, elem_id=f"revert-{card.shot}")
                                    revert.click(reverter(card.shot), [picker, older], [notice], api_visibility="private")

                    with gr.Tab("Bible", elem_id="tab-bible"):
                        bible = gr.Markdown(elem_id="bible")
                        with gr.Row():
                            character = gr.Dropdown(label="Character", choices=[], interactive=True)
                            look = gr.Textbox(label="Change their look (their shots are re-shot)", placeholder="her scarf is blue")
                            look_btn = gr.Button("Restage")
                        with gr.Row():
                            scene = gr.Dropdown(label="Scene", choices=[], interactive=True)
                            outfit = gr.Textbox(label="What they wear in it (their shots there are re-shot)", placeholder="a blue raincoat")
                            outfit_btn = gr.Button("Re-dress")
                        with gr.Row():
                            reference = gr.Image(label="Upload a reference photo or drawing", type="filepath", sources=["upload"], height=200, elem_id="reference-upload")
                            gallery = gr.Gallery(label="Reference images", height=200, columns=4, elem_id="references")
                        bible_msg = gr.Markdown(elem_id="bible-message")
                    with gr.Tab("Final cut", elem_id="tab-cut"):
                        film = gr.Video(label="The film", elem_id="final-film", interactive=False)
                        downloads = gr.File(label="Downloads: MP4, subtitles, OTIO timeline, story bible", file_count="multiple", interactive=False)
                        cut_btn = gr.Button("Refresh", size="sm")
        timer = gr.Timer(POLL_S)

        # ------------------------------------------------------------------ events, top to bottom
        demo.load(page_load, None, [picker], api_visibility="private")
        reload_btn.click(refresh_projects, [picker], [picker], api_visibility="private")
        create_btn.click(create, [premise, runtime, style], [picker, premise, notice], api_visibility="private")
        delete_btn.click(delete, [picker, confirm], [picker, confirm, notice], api_visibility="private")
        picker.change(open_project, [picker], [board_key, plan_key], api_visibility="private")
        timer.tick(tick, [picker, board_key, plan_key], [board_key, plan_key], api_visibility="private", show_progress="hidden")
        board_key.change(show_activity, [picker], [head, chatbot, plan_btn, stop_btn, film, downloads], api_visibility="private", show_progress="hidden")
        plan_key.change(show_plan, [picker], [script, table, bible, character, gallery, scene], api_visibility="private", show_progress="hidden")
        message.submit(send, [picker, message], [message, chatbot], api_visibility="private")
        send_btn.click(send, [picker, message], [message, chatbot], api_visibility="private")
        plan_btn.click(approve_plan, [picker], [notice], api_visibility="private")
        resume_btn.click(resume, [picker], [notice], api_visibility="private")
        stop_btn.click(stop, [picker], [notice], api_visibility="private")
        save_btn.click(save_table, [picker, table], [table, table_msg], api_visibility="private")
        look_btn.click(restage, [picker, character, look], [bible_msg, look], api_visibility="private")
        outfit_btn.click(redress, [picker, character, scene, outfit], [bible_msg, outfit], api_visibility="private")
        reference.upload(upload, [picker, character, reference], [bible_msg, gallery, reference], api_visibility="private")
        cut_btn.click(cut_files, [picker], [film, downloads], api_name="final_cut")

        gr.api(api_create, api_name="create_project")
        gr.api(api_projects, api_name="projects")
        gr.api(api_state, api_name="state")
        gr.api(api_decide, api_name="decide")
        gr.api(api_send, api_name="send_note")
        gr.api(api_storyboard, api_name="storyboard")
        gr.api(api_shots, api_name="shots")
        gr.api(api_edit_shot, api_name="edit_shot")
        gr.api(api_delete, api_name="delete_project")
    demo.desk = desk  # type: ignore[attr-defined]  # for tests and the command line
    return demo


def launch_kwargs(studio: Studio, *, auth: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """``Blocks.launch`` arguments: minimal ``allowed_paths``, the data-folder guard, logins, no SSR."""
    home = str(studio.settings.home.resolve())
    return {
        "allowed_paths": served_folders(studio.settings),
        "app_kwargs": {"middleware": [Middleware(DataFolderGuard, home=home)]},
        "auth": auth or None,
        "ssr_mode": False,
        "show_error": True,
        "css": CSS,
    }


def launch(
    studio: Studio, *, host: str = "127.0.0.1", port: int = 7860, auth: list[tuple[str, str]] | None = None,
    block: bool = True, on_ready: Callable[[str], None] | None = None,
) -> tuple[gr.Blocks, str]:
    """Start the studio; returns (the Blocks, its URL). ``block=False`` returns once it serves (tests)."""
    demo = build_app(studio)
    demo.queue(default_concurrency_limit=4)
    _, url, _ = demo.launch(
        server_name=host, server_port=port, prevent_thread_lock=True, quiet=True, inbrowser=False,
        **launch_kwargs(studio, auth=auth),
    )
    url = str(url or f"http://{host}:{port}/")
    if on_ready is not None:
        on_ready(url)
    if block:
        demo.block_thread()
    return demo, url


def __getattr__(name: str) -> Any:
    if name == "demo":
        built = build_app(Studio())
        globals()["demo"] = built
        return built
    raise AttributeError(name)
