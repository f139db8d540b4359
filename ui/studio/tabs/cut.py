"""The final-cut tab: the film, whether it is current or out of date, *Re-cut*, and its downloads (MP4,
subtitles, OTIO timeline, the story bible).

Where the files lie is ``agents``' knowledge (``Studio.film_files``); this tab only shows them. The last cut
stays here after a change (marked out of date) until a new one replaces it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import gradio as gr

from agents import CutEvent, Event, ProjectView
from ui.studio.desk import Desk, owned, shown, user_of
from ui.studio.errors import NoSuchProject, NotReady
from ui.studio.page import Page
from ui.studio.steps import CUT_FIRST, CUT_STEP, Step, run_step


@dataclass(frozen=True)
class FinalCut:
    video: str
    srt: str | None
    otio: str | None
    bible: str
    current: bool = True

    @property
    def downloads(self) -> list[str]:
        return [p for p in (self.video, self.srt, self.otio, self.bible) if p]

    @property
    def state(self) -> str:
        """One line on the film's state, as the tab and the header say it."""
        if self.current:
            return "**The cut is current.**"
        return "**The cut is out of date:** a shot changed since. Approve every shot, then *Re-cut* (the last cut stays here until then)."


@owned
def final_cut(desk: Desk, user: str | None, project: ProjectView, *, fresh: bool = True) -> FinalCut:
    """The cut film and its downloads. The bible is exported again when ``fresh`` (the Refresh button),
    else only when it is missing or older than the film (polling must not rewrite it every time it draws)."""
    files = desk.studio.film_files(project.id, fresh=fresh)
    if files is None:
        raise NotReady("the film is not cut yet: approve every shot")
    return FinalCut(
        str(files.video), str(files.srt) if files.srt else None, str(files.otio) if files.otio else None, str(files.bible),
        files.current,
    )


def final_cut_or_none(desk: Desk, user: str | None, project_id: str | None) -> FinalCut | None:
    try:
        return final_cut(desk, user, project_id, fresh=False)
    except (NotReady, NoSuchProject):
        return None


@owned
def recut(desk: Desk, user: str | None, project: ProjectView) -> str:
    """Queue a new cut from the approved takes (the crew's job runner; a shot still waiting stops it with a message)."""
    desk.jobs.submit(project.id, "re-cut the film", lambda: _cut_events(desk, project.id))
    return "queued: re-cut the film"


def _cut_events(desk: Desk, project: str) -> Iterator[Event | Step]:
    """The re-cut as a step the header shows (what the cut does, its share when it knows it), then its event."""
    path = yield from run_step(CUT_STEP, lambda report: desk.studio.recut(project, progress=lambda f, said: report(said, f)), first=CUT_FIRST)
    yield CutEvent(path=str(path))



DOWNLOADS = (("mp4", "Film (MP4)"), ("srt", "Subtitles (.srt)"), ("otio", "Timeline (.otio)"), ("bible", "Story bible (JSON)"))
NOT_CUT = "*Not cut yet: the film is cut when every shot is approved.*"


def build(desk: Desk, page: Page) -> None:
    def show(project: str | None, request: gr.Request):
        cut = final_cut_or_none(desk, user_of(request), project)
        files = (cut.video, cut.srt, cut.otio, cut.bible) if cut else (None,) * 4
        buttons = [gr.update(value=f, interactive=f is not None) for f in files]
        return (cut.video if cut else None, cut.state if cut else NOT_CUT, *buttons)

    @shown
    def refresh(project: str | None, request: gr.Request):
        """The film and its downloads (exports the story bible afresh)."""
        cut = final_cut(desk, user_of(request), project)
        return cut.video, cut.downloads

    @shown
    def again(project: str | None, request: gr.Request) -> str:
        return recut(desk, user_of(request), project)

    with gr.Tab("Final cut", id="cut", elem_id="tab-cut"):
        state = gr.Markdown(NOT_CUT, elem_id="cut-state")
        film = gr.Video(label="The film", elem_id="final-film", interactive=False)
        # Download buttons, not a file list: a read-only list still lets a person remove files from it.
        with gr.Row():
            buttons = [gr.DownloadButton(label, value=None, interactive=False, size="sm", elem_id=f"download-{kind}")
                       for kind, label in DOWNLOADS]
        downloads = gr.File(file_count="multiple", interactive=False, visible=False)  # the /final_cut API's answer
        with gr.Row():
            recut_btn = gr.Button("Re-cut", size="sm", elem_id="recut")
            refresh_btn = gr.Button("Refresh", size="sm")

    page.board.change(show, [page.picker], [film, state, *buttons], api_visibility="private", show_progress="hidden")
    refresh_btn.click(refresh, [page.picker], [film, downloads], api_name="final_cut")
    recut_btn.click(again, [page.picker], [page.notice], api_visibility="private")
