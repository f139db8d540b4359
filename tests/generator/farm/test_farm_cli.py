"""``dailies farm``: the commands' answers when there is no farm (the live farm is ``test_farm_render.py``'s)."""

from __future__ import annotations

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
