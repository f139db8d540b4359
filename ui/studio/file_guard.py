"""Copies in Gradio's file cache are served only to the user whose project they came from.

Why: a handler returns a take, a cut or the bible as a path; Gradio copies it into its cache
(``CACHE/<sha256 of the content>/<name>``) and hands the page ``/gradio_api/file=CACHE/…``. Gradio serves
that URL to *every* logged-in user, so a leaked link would show one user's film to another.
``CacheOwnerGuard`` checks the owner on every such response: a cached copy is served only when a file
with the same name and the same content hash lies in one of the requesting user's projects' folders
(``agents.project_folders``), or when that user uploaded it (the upload route's answer is recorded).
Anything else in the cache — someone else's copy, a stale copy whose original changed, a copy of a
deleted project — is refused with 403. Without logins (one local user) the guard lets everything through.
"""

from __future__ import annotations

import functools
import glob
import json
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from gradio.processing_utils import hash_file
from gradio.utils import get_upload_folder
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from agents import Studio, project_folders
from ui.studio.access import inside

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

@functools.lru_cache(maxsize=4096)
def _content_hash(path: str, size: int, mtime_ns: int) -> str:
    """Gradio's cache key of a file (size and mtime only key the memo, so a rewritten file is hashed again)."""
    return hash_file(path)


def content_hash(path: Path) -> str:
    stat = path.stat()
    return _content_hash(str(path), stat.st_size, stat.st_mtime_ns)


def logins_on(scope: Scope) -> bool:
    """Whether the server asks for logins (without them, everything is the one local user's)."""
    app = scope.get("app")
    return getattr(app, "auth", None) is not None or getattr(app, "auth_dependency", None) is not None


def user_of(scope: Scope) -> str | None:
    """The logged-in user of a request (None: not logged in), read from the cookie the way Gradio does."""
    app = scope.get("app")
    cookies = HTTPConnection(scope).cookies
    cookie_id = getattr(app, "cookie_id", "")
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    tokens: dict[str, str] = getattr(app, "tokens", {})
    return tokens.get(token) if token else None


class CacheOwnerGuard:
    """ASGI middleware: 403 for a ``…/file=PATH`` request inside Gradio's cache that the user does not own."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], studio: Studio, cache_dir: str | None = None) -> None:
        self.app, self.studio = app, studio
        self.cache = Path(cache_dir or get_upload_folder()).resolve()
        self.uploads: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        cached = self.cached_target(path)
        if not logins_on(scope) or (cached is None and not path.endswith("/upload")):
            await self.app(scope, receive, send)
            return
        user = user_of(scope)
        if cached is not None:
            if user is not None and await run_in_threadpool(self.allows, user, cached):
                await self.app(scope, receive, send)
            else:
                await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/plain")]})
                await send({"type": "http.response.body", "body": b"not your file"})
        elif user is not None and scope.get("method") == "POST":
            await self.app(scope, receive, self._recording_uploads(user, send))
        else:
            await self.app(scope, receive, send)

    def cached_target(self, path: str) -> Path | None:
        """The file a ``/file=`` request names, when it lies in Gradio's cache (else None)."""
        marker = path.find("/file=")
        if marker < 0:
            return None
        target = unquote(path[marker + len("/file="):])
        return Path(target).resolve() if inside(target, self.cache) else None

    def allows(self, user: str, cached: Path) -> bool:
        """Whether ``user`` uploaded ``cached`` or owns a project file it is a copy of (same name, same hash)."""
        with self._lock:
            if str(cached) in self.uploads.get(user, set()):
                return True
        digest = cached.parent.name
        for project in self.studio.projects(user):
            for folder in project_folders(self.studio.settings, project.id):
                for original in (folder / cached.name, *folder.glob(f"*/{glob.escape(cached.name)}")):
                    if original.is_file() and content_hash(original) == digest:
                        return True
        return False

    def _recording_uploads(self, user: str, send: Send) -> Send:
        """``send`` that also records the paths the upload route answered as ``user``'s."""
        body = bytearray()
        status = 0

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message.get("status", 0))
            elif message["type"] == "http.response.body" and status == 200:
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    self._record(user, bytes(body))
            await send(message)

        return recording

    def _record(self, user: str, body: bytes) -> None:
        try:
            paths = json.loads(body)
        except ValueError:
            return
        if isinstance(paths, list):
            with self._lock:
                self.uploads.setdefault(user, set()).update(str(Path(p).resolve()) for p in paths if isinstance(p, str))
