"""Alembic environment: runs migrations on the store's own engine (SQLite in batch mode).

SQLite and foreign keys: batch mode alters a table by copying it and dropping the old one, and with
``foreign_keys=ON`` that ``DROP TABLE`` cascades — it would silently delete every child row (all scenes
of all projects when ``project`` is altered). So on SQLite the migration runs with foreign keys off
(a PRAGMA that only works outside a transaction), checks every reference with
``PRAGMA foreign_key_check`` before committing, and turns them back on.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import memory.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from memory.errors import SchemaError
from memory.migrations import include_name

target_metadata = SQLModel.metadata
cfg = context.config
engine = cfg.attributes.get("engine") or create_engine(cfg.get_main_option("sqlalchemy.url") or "sqlite://")

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
                include_name=include_name,
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise SchemaError(f"migration left {len(broken)} broken reference(s), first: {tuple(broken[0])}; nothing was changed")
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
