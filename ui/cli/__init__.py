"""The ``dailies`` command line. This file is the registry of command modules: one import line each."""

from __future__ import annotations

import sys

from agents import SettingsError
from ui.cli import (
    check_commands,  # noqa: F401  check
    cut_commands,  # noqa: F401  cut
    desk_commands,  # noqa: F401  promote, usage, api-key create, serve
    estimate_commands,  # noqa: F401  estimate
    exchange_commands,  # noqa: F401  import, export
    farm_commands,  # noqa: F401  farm start, farm status, farm stop
    llm_commands,  # noqa: F401  serve-llm, llm-check
    make_commands,  # noqa: F401  make, resume, pending, decide, chat
    project_commands,  # noqa: F401  new, list, show, config, delete
    qc_commands,  # noqa: F401  qc
    render_commands,  # noqa: F401  render
    ui_commands,  # noqa: F401  ui
    user_commands,  # noqa: F401  user add
)
from ui.cli.app import app


def main() -> None:
    """Run the command; a wrong setting is one ``error:`` line naming it (exit 2), whatever the command."""
    try:
        app()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


__all__ = ["app", "main"]
