"""``dailies ui``: the studio in the browser (Gradio), on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ui.cli.app import app
from ui.cli.output import fail, user_errors
from ui.cli.studio_access import open_studio
from ui.studio.errors import StudioPageError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@app.command()
def ui(
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 7860,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to your network (use a login).")] = "127.0.0.1",
    auth: Annotated[str | None, typer.Option(help="One login, USER:PASS; each user sees only their own projects.")] = None,
    users: Annotated[
        Path | None, typer.Option(help="A users file, one user:HASH per line, written by `dailies user add` (instead of --auth).")
    ] = None,
) -> None:
    """Start the studio in the browser and print its URL as the last line before serving."""
    from ui.studio.access import parse_login
    from ui.studio.app import launch
    from ui.studio.users import Logins, load_users

    if auth and users:
        fail("give --auth or --users, not both")
    with user_errors(StudioPageError):
        logins = load_users(users) if users else Logins.plain([parse_login(auth)]) if auth else None
        studio = open_studio()
    if host not in LOOPBACK and not logins:
        typer.echo(f"warning: serving on {host} without a login: anyone who can reach it can use the studio", err=True)
    with user_errors(OSError):
        launch(studio, host=host, port=port, auth=logins, on_ready=lambda url: typer.echo(url))
