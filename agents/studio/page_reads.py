"""Reads for the studio's pages as ``Studio`` methods: read models only, so the pages render what these
return and never open memory themselves (``ui`` imports nothing but ``agents``' public surface)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from agents.production.board import Board, ProjectView, StoryboardPage, board, storyboard_page, take_of_shot
from agents.production.film_files import FilmFiles, film_files
from agents.settings import Settings
from memory import exchange
from memory.errors import InvalidValue, NotFound, StoryMemoryError
from memory.store import Store

if TYPE_CHECKING:
    from agents.desk import Estimate
    from agents.grammar.findings import Finding
    from memory.shotlist import ShotList


class PageReads:
    """Mixed into ``Studio``; uses its store and settings."""

    store: Store
    settings: Settings

    def projects(self, owner: str | None) -> list[ProjectView]:
        """The projects of ``owner`` (None = local projects), newest first."""
        return [ProjectView.of(row) for row in self.store.projects(owner=owner)]

    def project_for(self, project: str, owner: str | None) -> ProjectView | None:
        """The project if ``owner`` owns it; None when it does not exist *or* belongs to someone else, so a
        caller answers both the same way and ids cannot be probed."""
        try:
            row = self.store.project(str(project))
        except NotFound:
            return None
        return ProjectView.of(row) if row.owner == owner else None

    def board(self, project: str) -> Board:
        """Script, shot list, takes with their newest reviews, bible: one bulk read (``agents.production.board``)."""
        return board(self.store, project)

    def storyboard(self, project: str, *, offset: int = 0, limit: int = 24) -> StoryboardPage:
        """One page of the storyboard's cards, in film order (``agents.production.board.storyboard_page``)."""
        return storyboard_page(self.store, project, offset=offset, limit=limit)

    def findings(self, project: str) -> list[Finding]:
        """The grammar's findings on the shot list as it is in memory (none before there is a plan)."""
        from agents.grammar.rules import check
        from memory.shotlist_io import export_shotlist

        if not self.store.shots(project):
            return []
        try:
            return check(export_shotlist(self.store, project))
        except StoryMemoryError:
            return []

    def take_of_shot(self, project: str, shot: str, take_id: int) -> bool:
        """Whether take ``take_id`` is a take of ``shot`` (the rule the shot gate applies to a revert)."""
        try:
            return take_of_shot(self.store, project, shot, take_id) is not None
        except NotFound:
            return False

    def film_files(self, project: str, *, fresh: bool = True) -> FilmFiles | None:
        """The cut film and its downloads (None until the film is cut); see ``agents.production.film_files``."""
        return film_files(self.store, self.settings, project, fresh=fresh)

    def shot_list(self, project: str) -> ShotList:
        """The project's plan as a shot-list document (what ``dailies check`` and the grammar read)."""
        from memory.shotlist_io import export_shotlist

        return export_shotlist(self.store, project)

    def export(self, project: str, kind: Literal["bible", "shots"], path: Path, *, force: bool = False) -> Path:
        """Write the project's story bible or shot-list file to ``path``; returns the written path."""
        self.store.project(project)
        writer = exchange.export_bible_file if kind == "bible" else exchange.export_shots_file
        return writer(self.store, project, path, force=force)

    def estimate(self, project: str, *, backend: str | None = None, gpus: int = 1) -> Estimate:
        """What shooting the plan will cost (the producer's desk, ``agents.desk.estimate``); ``NotFound`` for an
        unknown project, ``EstimateUnavailable`` when the backend cannot be estimated."""
        from agents.desk import estimate_for

        self.store.project(project)
        return estimate_for(self.store, self.settings, project, backend=backend, gpus=gpus)

    def check_runtime(self, runtime_s: float) -> float:
        """A film's target running time, refused outside 5 s … ``settings.max_runtime_s`` (one cap for every door)."""
        if not 5 <= float(runtime_s) <= self.settings.max_runtime_s:
            raise InvalidValue(f"target_runtime_s: the running time is between 5 and {self.settings.max_runtime_s:g} seconds, not {float(runtime_s):g}")
        return float(runtime_s)
