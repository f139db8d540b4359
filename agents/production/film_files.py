"""Where a cut film and its downloads lie: ``CUTS/NAME/NAME.mp4`` with ``.srt``, ``.otio`` and the bible.

Why here: ``agents.production.cut`` writes the film into ``settings.cuts_dir / film_name(project)``
(``cut_with_settings``) under the stem ``film_name(project)``; the studio's download list and the CLI must
find the same files without recomputing that layout themselves. The story bible next to the film is
exported again when asked (``fresh``) or when it is missing or older than the film, so a page that polls
does not rewrite it every time it draws. The last film stays offered after a change (``FilmFiles.current``
is then False) until a new cut replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agents.production.cut import film_name
from agents.settings import Settings
from memory import exchange
from memory.store import Store


@dataclass(frozen=True)
class FilmFiles:
    """The cut film and the files offered with it (None: that sidecar was not written)."""

    video: Path
    srt: Path | None
    otio: Path | None
    bible: Path
    current: bool = True
    """False when the film is out of date: a shot changed (or was reopened) since it was cut. The last cut
    stays available until a new one replaces it."""

    @property
    def downloads(self) -> list[Path]:
        """MP4, subtitles, OTIO timeline and the story bible, those that exist, in that order."""
        return [p for p in (self.video, self.srt, self.otio, self.bible) if p is not None]


def film_folder(settings: Settings, project: str) -> Path:
    """The folder ``cut_with_settings`` writes the project's film into."""
    return settings.cuts_dir / film_name(project)


def preview_folder(settings: Settings, project: str) -> Path:
    """Where *Play all* cuts the current takes (approved or not) into a preview, beside the film (so the
    studio's file guard finds it among the project's files)."""
    return film_folder(settings, project) / "preview"


def project_folders(settings: Settings, project: str) -> tuple[Path, ...]:
    """Every folder that holds ``project``'s files: its takes, its cut (with the sidecars and the bible) and its
    reference images. The studio's file guard serves a cached copy only when its original lies in one of the
    user's own projects' folders."""
    return (settings.takes_dir / project, film_folder(settings, project), settings.home / "references" / project)


def film_video(settings: Settings, project: str) -> Path:
    """The film's MP4 (it may not exist yet)."""
    return film_folder(settings, project) / f"{film_name(project)}.mp4"


def film_files(store: Store, settings: Settings, project: str, *, fresh: bool = True) -> FilmFiles | None:
    """The last cut film and its downloads (``current``: the project is still cut as they show it), or None
    while no film was ever cut (or it is missing)."""
    video = film_video(settings, project)
    if not video.is_file():
        return None
    bible = video.with_name(f"{film_name(project)}.bible.json")
    if fresh or not bible.is_file() or bible.stat().st_mtime < video.stat().st_mtime:
        bible = exchange.export_bible_file(store, project, bible, force=True)
    srt, otio = video.with_suffix(".srt"), video.with_suffix(".otio")
    current = store.project(project).status == "cut"
    return FilmFiles(video, srt if srt.is_file() else None, otio if otio.is_file() else None, bible, current)
