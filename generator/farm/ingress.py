"""The farm's one HTTP entry: routes each render to its backend's deployment and serves the takes' bytes.

Why an ingress in front of the backend deployments and not one HTTP route per backend: the client needs
one URL (``farm:URL``), typed answers for every failure (``wire.py``), the take files from the shared
folder, and a count of what is queued — none of which a bare deployment gives. It holds no GPU and no
render: it awaits the replicas' answers, so one ingress replica carries many concurrent requests.

A render's answer is streamed (``wire.StreamLine``): the replica's progress lines as it renders, then the
reply. Failures become answers the client acts on: Serve's ``BackPressureError`` (the deployment's bounded
queue is full) → 503; a replica that died (Ray's actor errors) → 502 before the stream starts, or a last
``replica_lost`` line after — either way the client sends the request again, Serve routing it to a live
replica.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse

from generator.farm.wire import (
    TAKE_NAME,
    DeploymentInfo,
    DeploymentsReply,
    DeploymentStatus,
    ErrorKind,
    ErrorReply,
    FarmStatus,
)
from generator.registry import get

APP_NAME = "dailies-farm"
INGRESS_NAME = "farm-ingress"
_STATUS: dict[ErrorKind, int] = {
    "bad_request": 400, "no_deployment": 404, "render_failed": 500, "replica_lost": 502, "busy": 503,
}  # fmt: skip
#: Takes-per-minute window, seconds.
WINDOW_S = 300.0


def _word(value: object) -> str:
    """Serve's status enums, or their string values (its status API has returned both)."""
    return str(getattr(value, "value", value))


def _describe(name: str, spec: str) -> DeploymentInfo:
    backend = get(spec)
    return DeploymentInfo(name=name, backend=backend.name, capabilities=asdict(backend.capabilities))


def _error(kind: ErrorKind, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(ErrorReply(error=kind, message=message, **extra).model_dump(), status_code=_STATUS[kind])


def _lost(message: str) -> dict[str, Any]:
    return {"error": ErrorReply(error="replica_lost", message=message).model_dump()}


class FarmIngress:
    """Serve ingress. ``handles``: deployment name → handle; ``backends``: deployment name → backend spec."""

    def __init__(self, handles: dict[str, Any], backends: dict[str, str], data_dir: str) -> None:
        self.handles = handles
        self.backends = backends
        self.data_dir = Path(data_dir)
        self.in_flight = dict.fromkeys(backends, 0)
        self.finished: deque[float] = deque(maxlen=100_000)
        self.total = 0
        # What each deployment's backend can do, known here without asking a replica: a replica renders one
        # request at a time, so a question queued behind a ten-minute render would wait ten minutes.
        # Building a backend object loads no model (``generator.registry``).
        self.info = {name: _describe(name, spec) for name, spec in backends.items()}

    async def __call__(self, request: Request) -> Response:
        parts = [p for p in request.url.path.split("/") if p]
        if request.method == "POST" and len(parts) == 2 and parts[0] == "render":
            return await self.render(parts[1], (await request.body()).decode("utf-8"))
        if request.method == "GET" and len(parts) == 2 and parts[0] == "takes":
            return self.take_file(parts[1])
        if request.method == "GET" and parts == ["deployments"]:
            return JSONResponse(self.deployments().model_dump(mode="json"))
        if request.method == "GET" and parts == ["status"]:
            return JSONResponse(self.status().model_dump(mode="json"))
        return JSONResponse({"error": "not_found", "message": f"no route {request.method} {request.url.path}"}, 404)

    async def render(self, name: str, request_json: str) -> Response:
        """Start the render on a replica; once it has started, stream its lines (``wire.StreamLine``) back."""
        from ray.exceptions import ActorUnavailableError, RayActorError
        from ray.serve.exceptions import BackPressureError

        handle = self.handles.get(name)
        if handle is None:
            return _error("no_deployment", f"this farm serves no {name!r}; it serves: {', '.join(self.handles)}")
        self.in_flight[name] += 1
        stream = handle.options(stream=True).render_stream.remote(request_json)
        try:
            first: dict[str, Any] = await stream.__anext__()
        except BackPressureError as exc:
            self.in_flight[name] -= 1
            return _error("busy", f"{name}: the queue is full ({exc})")
        except (RayActorError, ActorUnavailableError, StopAsyncIteration) as exc:
            self.in_flight[name] -= 1
            return _error("replica_lost", f"{name}: the replica died before rendering ({type(exc).__name__})")
        if "error" in first:  # refused before it started: a plain status, as for any HTTP error
            self.in_flight[name] -= 1
            return JSONResponse(first["error"], status_code=_STATUS[first["error"]["error"]])
        return StreamingResponse(self._relay(name, first, stream), media_type="application/x-ndjson")

    async def _relay(self, name: str, first: dict[str, Any], stream: Any) -> AsyncIterator[bytes]:
        """The replica's lines as NDJSON; a replica that dies mid-render becomes a last ``replica_lost`` line."""
        from ray.exceptions import ActorUnavailableError, RayActorError

        line = first
        try:
            while True:
                if "reply" in line:
                    self.finished.append(time.time())
                    self.total += 1
                yield (json.dumps(line) + "\n").encode("utf-8")
                if "reply" in line or "error" in line:
                    return
                try:
                    line = await stream.__anext__()
                except (RayActorError, ActorUnavailableError) as exc:
                    line = _lost(f"{name}: the replica died while rendering ({type(exc).__name__})")
                except StopAsyncIteration:
                    line = _lost(f"{name}: the replica ended the render without a take")
        finally:
            self.in_flight[name] -= 1

    def take_file(self, name: str) -> Response:
        path = self.data_dir / name
        if not TAKE_NAME.match(name) or not path.is_file():
            return JSONResponse({"error": "not_found", "message": f"no take {name!r} in the farm's folder"}, 404)
        return FileResponse(path, media_type="video/mp4")

    def deployments(self) -> DeploymentsReply:
        return DeploymentsReply(default=next(iter(self.handles)), deployments=list(self.info.values()))

    def status(self) -> FarmStatus:
        from ray import serve

        app = serve.status().applications.get(APP_NAME)
        rows = []
        for name, spec in self.backends.items():
            deployment = app.deployments.get(name) if app is not None else None
            rows.append(
                DeploymentStatus(
                    name=name,
                    backend=spec,
                    status=_word(deployment.status) if deployment else "MISSING",
                    replicas={_word(k): int(v) for k, v in (deployment.replica_states.items() if deployment else [])},
                    in_flight=self.in_flight[name],
                )
            )
        now = time.time()
        recent = sum(1 for t in self.finished if now - t <= WINDOW_S)
        return FarmStatus(
            deployments=rows, takes_per_minute=round(recent * 60.0 / WINDOW_S, 2), takes_total=self.total,
            data_dir=str(self.data_dir),
        )
