"""The foundation commands: new, list, show, config — output conventions and errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()


def test_new_prints_the_id_last_and_list_shows_it() -> None:
    result = runner.invoke(app, ["new", "A keeper and a storm", "--runtime", "30", "--title", "The Keeper"])
    assert result.exit_code == 0, result.output
    project_id = result.output.strip().splitlines()[-1]
    assert project_id.startswith("the-keeper-")
    listed = runner.invoke(app, ["list", "--json"])
    assert [p["id"] for p in json.loads(listed.output)] == [project_id]
    shown = json.loads(runner.invoke(app, ["show", project_id, "--json"]).output)
    assert shown["project"]["target_runtime_s"] == 30
    assert shown["project"]["premise"] == "A keeper and a storm"


def test_new_json_is_one_document() -> None:
    result = runner.invoke(app, ["new", "Two strangers share an umbrella", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["premise"] == "Two strangers share an umbrella"


def test_bad_input_is_one_error_line_and_changes_nothing() -> None:
    empty = runner.invoke(app, ["new", "   "])
    assert empty.exit_code == 1
    assert "premise is empty" in empty.output
    negative = runner.invoke(app, ["new", "x", "--runtime", "-5"])
    assert negative.exit_code == 1 and "target_runtime_s" in negative.output
    missing = runner.invoke(app, ["show", "no-such-project"])
    assert missing.exit_code == 1 and "no project 'no-such-project'" in missing.output
    assert json.loads(runner.invoke(app, ["list", "--json"]).output) == []


def test_the_cli_and_the_studio_page_share_one_runtime_cap(monkeypatch) -> None:
    """``settings.max_runtime_s`` (600 s by default) bounds ``dailies new`` as it bounds the studio page."""
    too_long = runner.invoke(app, ["new", "A storm", "--runtime", "601"])
    assert too_long.exit_code == 1 and "between 5 and 600 seconds" in too_long.output
    monkeypatch.setenv("DAILIES_MAX_RUNTIME_S", "900")
    longer = runner.invoke(app, ["new", "A storm", "--runtime", "601", "--json"])
    assert longer.exit_code == 0 and json.loads(longer.output)["target_runtime_s"] == 601


def test_config_reports_sources(dailies_home: Path, monkeypatch) -> None:
    dailies_home.mkdir(parents=True, exist_ok=True)
    (dailies_home / "config.toml").write_text('backend = "animatic"\nfps = 25\n')
    monkeypatch.setenv("DAILIES_WIDTH", "320")
    data = json.loads(runner.invoke(app, ["config", "--json"]).output)
    assert data["values"]["fps"] == 25 and data["sources"]["fps"].startswith("config file")
    assert data["values"]["width"] == 320 and data["sources"]["width"] == "env"
    assert data["sources"]["height"] == "default"
    assert data["values"]["store_url"] == f"sqlite:///{dailies_home / 'dailies.db'}"


def test_every_command_has_help() -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage" in result.output
