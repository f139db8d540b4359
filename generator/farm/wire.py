"""The farm's HTTP contract, written once for the server (``ingress.py``) and the client (``client.py``).

    POST /render/<deployment>   body: RenderRequest JSON        → 200 RenderReply
                                                                 → 400 bad_request   (the request, named field)
                                                                 → 404 no_deployment (the farm's deployments listed)
                                                                 → 500 render_failed (the backend's error type and message)
                                                                 → 502 replica_lost  (the replica died mid-render: retry)
                                                                 → 503 busy          (the bounded queue is full: retry later)
    GET  /takes/<file name>     the take's video bytes from the shared data folder
    GET  /deployments           DeploymentsReply: each deployment's backend spec and capabilities
    GET  /status                FarmStatus: deployments, replicas, queue, takes per minute
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

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
