"""The producer's desk at the command line: ``dailies promote``, ``dailies usage``, ``dailies api-key create``,
``dailies serve``.

``promote`` prints what the promotion will cost (the desk's estimate on ``final_backend``, promoted shots
only) and asks before rendering unless ``--yes``; the user's final-tier quota is checked before anything
renders. ``usage`` is the operator's view of the ledger. ``api-key create`` prints a key once (only its hash
is kept). ``serve`` starts the studio page and the public API (``/api/v1``) in one process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agents import AgentError, EstimateUnavailable
from ui.cli.app import app
from ui.cli.output import JsonFlag, emit, fail, user_errors
from ui.cli.studio_access import open_studio


@app.command()
def promote(
    project: Annotated[str, typer.Argument(help="Project id (see `dailies list`).")],
    shot: Annotated[list[str] | None, typer.Option("--shot", help="A shot to promote (repeat for several).")] = None,
    scene: Annotated[str | None, typer.Option("--scene", help="Promote every shot of this scene.")] = None,
    whole: Annotated[bool, typer.Option("--all", help="Promote the whole film.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before rendering.")] = False,
) -> None:
    """Render approved draft shots again at the final tier (the `final_backend` setting), after showing the cost."""
    which = {"shots": shot or [], "scene": scene, "whole": whole}
    with user_errors(AgentError):  # over quota, shots without an approved draft, a bad final backend
        studio = open_studio()
        studio.store.project(project)  # an unknown id is one error line
        try:
            typer.echo(f"promotion to final: {studio.promotion_estimate(project, **which).summary()}")  # type: ignore[arg-type]
        except EstimateUnavailable as exc:
            typer.echo(f"promotion to final: no estimate ({exc})")
        studio.check_promotion(project, **which)  # type: ignore[arg-type]
        if not yes and not typer.confirm("render these shots at the final tier?"):
            fail("nothing rendered")
        takes = studio.promote(project, progress=lambda key, f: None, **which)  # type: ignore[arg-type]
    for take in takes:
        typer.echo(f"  final take {take.id} (#{take.number}) {take.path}")
    typer.echo(f"cut it with: dailies cut {project} --tier final")


@app.command()
def usage(
    user: Annotated[str | None, typer.Argument(help="A user (studio login or API key owner); default: every user this month.")] = None,
    month: Annotated[str | None, typer.Option("--month", help="UTC month YYYY-MM; default: this month.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Output minutes rendered per user and tier this month, against the quota (for an operator)."""
    with user_errors():
        studio = open_studio()
        table = {user: studio.usage(user, month)} if user is not None else studio.usage_by_user(month)

    def human() -> None:
        if not table:
            typer.echo("nothing rendered this month")
        for who, balances in table.items():
            typer.echo(who or "(local)")
            for balance in balances:
                typer.echo(f"  {balance.line()}")

    emit({who or "": [b.model_dump(mode="json") for b in bs] for who, bs in table.items()}, as_json=as_json, human=human)


api_key_app = typer.Typer(help="Keys of the public HTTP API (/api/v1).", no_args_is_help=True)
app.add_typer(api_key_app, name="api-key")


@api_key_app.command("create")
def create_key(user: Annotated[str, typer.Argument(help="The user the key acts for (their projects, their quota).")]) -> None:
    """Print a new API key for USER once; only its argon2 hash is stored. Send it as `Authorization: Bearer KEY`."""
    with user_errors():
        key = open_studio().create_api_key(user)
    typer.echo(key)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 7860,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 opens it to your network (use --users).")] = "127.0.0.1",
    users: Annotated[Path | None, typer.Option(help="A users file written by `dailies user add` (the page's logins).")] = None,
) -> None:
    """Start the studio page and the public API together; prints the API docs URL, then the page's URL last."""
    from ui.cli.ui_commands import ui

    typer.echo(f"API: http://{host}:{port}/api/v1 (docs: /api/v1/docs; keys: dailies api-key create USER)")
    ui(port=port, host=host, auth=None, users=users)
