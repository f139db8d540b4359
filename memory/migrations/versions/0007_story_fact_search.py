"""story_fact_fts: full-text search over story facts (SQLite FTS5)

Why: a ten-minute film is planned and compiled one scene at a time, and each scene must find the story
facts that concern its characters, props and places without reading the whole ledger (issue 15;
``memory.fact_search``). On SQLite an FTS5 table indexes ``storyfact.subject`` and ``storyfact.fact``
(external content: the text is stored once, in ``storyfact``; the porter stemmer so "lamps" finds
"lamp"), kept in step by three triggers; existing facts are indexed by a rebuild.

PostgreSQL needs no schema change: ``memory.fact_search`` asks its own full-text search
(``to_tsvector``/``to_tsquery``) over a project's facts, which the ``project_id`` index already narrows
to a few dozen rows.

Caution for later revisions: a batch-mode ALTER of ``storyfact`` (copy and drop) drops these triggers;
such a revision must create them again (``create_index`` below) and rebuild.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:00:00
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLE = "story_fact_fts"


def create_index() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(subject, fact, content='storyfact', content_rowid='id', "
        "tokenize='porter unicode61')"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON storyfact BEGIN "
        f"INSERT INTO {TABLE}(rowid, subject, fact) VALUES (new.id, new.subject, new.fact); END"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON storyfact BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, subject, fact) VALUES ('delete', old.id, old.subject, old.fact); END"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE ON storyfact BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, subject, fact) VALUES ('delete', old.id, old.subject, old.fact); "
        f"INSERT INTO {TABLE}(rowid, subject, fact) VALUES (new.id, new.subject, new.fact); END"
    )
    op.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        create_index()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
