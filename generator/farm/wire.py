"""The farm's HTTP contract, written once for the server (``ingress.py``) and the client (``client.py``).

    POST /render/<deployment>   body: RenderRequest JSON        → 200 a stream of StreamLine (NDJSON, one per line):
                                                                       progress lines while the replica renders, then
                                                                       one reply, or one error (the codes below)
                                                                 → 400 bad_request   (the request, named field)
                                                                 → 404 no_deployment (the farm's deployments listed)
                                                                 → 500 render_failed (the backend's error type and message)
                                                                 → 502 replica_lost  (the replica died mid-render: retry)
                                                                 → 503 busy          (the bounded queue is full: retry later)
    GET  /takes/<file name>     the take's video bytes from the shared data folder
    GET  /deployments           DeploymentsReply: each deployment's backend spec and capabilities
    GET  /status                FarmStatus: deployments, replicas, queue, takes per minute

Why a stream: a render takes seconds to many minutes, and the per-shot branch shows its progress (the
studio's progress bars) as a local render would. The status line is sent once the replica has *started*
the render, so a full queue is still an HTTP 503; what goes wrong after that (the replica dies, the backend
fails) arrives as the stream's last line, an ``error`` with the same kinds.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, model_validator

ErrorKind = Literal["bad_request", "no_deployment", "render_failed", "replica_lost", "busy"]
#: A take's file name in the shared folder (``generator.takes.take_path``): nothing that walks out of it.
TAKE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.mp4$")


class RenderReply(BaseModel):
    """A finished take, as a replica wrote it into the shared data folder."""

    take: dict[str, object] = Field(description="The RenderedTake's JSON; its path is the file name in the shared folder.")
    sha256: str = Field(description="Digest of the video bytes, checked by the client after download.")
    replica: str = Field(description="Which replica answered: 'pid@host'.")
    rendered: bool = Field(description="False when the take already existed in the shared folder (no render).")


class ErrorReply(BaseModel):
    error: ErrorKind
    message: str
    #: For render_failed: the generator error's class name (OutOfMemory, RenderFailed, …).
    type: str = ""
    suggestion: dict[str, object] = Field(default_factory=dict)


class RenderProgress(BaseModel):
    fraction: float = Field(ge=0, le=1, description="How much of the render is done, 0…1, as the backend reports it.")
    message: str = Field("", description="The backend's words: 'frame 12/96', 'step 3/30'…")


class StreamLine(BaseModel):
    """One line of a render's streamed answer: exactly one of its fields is set."""

    progress: RenderProgress | None = None
    reply: RenderReply | None = None
    error: ErrorReply | None = None

    @model_validator(mode="after")
    def _one_field(self) -> StreamLine:
        if sum(x is not None for x in (self.progress, self.reply, self.error)) != 1:
            raise ValueError("a stream line is exactly one of progress, reply, error")
        return self

    @property
    def final(self) -> bool:
        return self.reply is not None or self.error is not None


class DeploymentInfo(BaseModel):
    name: str
    backend: str
    capabilities: dict[str, object]


class DeploymentsReply(BaseModel):
    default: str
    deployments: list[DeploymentInfo]


class DeploymentStatus(BaseModel):
    name: str
    backend: str
    status: str = Field(description="Serve's word: HEALTHY, UPDATING, UNHEALTHY…")
    replicas: dict[str, int] = Field(description="Replica count by state (RUNNING, STARTING…).")
    in_flight: int = Field(description="Requests the ingress has sent and not yet had back (running or queued).")


class FarmStatus(BaseModel):
    deployments: list[DeploymentStatus]
    takes_per_minute: float = Field(description="Takes handed back per minute over the last five minutes.")
    takes_total: int = Field(description="Takes handed back since the farm started.")
    data_dir: str
