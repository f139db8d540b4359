"""``python -m memory.migrations revision "message"``: autogenerate a revision against an empty database at head."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from memory.migrations import config, upgrade
from memory.store import make_engine

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "revision":
        sys.exit('usage: python -m memory.migrations revision "message"')
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
        upgrade(engine)
        command.revision(config(engine), message=sys.argv[2], autogenerate=True)
