"""The ``dailies`` command line. This file is the registry of command modules: one import line each."""

from __future__ import annotations

from ui.cli import check_commands  # noqa: F401  check
from ui.cli import exchange_commands  # noqa: F401  import, export
from ui.cli import project_commands  # noqa: F401  new, list, show, config
from ui.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
