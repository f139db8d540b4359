"""``dailies farm``: the commands' answers when there is no farm (a live farm: ``test_farm_commands_live.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.farm.app import free_port
from ui.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAILIES_HOME", str(tmp_path / "home"))


def test_farm_lists_its_three_commands() -> None:
    result = runner.invoke(app, ["farm", "--help"])
    assert result.exit_code == 0
    assert all(word in result.output for word in ("start", "status", "stop"))


def test_status_of_a_farm_that_is_down_is_one_error_line() -> None:
    result = runner.invoke(app, ["farm", "status", "--url", f"http://127.0.0.1:{free_port()}"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: the farm at http://127.0.0.1:") and "unreachable" in result.output


def test_status_and_stop_without_a_started_farm_say_how_to_start_one() -> None:
    for command in (["farm", "status"], ["farm", "stop"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "dailies farm start" in result.output


def test_start_refuses_a_backend_a_farm_cannot_serve_before_starting_anything(tmp_path: Path) -> None:
    result = runner.invoke(app, ["farm", "start", "--backend", "nonsense"])
    assert result.exit_code == 1 and "not a backend a farm can serve" in result.output
    assert not (tmp_path / "home" / "farm.json").exists()


@pytest.mark.parametrize(("recorded", "joined"), [("10.0.0.7:6379", "10.0.0.7:6379"), (None, "auto")])
def test_stop_joins_the_cluster_the_farm_was_started_on(
    recorded: str | None, joined: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "auto" (this machine's latest cluster): a farm on another host's cluster, or one of several
    clusters here, is stopped where it runs. A record from before the address was kept still means "auto"."""
    from generator.farm import app as farm_app

    home = tmp_path / "home"
    home.mkdir()
    record = {"url": "http://127.0.0.1:8000", "backends": ["animatic"], "data_dir": str(tmp_path), "started_ray": False}
    if recorded is not None:
        record["ray_address"] = recorded
    (home / "farm.json").write_text(json.dumps(record))
    joins: list[str | None] = []
    monkeypatch.setattr(farm_app, "connect", lambda address, num_cpus=None: joins.append(address))
    monkeypatch.setattr(farm_app, "stop", lambda: None)  # Serve is not running here: only where stop goes is checked
    result = runner.invoke(app, ["farm", "stop"])
    assert result.exit_code == 0, result.output
    assert joins == [joined] and not (home / "farm.json").exists()
