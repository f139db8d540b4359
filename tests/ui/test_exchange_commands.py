"""`dailies import` and `dailies export`: output conventions, round trips, errors that change nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()
DATA = Path(__file__).parents[1] / "memory" / "data"


def _last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_import_a_fountain_screenplay_prints_the_project_id_last() -> None:
    result = runner.invoke(app, ["import", str(DATA / "the_keeper.fountain")])
    assert result.exit_code == 0, result.output
    project_id = _last_line(result.output)
    assert project_id.startswith("the-keeper-")
    assert "4 scenes" in result.output and "3 characters" in result.output and "8 dialogue lines" in result.output
    shown = json.loads(runner.invoke(app, ["show", project_id, "--json"]).output)
    assert [s["key"] for s in shown["scenes"]] == ["s1", "s2", "s3", "s4"]


def test_export_then_import_bible_and_shot_list(tmp_path: Path) -> None:
    project_id = _last_line(runner.invoke(app, ["import", str(DATA / "last_bus.fountain"), "--id", "last-bus"]).output)
    assert project_id == "last-bus"
    bible, shots = tmp_path / "bus.json", tmp_path / "bus.shots.json"
    result = runner.invoke(app, ["export", project_id, "--bible", str(bible), "--shots", str(shots)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == [str(bible.resolve()), str(shots.resolve())]
    assert json.loads(bible.read_text())["format"] == "dailies.bible"
    assert json.loads(shots.read_text())["format"] == "dailies.shotlist/1"

    copied = runner.invoke(app, ["import", str(bible), "--json"])
    assert copied.exit_code == 0, copied.output
    document = json.loads(copied.output)
    assert document["kind"] == "bible" and document["counts"]["scenes"] == 5 and document["counts"]["dialogue_lines"] == 10
    again = tmp_path / "again.json"
    assert runner.invoke(app, ["export", document["project"]["id"], "--bible", str(again)]).exit_code == 0
    first, second = json.loads(bible.read_text()), json.loads(again.read_text())
    for doc in (first, second):
        doc.pop("exported_at"), doc["project"].pop("id")
    assert first == second

    from_shots = runner.invoke(app, ["import", str(shots)])
    assert from_shots.exit_code == 0 and "imported shotlist" in from_shots.output


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    project_id = _last_line(runner.invoke(app, ["new", "A keeper"]).output)
    target = tmp_path / "plan.shots.json"
    target.write_text("precious")
    refused = runner.invoke(app, ["export", project_id, "--bible", str(tmp_path / "b.json"), "--shots", str(target)])
    assert refused.exit_code == 1 and "already exists" in refused.output and "--force" in refused.output
    assert target.read_text() == "precious" and not (tmp_path / "b.json").exists()
    forced = runner.invoke(app, ["export", project_id, "--shots", str(target), "--force", "--json"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.output)["shots"] == str(target.resolve())
    assert json.loads(target.read_text())["format"] == "dailies.shotlist/1"


def test_bad_inputs_are_one_error_line_and_change_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "dailies.bible", "version": 9}')
    cases = [
        (["import", str(broken)], "newer Dailies"),
        (["import", str(tmp_path / "missing.fountain")], "no such file"),
        (["export", "no-such-project", "--bible", str(tmp_path / "x.json")], "no project 'no-such-project'"),
        (["export", "anything"], "nothing to export"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert message in result.output, (args, result.output)
        assert result.output.strip().startswith("error:")
    assert json.loads(runner.invoke(app, ["list", "--json"]).output) == []
    assert not (tmp_path / "x.json").exists()


def test_help_on_every_exchange_command() -> None:
    for command in ("import", "export"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
