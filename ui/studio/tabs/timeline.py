"""The timeline tab: the whole film at a glance — scenes and their shots drawn to scale (width = seconds),
coloured by where each shot stands (planned, rendering, needs you, shot, approved, stale, failed) — the
film's progress, *Play all* (the current takes cut in order into a preview, approved or not) and the cut's
state with *Re-cut*.

The page decides nothing: each shot's state is the storyboard card's (``ShotView.state`` plus what the job
runner and the graph know), the cut's state is ``FilmFiles.current``, and the preview is ``Studio.cut`` with
``allow_unapproved`` into the project's preview folder (``agents.preview_folder``)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from agents import CutEvent, Event, ProjectView, film_name, preview_folder
from ui.studio.desk import Desk, owned, owned_or, shown, user_of
from ui.studio.page import Page
from ui.studio.steps import Step, run_step
from ui.studio.tabs.cut import CUT_FIRST, final_cut_or_none, recut
from ui.studio.tabs.storyboard import ShotCard, storyboard

#: Status colours, shared by the legend and the blocks.
COLOURS = {
    "planned": "#9ca3af", "rendering": "#3b82f6", "needs you": "#f59e0b", "shot": "#a78bfa",
    "approved": "#22c55e", "stale": "#ef4444", "failed": "#7f1d1d",
}
PX_PER_S = 28


@dataclass(frozen=True)
class Progress:
    """How far the film is: shots approved (and shot at all) of all shots, and seconds approved of the film."""

    approved: int
    shot: int
    total: int
    seconds: float

    @property
    def line(self) -> str:
        return f"{self.approved} of {self.total} shots approved ({self.shot} shot) · {self.seconds:g} s of film"


def progress_of(cards: list[ShotCard]) -> Progress:
    return Progress(
        approved=sum(c.state == "approved" for c in cards),
        shot=sum(c.take_id is not None and c.state != "stale" for c in cards),
        total=len(cards), seconds=round(sum(c.duration_s for c in cards), 2),
    )


@owned_or(str)
def timeline_html(desk: Desk, user: str | None, project: ProjectView) -> str:
    """The timeline as HTML: one row per scene, one block per shot, its width its duration."""
    cards = storyboard(desk, user, project.id)
    if not cards:
        return "<p><em>No shots yet.</em></p>"
    scenes: dict[str, list[ShotCard]] = {}
    for card in cards:
        scenes.setdefault(card.scene, []).append(card)
    rows = []
    for scene, shots in scenes.items():
        blocks = "".join(
            f"<div class='tl-shot' id='tl-{html.escape(c.shot)}' data-state='{c.state}' "
            f"title='{html.escape(c.shot)} · {c.duration_s:g} s · {c.state}"
            + (f" — {html.escape(c.stale_reason)}" if c.stale_reason else "") + "' "
            f"style='width:{max(c.duration_s * PX_PER_S, 24):.0f}px;background:{COLOURS.get(c.state, '#9ca3af')}'>"
            f"{html.escape(c.shot)}<br><small>{c.duration_s:g}s</small>{_fill(c)}</div>"
            for c in shots
        )
        seconds = sum(c.duration_s for c in shots)
        rows.append(f"<div class='tl-scene'><div class='tl-label'>{html.escape(scene)}<br><small>{seconds:g} s</small></div>"
                    f"<div class='tl-shots'>{blocks}</div></div>")
    legend = " ".join(f"<span class='tl-key' style='background:{colour}'>{state}</span>" for state, colour in COLOURS.items())
    return f"<div class='timeline' id='timeline-film'>{''.join(rows)}</div><div class='tl-legend'>{legend}</div>"


def _fill(card: ShotCard) -> str:
    """A rendering shot's share, as a bar along the foot of its block."""
    if card.progress is None or card.progress >= 1:
        return ""
    return f"<div class='tl-fill' style='width:{card.progress:.0%}'></div>"


def _no_state() -> tuple[str, str, str | None]:
    return "*No project open.*", "", None


@owned_or(_no_state)
def film_state(desk: Desk, user: str | None, project: ProjectView) -> tuple[str, str, str | None]:
    """(progress line, the cut's state, the preview if one was made)."""
    cards = storyboard(desk, user, project.id)
    cut = final_cut_or_none(desk, user, project.id)
    said = cut.state if cut else "*Not cut yet: the film is cut when every shot is approved.*"
    preview = preview_folder(desk.studio.settings, project.id) / f"{film_name(project.id)}.mp4"
    return f"**Progress:** {progress_of(cards).line}", said, str(preview) if preview.is_file() else None


@owned
def play_all(desk: Desk, user: str | None, project: ProjectView) -> str:
    """Queue a preview of the current takes in film order (approved or not), to watch the sequence."""
    desk.jobs.submit(project.id, "cut a preview of every current take", lambda: _preview(desk, project.id))
    return "queued: a preview of every current take, in order (it plays here when it is cut)"


def _preview(desk: Desk, project: str) -> Iterator[Event | Step]:
    folder = preview_folder(desk.studio.settings, project)
    result = yield from run_step(
        "the preview", lambda report: desk.studio.cut(project, out_dir=folder, allow_unapproved=True, progress=lambda f, said: report(said, f)),
        first=CUT_FIRST,
    )
    yield CutEvent(path=str(Path(result.video)))


CSS = """
.timeline { display: flex; flex-direction: column; gap: 6px; overflow-x: auto; }
.tl-scene { display: flex; align-items: stretch; gap: 6px; }
.tl-label { min-width: 70px; font-weight: 600; }
.tl-shots { display: flex; gap: 2px; }
.tl-shot { position: relative; color: #fff; border-radius: 4px; padding: 4px; font-size: 12px; overflow: hidden; white-space: nowrap; }
.tl-fill { position: absolute; left: 0; bottom: 0; height: 4px; background: #fff; }
.tl-legend { margin-top: 8px; display: flex; gap: 4px; flex-wrap: wrap; }
.tl-key { color: #fff; border-radius: 4px; padding: 1px 6px; font-size: 12px; }
"""


def build(desk: Desk, page: Page) -> None:
    def show(project: str | None, request: gr.Request):
        user = user_of(request)
        progress, state, preview = film_state(desk, user, project)
        return timeline_html(desk, user, project), progress, state, preview

    @shown
    def play(project: str | None, request: gr.Request) -> str:
        return play_all(desk, user_of(request), project)

    @shown
    def again(project: str | None, request: gr.Request) -> str:
        return recut(desk, user_of(request), project)

    with gr.Tab("Timeline", id="timeline", elem_id="tab-timeline"):
        progress = gr.Markdown(elem_id="timeline-progress")
        film = gr.HTML(elem_id="timeline")
        state = gr.Markdown(elem_id="timeline-cut-state")
        with gr.Row():
            play_btn = gr.Button("Play all", size="sm", elem_id="play-all")
            recut_btn = gr.Button("Re-cut", size="sm", elem_id="timeline-recut")
        preview = gr.Video(label="Every current take, in order", interactive=False, elem_id="play-all-video", height=240)

    for key in (page.board, page.plan):
        key.change(show, [page.picker], [film, progress, state, preview], api_visibility="private", show_progress="hidden")
    play_btn.click(play, [page.picker], [page.notice], api_visibility="private")
    recut_btn.click(again, [page.picker], [page.notice], api_visibility="private")
