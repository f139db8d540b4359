"""Full-text search over a project's story facts: the facts that concern a few words, best first.

Why: a ten-minute film is planned and compiled one scene at a time. Each scene needs the facts about its
characters, props and places — a fact set in act one must still reach a shot of act three — but reading
the whole ledger into every scene's work makes that work grow with the film. A search by the scene's own
words returns at most ``limit`` facts, whatever the ledger's size.

How, by database:

- **SQLite** (the default): the FTS5 table ``story_fact_fts`` (revision 0007: external content over
  ``storyfact``, porter stemmer, kept in step by triggers), ranked by ``bm25``.
- **PostgreSQL**: its own full-text search, ``to_tsvector('english', subject || ' ' || fact) @@
  to_tsquery('english', 'a | b')`` ranked by ``ts_rank`` (no index: ``project_id`` narrows the rows first).
- **Any other database**: a plain ``LIKE '%word%'`` on each word (case-folded), ranked by how many words
  match. No stemming: "lamps" does not find "lamp" there. Said here because it is weaker, not hidden.

Words are what ``search_words`` keeps of free text: letters and digits, three or more characters, common
English function words dropped. Facts come back in the order they were written (ranking only chooses which).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from sqlalchemy import text
from sqlmodel import Session, col, select

from memory.models import StoryFact
from memory.store import Store

#: The FTS5 table (and the prefix of its shadow tables) that revision 0007 creates on SQLite.
SEARCH_TABLE: Final = "story_fact_fts"
#: Most words one search sends (a scene's words, deduplicated, first ones first).
MAX_WORDS: Final = 64
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
_STOP: Final = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "all",
        "any",
        "can",
        "had",
        "her",
        "was",
        "one",
        "our",
        "out",
        "has",
        "him",
        "his",
        "how",
        "its",
        "may",
        "new",
        "now",
        "old",
        "see",
        "two",
        "who",
        "did",
        "get",
        "let",
        "put",
        "say",
        "she",
        "too",
        "use",
        "with",
        "from",
        "that",
        "this",
        "they",
        "them",
        "then",
        "than",
        "what",
        "when",
        "where",
        "which",
        "while",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "again",
        "also",
        "back",
        "been",
        "before",
        "being",
        "both",
        "each",
        "even",
        "just",
        "more",
        "most",
        "only",
        "other",
        "some",
        "such",
        "very",
        "will",
        "would",
        "could",
        "should",
        "there",
        "their",
        "these",
        "those",
        "here",
        "your",
        "says",
        "said",
    ]
)


def search_words(texts: Iterable[str], max_words: int | None = MAX_WORDS) -> list[str]:
    """The distinct search words of ``texts``, case-folded, in order of first appearance (at most ``max_words``;
    ``None``: all of them)."""
    seen: dict[str, None] = {}
    for chunk in texts:
        for word in _WORD.findall(chunk or ""):
            folded = word.casefold()
            if folded not in _STOP:
                seen.setdefault(folded, None)
                if max_words is not None and len(seen) >= max_words:
                    return list(seen)
    return list(seen)


def search_facts(
    store: Store,
    project_id: str,
    words: Sequence[str],
    *,
    subject_prefix: str = "",
    limit: int = 40,
    subject_only: bool = False,
    max_words: int | None = MAX_WORDS,
) -> list[StoryFact]:
    """Facts of ``project_id`` whose subject or text holds any of ``words`` (see ``search_words``), at most
    ``limit`` of the best matches, in the order they were written. ``subject_prefix``: only subjects that
    start with it (e.g. the ledger's ``"ledger:"``).

    ``subject_only``: match the subject alone (the prefix's own words left out of the search), for callers
    that keep a fact only when its subject is in their text (the continuity ledger): a fact whose text merely
    shares a common word ("harbour", "night") then takes no place in ``limit``. ``max_words``: how many of the
    words are sent (``None``: all; a caller whose text is bounded by its own size, a scene, may send all).
    """
    clean = search_words(words, max_words)
    if subject_only:
        prefix_words = set(search_words([subject_prefix], None))  # "ledger" would match every ledger subject
        clean = [w for w in clean if w not in prefix_words]
    if not clean or limit <= 0:
        return []
    with store.session(write=False) as session:
        dialect = session.connection().dialect.name
        if dialect == "sqlite":
            ids = _sqlite_ids(session, project_id, clean, subject_prefix, limit, subject_only)
        elif dialect == "postgresql":
            ids = _postgres_ids(session, project_id, clean, subject_prefix, limit, subject_only)
        else:
            ids = _like_ids(session, project_id, clean, subject_prefix, limit, subject_only)
        if not ids:
            return []
        return list(
            session.exec(
                select(StoryFact).where(col(StoryFact.id).in_(ids)).order_by(col(StoryFact.id))
            ).all()
        )


def _prefix_clause(subject_prefix: str) -> str:
    return " AND f.subject LIKE :prefix ESCAPE '\\'" if subject_prefix else ""


def _prefix_param(subject_prefix: str) -> dict[str, str]:
    escaped = subject_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"prefix": escaped + "%"} if subject_prefix else {}


def _sqlite_ids(
    session: Session, project_id: str, words: list[str], subject_prefix: str, limit: int, subject_only: bool = False
) -> list[int]:
    query = " OR ".join(f'"{w}"' for w in words)  # each word quoted: FTS5 syntax in the text stays text
    if subject_only:
        query = f"subject : ({query})"  # an FTS5 column filter
    sql = (
        f"SELECT f.id FROM {SEARCH_TABLE} JOIN storyfact AS f ON f.id = {SEARCH_TABLE}.rowid "
        f"WHERE {SEARCH_TABLE} MATCH :query AND f.project_id = :project{_prefix_clause(subject_prefix)} "
        f"ORDER BY bm25({SEARCH_TABLE}), f.id LIMIT :limit"
    )
    params = {"query": query, "project": project_id, "limit": limit, **_prefix_param(subject_prefix)}
    return [int(row[0]) for row in session.connection().execute(text(sql), params)]


def _postgres_ids(
    session: Session, project_id: str, words: list[str], subject_prefix: str, limit: int, subject_only: bool = False
) -> list[int]:
    document = "to_tsvector('english', f.subject)" if subject_only else "to_tsvector('english', f.subject || ' ' || f.fact)"
    sql = (
        f"SELECT f.id FROM storyfact AS f, to_tsquery('english', :query) AS q "
        f"WHERE f.project_id = :project AND {document} @@ q{_prefix_clause(subject_prefix)} "
        f"ORDER BY ts_rank({document}, q) DESC, f.id LIMIT :limit"
    )
    query = " | ".join(words)  # words are letters and digits only (search_words): nothing to escape
    params = {"query": query, "project": project_id, "limit": limit, **_prefix_param(subject_prefix)}
    return [int(row[0]) for row in session.connection().execute(text(sql), params)]


def _like_ids(
    session: Session, project_id: str, words: list[str], subject_prefix: str, limit: int, subject_only: bool = False
) -> list[int]:
    searched = "lower(f.subject)" if subject_only else "lower(f.subject || ' ' || f.fact)"
    hits = " + ".join(
        f"(CASE WHEN {searched} LIKE :w{i} THEN 1 ELSE 0 END)"
        for i in range(len(words))
    )
    sql = (
        f"SELECT f.id, {hits} AS hits FROM storyfact AS f WHERE f.project_id = :project{_prefix_clause(subject_prefix)} "
        f"ORDER BY hits DESC, f.id"
    )
    params: dict[str, object] = {"project": project_id, **_prefix_param(subject_prefix)}
    params.update({f"w{i}": f"%{w}%" for i, w in enumerate(words)})
    rows = session.connection().execute(text(sql), params)
    return [int(row[0]) for row in rows if row[1] > 0][:limit]
