"""``dailies check``: one line per finding, the spec's JSON shape, exit codes 0/1/2, ``--fix`` and projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app
from ui.cli.check_commands import fixed_name

runner = CliRunner()

CLEAN = {
    "format": "dailies.shotlist/1", "characters": [{"id": "mara"}, {"id": "tom"}],
    "scenes": [{"id": "s1", "shots": [
        {"id": "a", "size": "WS", "characters": [{"id": "mara", "x": 0.3, "facing": "right"}, {"id": "tom", "x": 0.7, "facing": "left"}]},
        {"id": "b", "size": "MCU", "characters": [{"id": "mara", "x": 0.4, "facing": "right"}]},
    ]}],
}
WARNING_ONLY = {**CLEAN, "target_runtime_s": 100}
SWAPPED = json.loads(json.dumps(CLEAN))
SWAPPED["scenes"][0]["shots"].append(
    {"id": "c", "size": "MS", "characters": [{"id": "mara", "x": 0.7, "facing": "left"}, {"id": "tom", "x": 0.3, "facing": "right"}]})


def write(tmp_path: Path, data: object, name: str = "plan.shots.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_clean_file_exits_0_with_no_finding_lines(tmp_path: Path):
    result = runner.invoke(app, ["check", str(write(tmp_path, CLEAN))])
    assert result.exit_code == 0 and result.stdout == "" and "clean" in result.stderr


def test_warnings_alone_exit_0(tmp_path: Path):
    result = runner.invoke(app, ["check", str(write(tmp_path, WARNING_ONLY))])
    assert result.exit_code == 0 and result.stdout.startswith("warning: runtime")


def test_errors_exit_1_one_line_per_finding(tmp_path: Path):
    result = runner.invoke(app, ["check", str(write(tmp_path, SWAPPED))])
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: axis_180 [b,c]")


def test_json_has_the_spec_shape(tmp_path: Path):
    result = runner.invoke(app, ["check", str(write(tmp_path, SWAPPED)), "--json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and list(doc) == ["findings"]
    assert doc["findings"] == [{"rule": "axis_180", "severity": "error", "shots": ["b", "c"],
                                "message": doc["findings"][0]["message"], "fix": doc["findings"][0]["fix"]}]
    assert json.loads(runner.invoke(app, ["check", str(write(tmp_path, CLEAN)), "--json"]).stdout) == {"findings": []}


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "line 1, column 2"),
    ("[1, 2]", "top level must be a JSON object"),
    ('{"scenes": [{"id": "s1", "shots": [{"id": "a", "duration_s": [1]}]}]}', "scenes[0].shots[0].duration_s"),
    ("[" * 10_000, "nested more than 64 levels"),
    ('{"target_runtime_s": 1e400}', "too large"),
])
def test_malformed_files_exit_2_naming_the_place(tmp_path: Path, content: str, words: str):
    result = runner.invoke(app, ["check", str(write(tmp_path, content)), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: plan.shots.json: ") and words in result.stderr


def test_missing_file_or_project_exits_2(tmp_path: Path):
    assert runner.invoke(app, ["check", str(tmp_path / "nope.shots.json")]).exit_code == 2
    result = runner.invoke(app, ["check", "no-such-project"])
    assert result.exit_code == 2 and "no file or project named 'no-such-project'" in result.stderr
    assert runner.invoke(app, ["check", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["check", "x" * 5000]).exit_code == 2
    assert runner.invoke(app, ["check", "../../etc/passwd-project"]).exit_code == 2


def test_help_explains_the_exit_codes():
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0 and "exit 0" in result.stdout and "--fix" in result.stdout


def test_fix_writes_next_to_the_original_and_reports_changes(tmp_path: Path):
    source = write(tmp_path, SWAPPED)
    before = source.read_text()
    result = runner.invoke(app, ["check", str(source), "--fix"])
    out = tmp_path / "plan.fixed.shots.json"
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("changed: c: mirrored")
    assert result.stdout.splitlines()[-1] == str(out)
    assert source.read_text() == before and out.is_file()
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0
    refused = runner.invoke(app, ["check", str(source), "--fix"])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    forced = runner.invoke(app, ["check", str(source), "--fix", "--force", "--json"])
    doc = json.loads(forced.stdout)
    assert forced.exit_code == 0 and doc["findings"] == [] and doc["fixed_file"] == str(out) and len(doc["changes"]) == 1


def test_fix_that_cannot_clear_errors_still_exits_1(tmp_path: Path):
    bad = json.loads(json.dumps(CLEAN))
    bad["scenes"][0]["shots"][0]["duration_s"] = -1
    result = runner.invoke(app, ["check", str(write(tmp_path, bad)), "--fix"])
    assert result.exit_code == 1 and "changed: nothing" in result.stdout and "bad_value" in result.stdout


def test_fixed_names():
    assert fixed_name("keeper.shots.json") == "keeper.fixed.shots.json"
    assert fixed_name("plan.json") == "plan.fixed.shots.json"
    assert fixed_name("plan") == "plan.fixed.shots.json"


def test_check_a_project_in_story_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from memory.shotlist_io import import_shotlist
    from ui.cli.studio_access import open_studio

    studio = open_studio()
    project = studio.store.create_project("A keeper and a storm", title="The Keeper").id
    import_shotlist(studio.store, project, SWAPPED)
    studio.close()
    result = runner.invoke(app, ["check", project, "--json"])
    assert result.exit_code == 1, result.output
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["axis_180"]
    monkeypatch.chdir(tmp_path)
    fixed = runner.invoke(app, ["check", project, "--fix"])
    assert fixed.exit_code == 0 and (tmp_path / f"{project}.fixed.shots.json").is_file()


def test_names_from_the_file_cannot_forge_lines(tmp_path: Path):
    sneaky = json.loads(json.dumps(SWAPPED))
    sneaky["characters"][0]["name"] = "Mara\nerror: fake [x] \x1b[31mred"
    result = runner.invoke(app, ["check", str(write(tmp_path, sneaky))])
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 1 and "\x1b" not in result.stdout
