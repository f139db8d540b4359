"""``dailies farm start|status|stop`` against a real farm on loopback, the commands run in-process
(``CliRunner``), a take rendered in between: once joining a Ray cluster the test started (``--address
auto``), once with a Ray head the start command starts itself, which stop must end — that head only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
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

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
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


def _alive(pid: int) -> bool:
    from generator.farm.app import _gone

    return not _gone(pid)


def test_a_farm_with_a_head_of_its_own_is_stopped_with_that_head_only(dailies_home: Path, tmp_path: Path) -> None:
    """`farm start` without ``--address`` starts a Ray head of its own; `farm stop` ends that head and no
    other Ray process (``ray stop`` would end every one of the user's)."""
    os.environ["RAY_AUTH_MODE"] = "disabled"
    import ray
    from ray import serve

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    head: int | None = None
    try:
        started = runner.invoke(app, ["farm", "start", "--backend", "animatic", "--port", str(port),
                                      "--data", str(tmp_path / "takes")])  # fmt: skip
        assert started.exit_code == 0, started.output
        assert started.stdout.strip().splitlines()[-1] == f"DAILIES_BACKEND=farm:{url}"
        record = json.loads((dailies_home / "farm.json").read_text())
        head = record["head_pid"]
        assert record["started_ray"] is True and isinstance(head, int) and _alive(head)
        gcs_port = int(record["ray_address"].rsplit(":", 1)[1])
        assert FarmBackend(url).render(make_shot(1), tmp_path / "studio").path.is_file()

        stopped = runner.invoke(app, ["farm", "stop"])
        assert stopped.exit_code == 0, stopped.output
        assert not _alive(head)  # the head it started is gone, its GCS with it
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", gcs_port)) != 0
        gone = runner.invoke(app, ["farm", "status", "--url", url])
        assert gone.exit_code == 1 and "unreachable" in gone.output
    finally:
        if ray.is_initialized():
            serve.shutdown()
            ray.shutdown()
        if head is not None and _alive(head):  # only the head this test started
            os.kill(head, signal.SIGTERM)
