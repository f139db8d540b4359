"""The story memory's one API: ``Store``. It is the only code that opens a database session.

The store is split by job, one module each:

- ``engine``: engines and SQLite's settings for several processes on one file (WAL, busy timeout,
  ``BEGIN IMMEDIATE`` for writes);
- ``base``: one transaction per call, typed errors, row lookups by key;
- ``fields``: checking written fields through partial-update models generated from the tables;
- typed row APIs per aggregate: ``projects``; ``places`` (characters and locations); ``plan`` (scenes
  and shots); ``takes`` (takes, reviews, decisions); ``chat`` (messages and story facts); ``ledger`` (the
  usage ledger and API keys);
- ``bulk`` and ``bulk_rows``: whole projects in one transaction (``dump_project``, ``load_project``,
  ``apply_plan``) through Core statements.

``Store`` puts the row APIs together; ``from memory.store import Store, slugify, check_key, sqlite_url``
is the import every caller uses.
"""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from memory.store.bulk import BulkStore
from memory.store.chat import ChatStore
from memory.store.engine import make_engine, sqlite_url
from memory.store.keys import check_key, slugify
from memory.store.ledger import LedgerStore
from memory.store.places import PlaceStore
from memory.store.plan import PlanStore
from memory.store.projects import ProjectStore
from memory.store.takes import TakeStore


class Store(ProjectStore, PlaceStore, PlanStore, TakeStore, ChatStore, BulkStore, LedgerStore):
    """Story memory over one database. Create with a SQLAlchemy URL; the schema is upgraded on open."""


__all__ = ["OperationalError", "Store", "check_key", "make_engine", "slugify", "sqlite_url"]
