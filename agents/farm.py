"""The render farm as an installation runs it: start (or join) Ray, serve the backends, remember where.

Why here and not in the CLI: ``ui`` imports only ``agents``' public surface, and what a farm needs from
an installation — its home folder for the farm's record and shared takes, how many CPUs and GPUs the
cluster has to share among replicas — is the agents' business. ``generator.farm`` does the Serve work.

The record (``HOME/farm.json``) lets ``dailies farm status`` and ``dailies farm stop`` find the farm that
``dailies farm start`` left running without asking for its URL again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from pydantic import BaseModel, Field

from agents.settings import Settings
from generator.errors import BadRequest, FarmUnavailable
from generator.farm.spec import DeploymentSpec, default_num_gpus
from generator.farm.wire import FarmStatus


class FarmRecord(BaseModel):
    """What ``dailies farm start`` left running."""

    url: str
    backends: list[str]
    data_dir: Path
    started_ray: bool = Field(description="True when the start command started the local Ray head (stop ends it).")
    head_pid: int | None = Field(
        None, description="The Ray head the start command started (ended by stop, and nothing else with it)."
    )
    ray_address: str | None = Field(
        None,
        description="The Ray cluster the farm runs on (its GCS HOST:PORT), which `farm stop` joins; None in a "
        "record written before it was kept, where stop joins 'auto' (this machine's latest cluster).",
    )

    @property
    def setting(self) -> str:
        """The line that points a studio at this farm."""
        return f"DAILIES_BACKEND=farm:{self.url}"


def record_path(settings: Settings) -> Path:
    return settings.home / "farm.json"


def read_record(settings: Settings) -> FarmRecord:
    path = record_path(settings)
    if not path.is_file():
        raise FarmUnavailable(f"no farm was started from {settings.home} (start one with `dailies farm start`)")
    return FarmRecord.model_validate_json(path.read_text(encoding="utf-8"))


def replica_cpus(cluster_cpus: float, replicas: int) -> float:
    """CPUs each replica reserves: all replicas fit the cluster with room for Serve's own actors, ≤ 1 each."""
    if replicas < 1:
        raise BadRequest(f"farm replicas: at least 1, got {replicas}")
    return round(max(0.1, min(1.0, cluster_cpus * 0.9 / replicas)), 2)


def start_farm(
    settings: Settings,
    backends: list[str],
    replicas: int = 1,
    max_replicas: int | None = None,
    address: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: Path | None = None,
) -> FarmRecord:
    """Start (``address`` None) or join (``"auto"``, ``"HOST:PORT"``) a Ray cluster and serve ``backends``."""
    from generator.farm import app

    ray = app.require_ray()  # a missing `farm` extra is one error naming it
    backends = backends or [settings.backend]
    for backend in backends:
        DeploymentSpec(backend)  # a wrong spec is one error before Ray starts
    started_ray = address is None and not ray.is_initialized()
    head = app.connect(address, log=settings.home / "logs" / "ray-head.log")
    resources = ray.cluster_resources()
    gpus, cpus = float(resources.get("GPU", 0.0)), float(resources.get("CPU", 1.0))
    ceiling = max_replicas or replicas
    specs = [
        DeploymentSpec(
            backend, replicas=replicas, max_replicas=max_replicas, num_gpus=default_num_gpus(backend, gpus),
            num_cpus=replica_cpus(cpus, ceiling * len(backends)),
        )
        for backend in backends
    ]  # fmt: skip
    folder = (data_dir or settings.home / "farm" / "takes").resolve()
    url = app.start(specs, folder, host=host, port=port)
    record = FarmRecord(
        url=url, backends=[s.backend for s in specs], data_dir=folder, started_ray=started_ray, head_pid=head,
        ray_address=str(ray.get_runtime_context().gcs_address),
    )  # fmt: skip
    settings.home.mkdir(parents=True, exist_ok=True)
    record_path(settings).write_text(record.model_dump_json(indent=2), encoding="utf-8")
    return record


def farm_status(settings: Settings, url: str | None = None) -> FarmStatus:
    """The farm's deployments, replicas, queue and takes per minute, asked over HTTP (no Ray needed)."""
    target = (url or read_record(settings).url).rstrip("/")
    try:
        response = httpx.get(f"{target}/status", timeout=30)
    except httpx.TransportError as exc:
        raise FarmUnavailable(f"the farm at {target} is unreachable ({exc})") from exc
    if response.status_code != 200:
        raise FarmUnavailable(f"the farm at {target} answered HTTP {response.status_code} to /status")
    return FarmStatus.model_validate_json(response.content)


def stop_farm(settings: Settings) -> FarmRecord:
    """Take the farm down: Serve's application, and the local Ray head when ``start_farm`` started it."""
    from generator.farm import app

    record = read_record(settings)
    ray = app.require_ray()
    # The cluster the farm was started on, not "auto": a farm that joined another host's cluster
    # (--address HOST:PORT) is not found by "auto", and on a machine with several clusters "auto" is the
    # latest one started, whose Serve application would be the one shut down.
    app.connect(record.ray_address or "auto")
    app.stop()
    ray.shutdown()
    if record.head_pid is not None:
        app.stop_head(record.head_pid)
    elif record.started_ray:  # a record from before the head's pid was kept: only `ray stop` can end it
        subprocess.run([sys.executable, "-m", "ray.scripts.scripts", "stop"], capture_output=True, check=False)
    record_path(settings).unlink(missing_ok=True)
    return record
