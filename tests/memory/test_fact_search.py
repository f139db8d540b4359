"""Full-text search over story facts: SQLite FTS5 (revision 0007), PostgreSQL's full-text search, LIKE elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from memory import migrations
from memory.fact_search import _like_ids, search_facts, search_words
from memory.store import Store, make_engine


def fill(store: Store) -> tuple[str, str]:
    """Two projects; the first has a ledger of 60 facts about other things around the three that matter."""
    pid = store.create_project("A keeper and her son in a storm").id
    other = store.create_project("Another film").id
    store.add_fact(pid, "ledger:tom", "scar across the left cheek", since_scene="s2")
    for n in range(30):
        store.add_fact(pid, f"ledger:crate{n}", f"stencilled number {n}")
    store.add_fact(pid, "ledger:lamp", "cracked glass, soot on the brass")
    for n in range(30):
        store.add_fact(pid, f"ledger:gull{n}", f"circles the rocks, flock {n}")
    store.add_fact(pid, "mara", "the keeper's daughter")  # a writer's fact, not the ledger's
    store.add_fact(other, "ledger:tom", "wears a crown")
    return pid, other


def test_words_are_found_by_subject_and_text_stemmed_within_the_project(store: Store) -> None:
    pid, _ = fill(store)
    found = search_facts(store, pid, ["Tom lights the lamps"], subject_prefix="ledger:")
    assert [f.fact for f in found] == ["scar across the left cheek", "cracked glass, soot on the brass"]
    assert [f.subject for f in search_facts(store, pid, ["keeper"])] == ["mara"]  # by the fact's text
    assert search_facts(store, pid, ["keeper"], subject_prefix="ledger:") == []
    assert search_facts(store, pid, ["the and with"]) == []  # only function words: nothing to search


def test_the_limit_keeps_the_best_matches(store: Store) -> None:
    pid, _ = fill(store)
    found = search_facts(store, pid, ["crate7", "stencilled", "number"], limit=3)
    assert len(found) == 3 and "stencilled number 7" in [f.fact for f in found]


def test_the_index_follows_updates_and_deletes(store: Store) -> None:
    pid, _ = fill(store)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE storyfact SET fact = 'healed, a thin white line' WHERE fact = 'scar across the left cheek'"
            )
        )
        conn.execute(text("DELETE FROM storyfact WHERE subject = 'ledger:lamp'"))
    assert [f.fact for f in search_facts(store, pid, ["tom"])] == ["healed, a thin white line"]
    assert search_facts(store, pid, ["scar"]) == []
    assert search_facts(store, pid, ["lamp", "glass"]) == []


def test_facts_written_before_the_index_are_indexed_by_the_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrations.upgrade(engine, "0006")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO project (id, title, premise, logline, target_runtime_s, style_notes, status, owner, created_at,"
                " updated_at, beats, extra) VALUES ('p', 'P', '', '', 30, '', 'new', NULL, '2026-01-01', '2026-01-01', '[]', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO storyfact (project_id, subject, fact, created_at)"
                " VALUES ('p', 'ledger:tom', 'scar across the left cheek', '2026-01-01')"
            )
        )
    engine.dispose()
    store = Store(url)  # upgraded on open
    assert migrations.current(store.engine) == migrations.head()
    assert [f.fact for f in search_facts(store, "p", ["scars"])] == ["scar across the left cheek"]
    store.close()


def test_the_like_fallback_matches_words_without_stemming(store: Store) -> None:
    pid, _ = fill(store)
    with store.session(write=False) as session:
        ids = _like_ids(session, pid, ["lamp", "tom"], "ledger:", 10)
        assert len(ids) == 2
        assert _like_ids(session, pid, ["lamps"], "ledger:", 10) == []  # plain LIKE: no stemming


def test_search_words() -> None:
    assert search_words(["The lamp's glass, the LAMP!", "a to of it"]) == ["lamp", "glass"]
    many = [f"word{n}" for n in range(100)]
    assert len(search_words(many)) == 64 and search_words(many, None) == many  # a bounded caller sends all


def test_subject_only_matches_subjects_and_not_the_prefix_word(store: Store) -> None:
    """The ledger's search: a fact is found by its subject; its text, and the word 'ledger', find nothing."""
    pid, _ = fill(store)
    by_subject = search_facts(
        store, pid, ["Tom by the rocks", "ledger"], subject_prefix="ledger:", subject_only=True
    )
    assert [f.subject for f in by_subject] == ["ledger:tom"]  # 'rocks' is only in the gulls' text
    assert search_facts(store, pid, ["the ledger"], subject_prefix="ledger:", subject_only=True) == []
    with store.session(write=False) as session:
        assert len(_like_ids(session, pid, ["rocks"], "ledger:", 100)) == 30
        assert _like_ids(session, pid, ["rocks"], "ledger:", 100, subject_only=True) == []
        assert len(_like_ids(session, pid, ["tom"], "ledger:", 100, subject_only=True)) == 1


@pytest.mark.requires("postgres")
def test_postgres_full_text_search(pg_url: str) -> None:
    store = Store(pg_url)
    pid, _ = fill(store)
    found = search_facts(store, pid, ["Tom lights the lamps"], subject_prefix="ledger:")
    assert [f.fact for f in found] == ["scar across the left cheek", "cracked glass, soot on the brass"]
    assert len(search_facts(store, pid, ["crate7", "stencilled", "number"], limit=3)) == 3
    by_subject = search_facts(store, pid, ["Tom by the rocks"], subject_prefix="ledger:", subject_only=True)
    assert [f.subject for f in by_subject] == ["ledger:tom"]
    store.close()
