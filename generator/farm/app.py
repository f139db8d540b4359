"""Build, start, inspect and stop the farm's Ray Serve application.

Lifecycle (``dailies farm start|status|stop`` and the tests call these):

    connect(address)          start a local Ray head (None), or join one ("auto", "HOST:PORT")
    start(specs, data_dir)    Serve on HOST:PORT, one deployment per backend spec behind one ingress → URL
    stop()                    Serve's application and Serve itself down; Ray is left to whoever started it

Ray is imported inside the functions: ``generator.farm`` is importable (and its client usable) on a
machine without the ``farm`` extra.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.errors import BackendUnavailable, BadRequest
from generator.farm.ingress import APP_NAME, INGRESS_NAME, FarmIngress
from generator.farm.replica import BackendReplica
from generator.farm.spec import DeploymentSpec


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (for tests and a default ``--port``)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def require_ray() -> Any:
    try:
        import ray
    except ImportError as exc:  # the client side needs no Ray; the farm's server does
        raise BackendUnavailable("the render farm needs Ray Serve: pip install 'dailies-studio[farm]'") from exc
    return ray


def connect(address: str | None, num_cpus: int | None = None) -> None:
    """Join the Ray cluster at ``address`` ("auto" or "HOST:PORT"), or start a local head when ``None``.

    A local head is started with ``ray start`` (a separate process), so the farm outlives this command.
    Ray's token auth stays as configured (``RAY_AUTH_MODE``): the head's ports are not loopback-only, so
    only tests on a private loopback cluster turn it off.
    """
    ray = require_ray()
    if ray.is_initialized():
        return
    if address is None:
        command = [
            sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--node-ip-address=127.0.0.1",
            "--include-dashboard=false", "--disable-usage-stats",
        ]  # fmt: skip
        if num_cpus is not None:
            command.append(f"--num-cpus={num_cpus}")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackendUnavailable(f"ray start failed: {(done.stderr or done.stdout).strip()[-400:]}")
        address = "auto"
    ray.init(address=address, include_dashboard=False, log_to_driver=False)


def build_app(specs: list[DeploymentSpec], data_dir: Path) -> Any:
    """The Serve application: an ingress over one deployment per spec (names must differ)."""
    from ray import serve

    if not specs:
        raise BadRequest("farm backend: give at least one backend spec to serve")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise BadRequest(f"farm backend: a backend is listed twice: {', '.join(s.backend for s in specs)}")
    replica: Any = serve.deployment(BackendReplica)  # Serve types the decorator form only
    handles = {s.name: replica.options(**s.serve_options()).bind(s.backend, str(data_dir)) for s in specs}
    ingress_class: Any = serve.deployment(FarmIngress)
    ingress = ingress_class.options(
        name=INGRESS_NAME, num_replicas=1, ray_actor_options={"num_cpus": 0}, max_ongoing_requests=1000
    )
    return ingress.bind(handles, {s.name: s.backend for s in specs}, str(data_dir))


def start(specs: list[DeploymentSpec], data_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> str:
    """Start Serve on ``host:port`` with the farm's application (Ray must be connected); returns its URL.

    Returns once every deployment has its first replicas running.
    """
    from ray import serve

    Path(data_dir).mkdir(parents=True, exist_ok=True)
    serve.start(http_options={"host": host, "port": port})
    serve.run(build_app(specs, Path(data_dir).resolve()), name=APP_NAME, route_prefix="/", blocking=False)
    return f"http://{host}:{port}"


def stop() -> None:
    """Take the farm's application and Serve down (Ray itself keeps running; ``ray stop`` ends a local head)."""
    from ray import serve

    serve.shutdown()
