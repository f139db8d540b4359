"""Revision 0006: every existing take becomes a draft; the usage ledger sums per user, month and tier; API keys
are found by their public id."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from memory import migrations
from memory.errors import InvalidValue
from memory.store import Store, make_engine


def test_takes_before_0006_are_drafts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrations.upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner, created_at,"
                          " updated_at, beats, extra) VALUES ('p', 'P', '', '', 30, '', 'new', NULL, '2026-01-01', '2026-01-01', '[]', '{}')"))
        conn.execute(text("INSERT INTO scene (project_id, key, position, heading, location, summary, screenplay, notes, extra, cast,"
                          " dialogue) VALUES ('p', 's1', 0, '', '', '', '', '{}', '{}', '[]', '[]')"))
        conn.execute(text("INSERT INTO shot (project_id, scene_id, key, position, size, duration_s, characters, camera, crosses_axis,"
                          " wardrobe, dialogue, description, notes, extra, status) VALUES ('p', 1, 's1-01', 0, 'MS', 3, '[]', '{}', 0,"
                          " '{}', '[]', '', '{}', '{}', 'planned')"))
        conn.execute(text("INSERT INTO take (project_id, shot_id, number, request_hash, path, seed, backend, model, parameters,"
                          " timings, frame_count, status, created_at) VALUES ('p', 1, 1, 'h', 'a.mp4', 1, 'animatic', 'm', '{}', '{}',"
                          " 10, 'done', '2026-01-01')"))
    engine.dispose()
    store = Store(url)
    assert migrations.current(store.engine) == migrations.head()
    assert [t.tier for t in store.takes("p")] == ["draft"]
    assert store.add_take("p", "s1-01", request_hash="f", tier="final").tier == "final"
    with pytest.raises(InvalidValue, match="tier 'gold' is not one of: draft, final"):
        store.add_take("p", "s1-01", request_hash="g", tier="gold")


def test_the_ledger_sums_per_user_month_and_tier(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "d.db")
    store.add_usage("ana", "2026-12", "final", 5.0)
    store.add_usage("ana", "2026-12", "final", 2.5)
    store.add_usage("ana", "2026-11", "final", 100.0)
    store.add_usage("ana", "2026-12", "draft", 9.0)
    store.add_usage("ben", "2026-12", "final", 1.0)
    assert store.usage("ana", "2026-12") == {("ana", "final"): 7.5, ("ana", "draft"): 9.0}
    assert store.usage(None, "2026-12")[("ben", "final")] == 1.0
    with pytest.raises(InvalidValue, match="month"):
        store.add_usage("ana", "12/2026", "final", 1.0)
    with pytest.raises(InvalidValue, match="tier"):
        store.add_usage("ana", "2026-12", "premium", 1.0)


def test_api_keys_are_found_by_their_public_id(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "d.db")
    store.add_api_key("ana", "abc123", "$argon2id$…")
    assert store.api_key("abc123").user == "ana"  # type: ignore[union-attr]
    assert store.api_key("nope") is None
    assert [k.key_id for k in store.api_keys("ana")] == ["abc123"]
