"""``dailies check`` reports shots longer than the generator's clip: from the file's ``longest_clip_s``, or
``--longest-clip``; ``--fix`` splits them into coverage (issue 13: five shots of 114–159 s passed)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()

LONG = {
    "format": "dailies.shotlist/1", "characters": [{"id": "mara"}, {"id": "tom"}],
    "scenes": [{"id": "s1", "shots": [
        {"id": "a", "size": "WS", "duration_s": 7.0,
         "characters": [{"id": "mara", "x": 0.3, "facing": "right"}, {"id": "tom", "x": 0.7, "facing": "left"}]},
        {"id": "b", "size": "MCU", "duration_s": 114.0, "characters": [{"id": "mara", "x": 0.4, "facing": "right"}]},
    ]}],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "plan.shots.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_shot_above_the_default_clip_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--json", str(write(tmp_path, LONG))])
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    assert [(f["rule"], f["severity"], f["shots"]) for f in findings] == [("shot_length", "error", ["b"])]


def test_the_limit_comes_from_the_option_then_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, {**LONG, "longest_clip_s": 5})
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1 and [line.split(" [")[0] for line in result.stdout.splitlines()] == ["error: shot_length"] * 2
    result = runner.invoke(app, ["check", str(path), "--longest-clip", "200"])
    assert result.exit_code == 0, result.stdout
    assert runner.invoke(app, ["check", str(path), "--longest-clip", "0"]).exit_code == 2


def test_fix_splits_the_long_shot_into_clean_coverage(tmp_path: Path) -> None:
    path = write(tmp_path, LONG)
    result = runner.invoke(app, ["check", "--fix", "--json", "--longest-clip", "5.06", str(path)])
    out = json.loads(result.stdout)
    assert result.exit_code == 0 and out["findings"] == [], out
    fixed = json.loads(Path(out["fixed_file"]).read_text(encoding="utf-8"))
    shots = fixed["scenes"][0]["shots"]
    assert fixed["longest_clip_s"] == 5.06 and len(shots) == 2 + 23 and max(s["duration_s"] for s in shots) <= 5.06


def test_a_projects_plan_is_checked_against_the_clip_it_was_planned_for() -> None:
    from memory.shotlist_io import import_shotlist
    from ui.cli.studio_access import open_studio

    studio = open_studio()
    project = studio.store.create_project("A keeper and a storm", title="The Keeper").id
    import_shotlist(studio.store, project, {**LONG, "longest_clip_s": 5.06})  # what the crew writes for Wan
    studio.close()
    result = runner.invoke(app, ["check", project, "--json"])
    assert result.exit_code == 1, result.output
    assert [(f["rule"], f["shots"]) for f in json.loads(result.stdout)["findings"]] == [("shot_length", ["a"]), ("shot_length", ["b"])]
    assert runner.invoke(app, ["check", project, "--longest-clip", "120"]).exit_code == 0
