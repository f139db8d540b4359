"""``dailies farm start|status|stop`` against a real farm: Ray on loopback started by the test, the commands
run in-process (``CliRunner``), a take rendered in between.

The farm joins the test's cluster (``--address auto``), as on a studio whose Ray is already running: a
farm that starts its own head (no ``--address``) is ended by ``ray stop``, which ends every Ray process of
the user on the machine — not something a test on a shared machine may do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from farm_cluster import make_shot
from typer.testing import CliRunner

from generator.farm.app import free_port
from generator.farm.client import FarmBackend
from ui.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture
def ray_cluster() -> Iterator[None]:
    """A private two-CPU Ray cluster for this test; Serve and Ray are shut down whatever the commands left."""
    os.environ["RAY_AUTH_MODE"] = "disabled"
    import ray
    from ray import serve

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        if ray.is_initialized():
            serve.shutdown()
            ray.shutdown()


def test_start_status_and_stop_a_farm_on_the_running_cluster(
    ray_cluster: None, dailies_home: Path, tmp_path: Path
) -> None:
    import ray

    port, takes = free_port(), tmp_path / "farm-takes"
    url = f"http://127.0.0.1:{port}"
    started = runner.invoke(
        app, ["farm", "start", "--address", "auto", "--backend", "animatic", "--replicas", "2",
              "--port", str(port), "--data", str(takes)],
    )  # fmt: skip
    assert started.exit_code == 0, started.output
    assert started.stdout.strip().splitlines()[-1] == f"DAILIES_BACKEND=farm:{url}"  # the setting, last
    record = json.loads((dailies_home / "farm.json").read_text())
    assert record["url"] == url and record["backends"] == ["animatic"] and record["started_ray"] is False
    assert record["ray_address"] == ray.get_runtime_context().gcs_address  # where `farm stop` will go

    take = FarmBackend(url).render(make_shot(1), tmp_path / "studio")
    assert (takes / take.path.name).is_file()  # written into the folder `--data` named

    status = runner.invoke(app, ["farm", "status", "--json"])  # the farm found through HOME/farm.json
    assert status.exit_code == 0, status.output
    report = json.loads(status.stdout)
    (animatic,) = report["deployments"]
    assert (animatic["name"], animatic["status"], animatic["replicas"]) == ("animatic", "HEALTHY", {"RUNNING": 2})
    assert animatic["in_flight"] == 0 and report["takes_total"] == 1 and report["data_dir"] == str(takes.resolve())
    human = runner.invoke(app, ["farm", "status"])
    assert human.exit_code == 0
    assert "replicas: 2 running; queue: 0" in human.stdout and "takes: 1 (" in human.stdout

    stopped = runner.invoke(app, ["farm", "stop"])
    assert stopped.exit_code == 0, stopped.output
    assert f"farm at {url} stopped" in stopped.stdout and not (dailies_home / "farm.json").exists()
    gone = runner.invoke(app, ["farm", "status", "--url", url])
    assert gone.exit_code == 1 and "unreachable" in gone.output  # the farm's HTTP entry is down
