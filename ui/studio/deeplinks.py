"""Deep links: ``?project=ID&tab=NAME`` names what the page shows, and a reload opens exactly that.

Why in the URL: the page keeps no state of its own (``gr.State`` is cleared on reload), so the address is
where a person's place lives. Opening a project or a tab rewrites the address in place (no navigation);
on load the project comes from ``projects.loader`` (which checks the user owns it) and the tab from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from ui.studio.page import Page

#: The tabs a link may name (each ``gr.Tab``'s ``id``), in page order.
TABS = ("chat", "timeline", "script", "shots", "board", "bible", "cut")

def remember(tab: str) -> str:
    """JS that writes ``project`` and ``tab`` into the address bar, in place (no navigation)."""
    return f"""(project) => {{
  if ({tab!r} && !window.dailiesLinked) return [];  // a tab shown before the link was restored says nothing
  const url = new URL(window.location.href);
  if (project) url.searchParams.set('project', project);
  if ({tab!r}) url.searchParams.set('tab', {tab!r});
  window.history.replaceState(null, '', url);
  return [];
}}"""


def tab_of(query: dict[str, str]) -> str | None:
    """The tab a link names, if it is one of ours."""
    tab = query.get("tab")
    return tab if tab in TABS else None


def loader() -> Callable[[gr.Request], Any]:
    def load(request: gr.Request):
        tab = tab_of(dict(request.query_params)) if request is not None else None
        return gr.update(selected=tab) if tab else gr.skip()

    return load


def build(page: Page, tabs: gr.Tabs, demo: gr.Blocks) -> None:
    """Wire the address bar to the picker and the tabs, and restore the tab on load."""
    page.picker.change(None, [page.picker], None, js=remember(""))
    for tab in tabs.children:
        if isinstance(tab, gr.Tab) and tab.id in TABS:
            tab.select(None, [page.picker], None, js=remember(str(tab.id)))
    demo.load(loader(), None, [tabs], api_visibility="private").then(
        None, None, None, js="() => { setTimeout(() => { window.dailiesLinked = true; }, 300); return []; }"
    )
