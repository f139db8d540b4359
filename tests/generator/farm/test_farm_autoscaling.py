"""Bounded autoscaling on a real farm: one animatic replica that may grow to two while renders wait.

Its own Ray cluster (loopback, two CPUs, token auth off) because the other farm tests need a fixed number
of replicas. What is checked is ours, not Serve's arithmetic: that ``DeploymentSpec(replicas=1,
max_replicas=2)`` becomes a deployment that adds a replica under load within the upscale delay, and never
runs more than the ceiling.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from farm_cluster import make_shot

from generator.farm.client import FarmBackend

pytestmark = pytest.mark.slow


@pytest.fixture
def scaling_farm(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    os.environ["RAY_AUTH_MODE"] = "disabled"
    import ray
    from ray import serve

    from generator.farm.app import free_port, start
    from generator.farm.spec import DeploymentSpec

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        spec = DeploymentSpec("animatic", replicas=1, max_replicas=2, num_cpus=0.5)
        yield start([spec], tmp_path / "farm-takes", port=free_port()), tmp_path
    finally:
        serve.shutdown()
        ray.shutdown()


def test_a_farm_under_load_adds_replicas_up_to_its_ceiling(scaling_farm: tuple[str, Path]) -> None:
    url, folder = scaling_farm

    def replicas() -> dict[str, int]:
        (animatic,) = httpx.get(f"{url}/status", timeout=30).json()["deployments"]
        return {state: int(n) for state, n in animatic["replicas"].items()}

    assert replicas() == {"RUNNING": 1}
    seen: list[dict[str, int]] = []
    busy = threading.Event()
    busy.set()

    def watch() -> None:
        while busy.is_set():
            seen.append(replicas())
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    requests = [make_shot(n, width=320, height=180, frames=480, fps=24) for n in range(1, 9)]  # ~minutes of work
    try:
        with ThreadPoolExecutor(len(requests)) as pool:
            takes = list(pool.map(lambda r: FarmBackend(url).render(r, folder / "studio"), requests))
    finally:
        busy.clear()
        watcher.join(timeout=30)
    assert [t.request_hash for t in takes] == [r.key() for r in requests]
    assert max(s.get("RUNNING", 0) for s in seen) == 2  # it grew while renders waited
    assert max(sum(s.values()) for s in seen) <= 2  # and never past its ceiling
    assert len({t.parameters["farm"]["replica"] for t in takes}) == 2  # both replicas rendered
