"""Bounded autoscaling on a real farm: one animatic replica that may grow to two while renders wait.

Its own Ray cluster (loopback, two CPUs, token auth off) because the other farm tests need a fixed number
of replicas. What is checked is ours, not Serve's arithmetic: that ``DeploymentSpec(replicas=1,
max_replicas=2)`` becomes a deployment that adds a replica under load within the upscale delay, and never
runs more than the ceiling.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from farm_cluster import make_shot

from generator.base import RenderedTake, RenderRequest
from generator.farm.client import FarmBackend

pytestmark = pytest.mark.slow


@pytest.fixture
def scaling_farm(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    os.environ["RAY_AUTH_MODE"] = "disabled"
    import ray
    from ray import serve

    from generator.farm.app import free_port, start
    from generator.farm.spec import DeploymentSpec

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        spec = DeploymentSpec("animatic", replicas=1, max_replicas=2, num_cpus=0.5)
        yield start([spec], tmp_path / "farm-takes", port=free_port()), tmp_path
    finally:
        serve.shutdown()
        ray.shutdown()


def test_a_farm_under_load_adds_replicas_up_to_its_ceiling(scaling_farm: tuple[str, Path]) -> None:
    """Six callers keep the farm busy until a second replica runs (or two minutes pass), then send a few
    more each; the load lasts as long as scaling needs, however fast the machine renders at the moment."""
    url, folder = scaling_farm

    def replicas() -> dict[str, int]:
        (animatic,) = httpx.get(f"{url}/status", timeout=30).json()["deployments"]
        return {state: int(n) for state, n in animatic["replicas"].items()}

    assert replicas() == {"RUNNING": 1}
    seen: list[dict[str, int]] = []
    scaled, busy = threading.Event(), threading.Event()
    busy.set()

    def watch() -> None:
        while busy.is_set():
            seen.append(replicas())
            if seen[-1].get("RUNNING", 0) >= 2:
                scaled.set()
            time.sleep(0.5)

    numbers = itertools.count(1)
    deadline = time.monotonic() + 120

    def caller() -> list[tuple[RenderRequest, RenderedTake]]:
        done, after = [], 2
        while after > 0 and time.monotonic() < deadline:
            request = make_shot(next(numbers), width=320, height=180, frames=240, fps=24)
            done.append((request, FarmBackend(url).render(request, folder / "studio")))
            after -= scaled.is_set()
        return done

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(6) as pool:
            rendered = [pair for pairs in pool.map(lambda _: caller(), range(6)) for pair in pairs]
    finally:
        busy.clear()
        watcher.join(timeout=30)
    assert scaled.is_set(), f"never two replicas running in 120 s of load: {seen[-5:]}"  # it grew while renders waited
    assert max(sum(s.values()) for s in seen) <= 2  # and never past its ceiling
    assert all(take.request_hash == request.key() and take.path.is_file() for request, take in rendered)
