"""Where the production graph keeps its checkpoints: a SQLite file of its own, or PostgreSQL.

Why a separate file: LangGraph's ``SqliteSaver`` is a single writer on its connection; keeping it apart
from the story memory means the two never contend for one lock. Resumes of one project are serialised
by ``agents.production.locks`` so two processes never write the same thread at once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite import SqliteSaver

from agents.errors import AgentError


def open_checkpointer(url: str) -> BaseCheckpointSaver:
    # Checkpoint deserialisation only of plain msgpack types (CVE-2025-64439, CVE-2026-27794).
    os.environ.setdefault("LANGGRAPH_STRICT_MSGPACK", "true")
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        saver = SqliteSaver(conn)
        saver.setup()
        return saver
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
            from psycopg import Connection
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise AgentError("PostgreSQL checkpoints need `pip install langgraph-checkpoint-postgres psycopg[binary]`") from exc
        pg = Connection.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True, row_factory=dict_row)
        postgres = PostgresSaver(pg)
        postgres.setup()
        return postgres
    raise AgentError(f"checkpoint URL {url!r} is neither sqlite:/// nor postgresql://")
