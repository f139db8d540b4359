"""One page of a project's storyboard — a run of shots in film order, with their scenes, takes and reviews.

Why not ``Store.dump_project``: a ten-minute film has 150 shots and several takes each, and the storyboard
shows a screenful at a time. This read touches the page's rows only (the page's shots, their scenes,
their takes and those takes' reviews; four queries and a count), whatever the film's length, and hands
them back as ``ProjectRows`` — the bundle the whole-project read returns — so the board's read model
(``agents.production.board.board_of``) builds the same views from either.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from memory.errors import NotFound
from memory.models import Project, Review, Scene, Shot, Take
from memory.project_rows import ProjectRows, ReviewRow, TakeRow
from memory.store import Store

#: The most shots one page may hold.
MAX_PAGE = 200


def board_page(store: Store, project_id: str, *, offset: int, limit: int) -> tuple[int, ProjectRows]:
    """(shots in the film, the rows of shots ``offset`` … ``offset + limit - 1`` in film order).

    Raises ``NotFound`` for a missing project and ``ValueError`` for a negative offset or a limit outside
    1…``MAX_PAGE``. An offset past the end is an empty page, not an error (the film may have shrunk).
    """
    if offset < 0:
        raise ValueError(f"offset: 0 or more, got {offset}")
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit: 1 to {MAX_PAGE}, got {limit}")
    with store.session(write=False) as s:
        project = s.get(Project, project_id)
        if project is None:
            raise NotFound(f"no project {project_id!r}")
        total = int(s.exec(select(func.count()).select_from(Shot).where(Shot.project_id == project_id)).one())
        found = s.exec(
            select(Shot, Scene)
            .join(Scene, col(Shot.scene_id) == col(Scene.id))
            .where(Shot.project_id == project_id)
            .order_by(col(Scene.position), col(Shot.position), col(Shot.id))
            .offset(offset)
            .limit(limit)
        ).all()
        scenes = list({scene.id: scene for _, scene in found}.values())
        key_of = {shot.id: shot.key for shot, _ in found}
        takes = (
            list(s.exec(select(Take).where(col(Take.shot_id).in_(list(key_of))).order_by(col(Take.id))).all())
            if key_of
            else []
        )
        index = {take.id: i for i, take in enumerate(takes)}
        reviews = (
            list(
                s.exec(
                    select(Review).where(col(Review.take_id).in_(list(index))).order_by(col(Review.id))
                ).all()
            )
            if index
            else []
        )
    rows = ProjectRows(
        project=project,
        scenes=scenes,
        shots=[(scene.key, shot) for shot, scene in found],
        takes=[TakeRow(key_of[take.shot_id], take) for take in takes],
        reviews=[ReviewRow(index[review.take_id], review) for review in reviews],
    )
    return total, rows
