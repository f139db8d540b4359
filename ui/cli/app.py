"""The ``dailies`` Typer application object that every command module registers on.

Command modules live beside this file, one concept each, and are imported by ``ui/cli/__init__.py``
(the registry). Conventions every command keeps, so scripts can chain them:
- a command that creates something prints its id or path as the **last line** of its output;
- ``--json`` prints one JSON document instead of human text;
- a bad input ends with ``error: …`` on stderr and a non-zero exit, and changes nothing.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="dailies",
    help="Dailies: an open-source film studio in a box. A crew of LLM agents plans, a generator shoots, a critic measures, you approve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
