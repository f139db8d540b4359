"""One Ray cluster and one farm per test module: Ray starts in ~3-15 s here, Serve's app in ~10 s more.

Loopback only (``http_options`` on 127.0.0.1 and a free port), a cluster of the test's own
(``address="local"``: a bare ``ray.init()`` joins any Ray already running on the machine, another
session's tests included), Ray's token auth off (``RAY_AUTH_MODE`` = disabled, as for any loopback test), replicas at half a CPU so two fit the machine's two cores, and
``serve.shutdown()`` then ``ray.shutdown()`` at the end so the next module never joins a half-dead cluster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from farm_cluster import Farm, make_shot

from generator.base import RenderRequest


@pytest.fixture
def shot() -> Callable[..., RenderRequest]:
    """``shot(n, **fields)``: a small animatic request, another render for each ``n``."""
    return make_shot


@pytest.fixture(scope="module")
def farm_port() -> int:
    from generator.farm.app import free_port

    return free_port()


@pytest.fixture(scope="module")
def farm(farm_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Farm]:
    """A two-replica animatic farm on loopback, for the whole module; two requests may wait, more are *busy*."""
    os.environ["RAY_AUTH_MODE"] = "disabled"
    import ray
    from ray import serve

    from generator.farm.app import start
    from generator.farm.spec import DeploymentSpec

    data_dir = tmp_path_factory.mktemp("farm-data")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        url = start([DeploymentSpec("animatic", replicas=2, num_cpus=0.5, max_queued=2)], data_dir, port=farm_port)
        yield Farm(url=url, data_dir=data_dir, port=farm_port)
    finally:
        serve.shutdown()
        ray.shutdown()
