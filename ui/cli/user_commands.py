"""``dailies user add NAME``: write a user's argon2id hash into the studio's users file.

The password is asked for twice at a terminal, or read as the first line of standard input when it is
piped (``printf 'secret\\n' | dailies user add mara``), so scripts can create users without echoing it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ui.cli.app import app
from ui.cli.output import fail, user_errors
from ui.studio.errors import StudioPageError

user_app = typer.Typer(help="The studio's logins (a users file of argon2id hashes).", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        return str(typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The login name.")],
    users: Annotated[Path, typer.Option(help="The users file (created if missing).")] = Path("users.txt"),
) -> None:
    """Add NAME (or replace their password) in the users file; prints the file's path last."""
    from ui.studio.users import add_user

    password = _read_password(name)
    if not password:
        fail("the password is empty (type it, or pipe it on standard input)")
    with user_errors(StudioPageError):
        replaced = add_user(users, name, password)
    typer.echo(f"{'replaced' if replaced else 'added'} {name}")
    typer.echo(str(users))
