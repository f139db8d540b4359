"""The studio page (Gradio 6): projects, chat with the crew, script, shot list, storyboard, bible, final cut.

``build_app`` reads top to bottom like the page: the sidebar (``tabs.projects``), the header
(``tabs.crew``), then one line per tab (``tabs.chat``, ``tabs.script``, ``tabs.shots``,
``tabs.storyboard``, ``tabs.bible``, ``tabs.cut``); each tab module lays its part out and wires its
own events. State that matters is never kept in the page: the open project is the picker's value, and a
``gr.Timer`` polls two fingerprints (``polling``) — when one changes, the tabs that show it draw again.
So a second tab, or a page after a server restart, shows the project exactly as it is.

``build_app(studio)`` returns the ``gr.Blocks``; ``launch(...)`` starts it with logins and the data
folder guard (``ui.studio.access``). ``demo`` (module attribute, built on first use) serves
``gradio ui/studio/app.py`` with the settings from the environment.
"""

from collections.abc import Callable
from typing import Any

import gradio as gr
from starlette.middleware import Middleware
from starlette.routing import Mount

from agents import Studio
from ui.api import PREFIX as API_PREFIX
from ui.api import build_api
from ui.studio import api, deeplinks, polling
from ui.studio.access import DataFolderGuard, served_folders
from ui.studio.desk import SHOWN, Desk
from ui.studio.file_guard import CacheOwnerGuard
from ui.studio.jobs import JobRunner
from ui.studio.page import Page
from ui.studio.tabs import bible, chat, crew, cut, projects, script, shots, storyboard, timeline
from ui.studio.users import Logins

CSS = """
.shot-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px; }
.waiting { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
.field-hint { color: var(--error-text-color, #b91c1c); font-size: 0.9em; }
.state { border-radius: 4px; padding: 0 4px; font-size: 0.85em; background: var(--neutral-200); }
.state-approved { background: #bbf7d0; } .state-stale { background: #fecaca; } .state-needs-you { background: #fde68a; }
""" + timeline.CSS


def build_app(studio: Studio, *, desk: Desk | None = None) -> gr.Blocks:
    """The studio's page over ``studio``."""
    desk = desk or Desk(studio=studio, jobs=JobRunner(expected=(*SHOWN, OSError, RuntimeError, ValueError)))
    with gr.Blocks(title="Dailies studio", analytics_enabled=False) as demo:
        board_key, plan_key, cards_key = gr.State(""), gr.State(""), gr.State("")
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                picker, notice = projects.build(desk)
            page = Page(picker=picker, notice=notice, board=board_key, plan=plan_key, cards=cards_key)
            with gr.Column(scale=4):
                crew.build(desk, page)
                with gr.Tabs(elem_id="studio-tabs") as tabs:
                    chat.build(desk, page)
                    timeline.build(desk, page)
                    script.build(desk, page)
                    shots.build(desk, page)
                    storyboard.build(desk, page)
                    bible.build(desk, page)
                    cut.build(desk, page)
        polling.build(desk, page)
        deeplinks.build(page, tabs, demo)
        demo.load(projects.loader(desk), None, [picker], api_visibility="private")
        api.register(desk)
    demo.desk = desk  # type: ignore[attr-defined]  # for tests and the command line
    return demo


def launch_kwargs(studio: Studio, *, auth: Logins | None = None, jobs: JobRunner | None = None) -> dict[str, Any]:
    """``Blocks.launch`` arguments: minimal ``allowed_paths``, the data-folder guard, the cache's owner check
    (``file_guard.CacheOwnerGuard``: a cached take, cut or bible is served only to its project's owner), logins, no SSR,
    and the public API (``ui.api``) mounted at ``/api/v1`` ahead of Gradio's routes, on the page's job runner."""
    home = str(studio.settings.home.resolve())
    return {
        "allowed_paths": served_folders(studio.settings),
        "app_kwargs": {
            "middleware": [Middleware(DataFolderGuard, home=home), Middleware(CacheOwnerGuard, studio=studio)],
            "routes": [Mount(API_PREFIX, app=build_api(studio, jobs))],
        },
        "auth": auth or None,
        "ssr_mode": False,
        "show_error": True,
        "css": CSS,
    }


def launch(
    studio: Studio, *, host: str = "127.0.0.1", port: int = 7860, auth: Logins | None = None,
    block: bool = True, on_ready: Callable[[str], None] | None = None,
) -> tuple[gr.Blocks, str]:
    """Start the studio; returns (the Blocks, its URL). ``block=False`` returns once it serves (tests)."""
    demo = build_app(studio)
    demo.queue(default_concurrency_limit=4)
    _, url, _ = demo.launch(
        server_name=host, server_port=port, prevent_thread_lock=True, quiet=True, inbrowser=False,
        **launch_kwargs(studio, auth=auth, jobs=demo.desk.jobs),  # type: ignore[attr-defined]
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
