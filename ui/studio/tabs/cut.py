"""The final-cut tab: the film and its downloads (MP4, subtitles, OTIO timeline, the story bible).

Where the files lie is ``agents``' knowledge (``Studio.film_files``); this tab only shows them."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from agents import ProjectView
from ui.studio.desk import Desk, owned, shown, user_of
from ui.studio.errors import NoSuchProject, NotReady
from ui.studio.page import Page


@dataclass(frozen=True)
class FinalCut:
    video: str
    srt: str | None
    otio: str | None
    bible: str

    @property
    def downloads(self) -> list[str]:
        return [p for p in (self.video, self.srt, self.otio, self.bible) if p]


@owned
def final_cut(desk: Desk, user: str | None, project: ProjectView, *, fresh: bool = True) -> FinalCut:
    """The cut film and its downloads. The bible is exported again when ``fresh`` (the Refresh button),
    else only when it is missing or older than the film (polling must not rewrite it every time it draws)."""
    files = desk.studio.film_files(project.id, fresh=fresh)
    if files is None:
        raise NotReady("the film is not cut yet: approve every shot")
    return FinalCut(str(files.video), str(files.srt) if files.srt else None, str(files.otio) if files.otio else None, str(files.bible))


def final_cut_or_none(desk: Desk, user: str | None, project_id: str | None) -> FinalCut | None:
    try:
        return final_cut(desk, user, project_id, fresh=False)
    except (NotReady, NoSuchProject):
        return None


def build(desk: Desk, page: Page) -> None:
    def show(project: str | None, request: gr.Request):
        cut = final_cut_or_none(desk, user_of(request), project)
        return (cut.video, cut.downloads) if cut else (None, None)

    @shown
    def refresh(project: str | None, request: gr.Request):
        """The film and its downloads (exports the story bible afresh)."""
        cut = final_cut(desk, user_of(request), project)
        return cut.video, cut.downloads

    with gr.Tab("Final cut", elem_id="tab-cut"):
        film = gr.Video(label="The film", elem_id="final-film", interactive=False)
        downloads = gr.File(label="Downloads: MP4, subtitles, OTIO timeline, story bible", file_count="multiple", interactive=False)
        refresh_btn = gr.Button("Refresh", size="sm")

    page.board.change(show, [page.picker], [film, downloads], api_visibility="private", show_progress="hidden")
    refresh_btn.click(refresh, [page.picker], [film, downloads], api_name="final_cut")
