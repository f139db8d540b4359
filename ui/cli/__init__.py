"""The ``dailies`` command line. This file is the registry of command modules: one import line each."""

from __future__ import annotations

from ui.cli import (
    check_commands,  # noqa: F401  check
    cut_commands,  # noqa: F401  cut
    exchange_commands,  # noqa: F401  import, export
    llm_commands,  # noqa: F401  serve-llm, llm-check
    make_commands,  # noqa: F401  make, resume, pending, decide, chat
    project_commands,  # noqa: F401  new, list, show, config
    qc_commands,  # noqa: F401  qc
    render_commands,  # noqa: F401  render
    ui_commands,  # noqa: F401  ui
)
from ui.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
