"""How every command prints results and errors, so the conventions hold in one place."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer

from agents import ContentRefused, ModerationUnavailable, StoryMemoryError

#: The ``--json`` flag every command offers.
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]

#: Errors that are the user's input, not our bug: shown as one line, exit 1.
#: A moderation refusal names its category; an unreachable moderation endpoint names its URL.
USER_ERRORS: tuple[type[BaseException], ...] = (
    StoryMemoryError, FileNotFoundError, IsADirectoryError, PermissionError, ContentRefused, ModerationUnavailable,
)


def emit(result: Any, *, as_json: bool, human: Callable[[], None] | None = None) -> None:
    """Print ``result`` as JSON, or call ``human`` to print it for people."""
    if as_json:
        typer.echo(json.dumps(result, indent=2, default=str, ensure_ascii=False))
    elif human is not None:
        human()


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors(*extra: type[BaseException]) -> Iterator[None]:
    """Turn the typed errors of our packages into one ``error:`` line and exit code 1."""
    try:
        yield
    except (*USER_ERRORS, *extra) as exc:
        fail(str(exc))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
