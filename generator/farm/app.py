"""Build, start, inspect and stop the farm's Ray Serve application.

Lifecycle (``dailies farm start|status|stop`` and the tests call these):

    connect(address)          start a Ray head of our own (None), or join one ("auto", "HOST:PORT")
    start(specs, data_dir)    Serve on HOST:PORT, one deployment per backend spec behind one ingress → URL
    stop()                    Serve's application and Serve itself down; Ray is left to whoever started it
    stop_head(pid)            the head ``connect(None)`` started, and only it

Ray is imported inside the functions: ``generator.farm`` is importable (and its client usable) on a
machine without the ``farm`` extra.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
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


def connect(address: str | None, num_cpus: int | None = None, log: Path | None = None) -> int | None:
    """Join the Ray cluster at ``address`` ("auto" or "HOST:PORT"), or start a local head when ``None``;
    returns the started head's process id (``None`` when it joined a cluster).

    Ray's token auth stays as configured (``RAY_AUTH_MODE``): the head's ports are not loopback-only, so
    only tests on a private loopback cluster turn it off.
    """
    ray = require_ray()
    if ray.is_initialized():
        return None
    head = None
    if address is None:
        address, head = start_head(num_cpus, log)
    ray.init(address=address, include_dashboard=False, log_to_driver=False)
    return head


def start_head(num_cpus: int | None = None, log: Path | None = None, timeout_s: float = 120.0) -> tuple[str, int]:
    """Start a Ray head of our own on 127.0.0.1 and a free port; returns its address and process id.

    Why ``ray start --block`` in a process of its own session and not plain ``ray start``: the farm must
    outlive the command that started it, and stopping it must end *this* head only. A plain head is ended
    with ``ray stop``, which ends every Ray process of the user on the machine (another farm, someone's
    tests); a blocking head ends its own processes when it gets SIGTERM (``stop_head``).
    """
    port = free_port()
    command = [
        sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block", f"--port={port}",
        "--node-ip-address=127.0.0.1", "--include-dashboard=false", "--disable-usage-stats",
    ]  # fmt: skip
    if num_cpus is not None:
        command.append(f"--num-cpus={num_cpus}")
    log = log or Path(tempfile.gettempdir()) / f"dailies-ray-head-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + timeout_s
    while "Ray runtime started" not in log.read_text(errors="replace"):
        if process.poll() is not None:
            raise BackendUnavailable(f"ray start failed (exit {process.returncode}); its output: {log}")
        if time.monotonic() > deadline:
            stop_head(process.pid)
            raise BackendUnavailable(f"ray start did not finish in {timeout_s:g} s; its output: {log}")
        time.sleep(0.5)
    return f"127.0.0.1:{port}", process.pid


def stop_head(pid: int, timeout_s: float = 90.0) -> bool:
    """End the head ``start_head`` started (SIGTERM: it drains, then ends its own processes and no others).

    Returns False when ``pid`` is no longer a blocking Ray head (already gone, or the number reused).
    """
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    if b"--block" not in command or not any(b"ray" in part for part in command):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while not _gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.2)
    return True


def _gone(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child (a test, or start and stop in one process)
            return True
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


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
