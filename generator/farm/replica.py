"""One replica of one backend: builds the backend once, renders requests into the shared data folder.

Why a lock around ``render_once``: the take's file name is its request hash (``generator.takes``), so a
finished take is never rendered twice — but two replicas (or two farms on one shared folder) given the
same request at the same moment would both start. An exclusive ``flock`` on a lock file named after the
take makes the second wait and then find the finished take. The lock belongs to the process: a replica
killed mid-render releases it, and its half-written ``.part`` file is removed by the next render.

Why ``render_stream`` runs the render in a thread: the backend reports progress through a callback, and
a generator cannot yield from inside one; the thread puts each report on the replica's event loop, which
hands it to Serve as the next item of the stream (and stays free for Serve's health checks meanwhile).

The class is plain Python (no Ray import): ``app.py`` wraps it in ``serve.deployment``, and the tests can
call it directly.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.base import Progress, RenderRequest
from generator.errors import BadRequest, GeneratorError, OutOfMemory
from generator.farm.wire import ErrorReply, RenderProgress, RenderReply, StreamLine
from generator.registry import get
from generator.takes import load_take, take_path


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target``'s lock file (hidden, beside it) for the block."""
    lock = target.with_name(f".{target.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class BackendReplica:
    """Renders with one backend (``spec``) into ``data_dir``; one request at a time (Serve sees to that)."""

    def __init__(self, spec: str, data_dir: str) -> None:
        self.spec = spec
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.backend = get(spec)
        self.identity = f"{os.getpid()}@{socket.gethostname()}"

    async def render_stream(self, request_json: str) -> AsyncIterator[dict[str, object]]:
        """Render one request, yielding ``StreamLine`` dicts: progress while it renders, then the reply or error.

        A request that is not a render request is one error line and nothing else, so the ingress can still
        answer it with HTTP 400; every other render first says which replica started it.
        """
        try:
            RenderRequest.model_validate_json(request_json)
        except ValueError as exc:
            yield _line(error=ErrorReply(error="bad_request", message=f"not a render request: {exc}"))
            return
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[dict[str, object] | None] = asyncio.Queue()

        def progress(fraction: float, message: str = "") -> None:  # called on the render's thread
            line = _line(progress=RenderProgress(fraction=min(1.0, max(0.0, float(fraction))), message=message))
            loop.call_soon_threadsafe(lines.put_nowait, line)

        yield _line(progress=RenderProgress(fraction=0.0, message=f"started on {self.identity}"))
        job = asyncio.ensure_future(asyncio.to_thread(self.render, request_json, progress))
        job.add_done_callback(lambda _job: lines.put_nowait(None))  # after every report the thread queued
        while (line := await lines.get()) is not None:
            yield line
        answer = job.result()
        yield _line(error=ErrorReply.model_validate(answer)) if "error" in answer else _line(reply=RenderReply.model_validate(answer))

    def render(self, request_json: str, progress: Progress | None = None) -> dict[str, object]:
        """Render one request; returns a ``RenderReply`` or an ``ErrorReply`` as a dict (never raises on purpose).

        Errors travel as values because an exception raised in a replica reaches the ingress wrapped in
        Ray's own error types; a tagged reply keeps the generator's error type and message intact.
        """
        try:
            request = RenderRequest.model_validate_json(request_json)
        except ValueError as exc:
            return ErrorReply(error="bad_request", message=f"not a render request: {exc}").model_dump()
        target = take_path(self.data_dir, self.backend.name, request)
        try:
            with exclusive(target):
                existed = load_take(target) is not None
                take = self.backend.render(request, self.data_dir, progress)
        except BadRequest as exc:
            return ErrorReply(error="bad_request", message=str(exc), type=type(exc).__name__).model_dump()
        except GeneratorError as exc:
            suggestion = exc.suggestion if isinstance(exc, OutOfMemory) else {}
            return ErrorReply(
                error="render_failed", message=str(exc), type=type(exc).__name__, suggestion=suggestion
            ).model_dump()
        data = take.model_dump(mode="json", exclude={"reused"})
        data["path"] = Path(take.path).name
        return RenderReply(
            take=data, sha256=file_sha256(Path(take.path)), replica=self.identity, rendered=not existed
        ).model_dump()


def _line(**field: RenderProgress | RenderReply | ErrorReply) -> dict[str, object]:
    return StreamLine.model_validate(field).model_dump(mode="json", exclude_none=True)
