"""Who may see what: logins, and which files the server may hand out.

Why a module of its own: project ownership is checked by the handlers' one guard (``desk.owned``, on
``Studio.project_for``), and the data folder is guarded at the HTTP level too. Gradio serves ``/gradio_api/file=PATH`` for any file inside ``allowed_paths`` to every
logged-in user (past path-traversal CVEs: CVE-2023-51449, CVE-2026-28414). The studio needs the data
folder in ``allowed_paths`` only so Gradio may *copy* takes and cuts into its cache (content-hashed
names) when a handler returns them; ``DataFolderGuard`` refuses every direct request for a path inside
the data folder, so a guessed path of someone else's take or cut gets 403.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from agents import Settings
from ui.studio.errors import BadInput


def served_folders(settings: Settings) -> list[str]:
    """The only folders Gradio may copy files from: takes, cuts and reference images."""
    folders = [settings.takes_dir, settings.cuts_dir, settings.home / "references"]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return [str(folder.resolve()) for folder in folders]


def parse_login(text: str) -> tuple[str, str]:
    """``user:password`` → (user, password)."""
    user, sep, password = text.strip().partition(":")
    if not sep or not user.strip() or not password:
        raise BadInput("a login is written user:password (both non-empty)")
    return user.strip(), password


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path`` (after resolving links and ``..``) is ``folder`` or inside it."""
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, ValueError):
        return True  # unresolvable: treat as inside, i.e. refuse


class DataFolderGuard:
    """ASGI middleware: 403 for any ``…/file=PATH`` request whose path lies in the data folder.

    Gradio hands pages copies from its cache, never data-folder paths, so this refuses only guesses.
    """

    def __init__(self, app: Any, home: str) -> None:
        self.app, self.home = app, home

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and self.refuses(scope.get("path", "")):
            await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"not allowed"})
            return
        await self.app(scope, receive, send)

    def refuses(self, path: str) -> bool:
        marker = path.find("/file=")
        if marker < 0:
            return False
        target = unquote(path[marker + len("/file="):])
        return inside(target, self.home) if target.startswith("/") else ".." in target or inside(target, self.home)
