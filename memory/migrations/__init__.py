"""Schema migrations (Alembic), run by the store on open.

Why on open: a user who upgrades Dailies keeps their database; the store brings it to the current
schema before anything reads it. Revisions live in ``versions/``; make a new one after changing
``memory/models.py`` with ``python -m memory.migrations revision "what changed"`` (autogenerate).
Concurrent openers are safe: SQLite serialises the DDL and Alembic's version table makes a second
upgrade a no-op.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from memory.errors import SchemaError, storage_problem

HERE = Path(__file__).parent
#: Tables the migrations make that no model describes: the FTS5 index of story facts (revision 0007) and
#: the shadow tables SQLite keeps for it. Autogenerate and the schema comparison leave them alone.
UNMODELLED_TABLES = "story_fact_fts"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: every name but the tables in ``UNMODELLED_TABLES``."""
    return not (type_ == "table" and (name or "").startswith(UNMODELLED_TABLES))


def config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    url = engine.url.render_as_string(hide_password=False) if engine else "sqlite://"
    # The option goes through configparser interpolation: a '%' (URL-encoded password, options) must be doubled.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head() -> str:
    head_rev = ScriptDirectory.from_config(config()).get_current_head()
    assert head_rev is not None
    return head_rev


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest schema)."""
    try:
        if revision == "head" and current(engine) == head():
            return
        command.upgrade(config(engine), revision)
    except OperationalError as exc:
        where = f"at {engine.url.render_as_string(hide_password=True)}"
        problem = storage_problem(str(exc.orig), where)
        raise SchemaError(f"cannot upgrade the database: {problem}" if problem else f"cannot upgrade the database {where}: {exc.orig}") from exc
