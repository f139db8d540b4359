"""Engines with the project's connection settings, and SQLite's rules for several processes on one file.

Any SQLAlchemy URL works (``sqlite:///path.db`` by default, ``postgresql+psycopg://…`` when set).

SQLite and several processes: pysqlite's own transaction handling is switched off and every write
transaction starts with ``BEGIN IMMEDIATE``. A deferred transaction that reads and then writes fails at
once with "database is locked" when another process committed in between (the busy timeout does not
apply to that case); taking the write lock up front makes the second writer wait instead. Read-only
calls use a plain ``BEGIN`` and never wait for writers (WAL). It also makes DDL transactional, which is
what lets several processes run the migrations on open at the same time.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import create_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Execution option that marks a read-only transaction (plain ``BEGIN`` on SQLite instead of ``BEGIN IMMEDIATE``).
READ_ONLY = "dailies_read_only"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine with the project's connection settings (SQLite: WAL, foreign keys, busy timeout, write lock up front)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            json_serializer=_json_dumps, json_deserializer=_json_loads,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_dumps, json_deserializer=_json_loads)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # We emit BEGIN ourselves (see _sqlite_begin): pysqlite's implicit transactions would defer the lock.
    dbapi_connection.isolation_level = None


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL (it stays so); wait while another process holds the lock.

    Changing the journal mode needs the database to itself, and SQLite answers "database is locked" at
    once, without its busy handler, when another connection is in a transaction — as when several
    processes open a fresh file together and one of them is migrating it. A file already in WAL needs no
    change, so only the very first openers ever wait here.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def _json_dumps(value: Any) -> str:
    """JSON columns refuse NaN and infinities (meaningless in a plan; other readers reject them)."""
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


#: 19 digits in a row: possibly an integer beyond 64 bits, which orjson silently turns into a float.
_LONG_NUMBER = re.compile(r"\d{19}")


def _json_loads(text: str | bytes) -> Any:
    """orjson is several times faster; the standard module reads what orjson would read wrongly (huge integers).

    psycopg hands JSON columns over as bytes, pysqlite as text: both are read.
    """
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    if _LONG_NUMBER.search(text):
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
