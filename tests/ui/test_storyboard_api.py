"""The storyboard pages (issue 15): ``GET /api/v1/projects/{id}/storyboard?offset=&limit=`` walks a ten-minute
film's 150 cards a page at a time, in film order, each page read with the same few queries however long the film."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient
from studio_doubles import small_settings

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.llm.scripted import ScriptedLLM
from agents.production.board import storyboard_page
from agents.studio import Studio
from generator.animatic.backend import AnimaticBackend
from memory.store import Store
from ui.api import api_alone


def planned(studio: Studio, runtime_s: float, owner: str) -> str:
    """A project planned from the roles' example answers (no graph, no renders)."""
    project = studio.new("A keeper and her son in a storm", runtime_s=runtime_s, owner=owner).id
    deps = Deps(store=studio.store, llm=None, settings=studio.settings)
    for name in ("writer", "screenwriter", "director", "cinematographer"):
        r = role(name)()
        r.apply(deps, project, r.example())
    return project


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    s = Studio(settings=small_settings(tmp_path), llm=ScriptedLLM({}), generator=AnimaticBackend())
    yield s
    s.close()


def test_the_storyboard_pages_through_a_ten_minute_film_in_order(studio: Studio) -> None:
    project = planned(studio, 600, "ana")
    shots = [s.key for s in studio.store.shots(project)]
    assert len(shots) >= 100
    done = studio.store.add_take(project, shots[30], request_hash="a" * 64, path="t.mp4", backend="animatic")
    studio.store.add_review(done.id or 0, reviewer="critic", verdict="pass")
    studio.store.add_take(
        project, shots[30], request_hash="b" * 64, path="t2.mp4", backend="animatic", status="failed"
    )
    key = studio.create_api_key("ana")
    with TestClient(api_alone(studio)) as http:
        http.headers["Authorization"] = f"Bearer {key}"
        cards, offset, pages = [], 0, 0
        while offset is not None:
            page = http.get(
                f"/api/v1/projects/{project}/storyboard", params={"offset": offset, "limit": 24}
            ).json()
            assert page["total"] == len(shots) and len(page["cards"]) <= 24
            cards += page["cards"]
            offset, pages = page["next_offset"], pages + 1
        assert [c["shot"] for c in cards] == shots and pages == -(-len(shots) // 24)
        card = cards[30]
        assert card["takes"] == 2 and card["state"] == "shot"
        assert card["take"] == {
            "id": done.id,
            "number": done.number,
            "status": "done",
            "tier": "draft",
            "verdict": "pass",
        }
        assert cards[0]["take"] is None and cards[0]["state"] == "planned"
        past = http.get(f"/api/v1/projects/{project}/storyboard", params={"offset": 10_000}).json()
        assert past["cards"] == [] and past["next_offset"] is None
        assert http.get(f"/api/v1/projects/{project}/storyboard", params={"limit": 0}).status_code == 422
        assert http.get(f"/api/v1/projects/{project}/storyboard", params={"limit": 101}).status_code == 422
        http.headers["Authorization"] = f"Bearer {studio.create_api_key('ben')}"
        assert http.get(f"/api/v1/projects/{project}/storyboard").status_code == 404  # not ben's


def statements(store: Store, read: object) -> list[str]:
    """The SQL statements ``read()`` runs on the store's engine (its read-only engine is an option view of the
    same engine, so one listener sees both)."""
    seen: list[str] = []

    def count(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        seen.append(sql)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        read()  # type: ignore[operator]
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return seen


def test_a_page_costs_the_same_queries_in_a_long_film_as_in_a_short_one(studio: Studio) -> None:
    short, long = planned(studio, 30, "ana"), planned(studio, 600, "ana")
    for project in (short, long):
        for shot in studio.store.shots(project)[:12]:
            take = studio.store.add_take(
                project, shot.key, request_hash="c" * 64, path="t.mp4", backend="animatic"
            )
            studio.store.add_review(take.id or 0, reviewer="critic", verdict="pass")
    store = studio.store
    few = statements(store, lambda: storyboard_page(store, short, offset=0, limit=12))
    many = statements(store, lambda: storyboard_page(store, long, offset=0, limit=12))
    assert len(few) == len(many) <= 6  # begin, project, count, the page's shots, their takes, their reviews
    assert any("LIMIT" in sql.upper() for sql in many)  # the shots are read a page at a time, not all of them
    with pytest.raises(ValueError, match="limit"):
        storyboard_page(store, long, limit=0)
