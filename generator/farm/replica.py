"""One replica of one backend: builds the backend once, renders requests into the shared data folder.

Why a lock around ``render_once``: the take's file name is its request hash (``generator.takes``), so a
finished take is never rendered twice — but two replicas (or two farms on one shared folder) given the
same request at the same moment would both start. An exclusive ``flock`` on a lock file named after the
take makes the second wait and then find the finished take. The lock belongs to the process: a replica
killed mid-render releases it, and its half-written ``.part`` file is removed by the next render.

The class is plain Python (no Ray import): ``app.py`` wraps it in ``serve.deployment``, and the tests can
call it directly.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.base import RenderRequest
from generator.errors import BadRequest, GeneratorError, OutOfMemory
from generator.farm.wire import ErrorReply, RenderReply
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

    def render(self, request_json: str) -> dict[str, object]:
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
                take = self.backend.render(request, self.data_dir)
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
