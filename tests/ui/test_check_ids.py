"""``dailies check`` and ``dailies import`` refuse the same ids with the same words (one validator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()

BAD_IDS = ["../../etc/evil", "a\u0000b", "x" * 500, "", "-leading-dash", "has space"]
VALID_WORDS = "is not valid: use 1–64 letters, digits, '-', '_' or '.'"


def plan(*, shot: str = "a", scene: str = "s1", character: str = "mara") -> dict[str, object]:
    return {
        "format": "dailies.shotlist/1", "characters": [{"id": character}],
        "scenes": [{"id": scene, "shots": [{"id": shot, "size": "WS", "characters": [{"id": character, "x": 0.5}]}]}],
    }


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "plan.shots.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("bad", BAD_IDS, ids=["traversal", "nul", "500-chars", "empty", "dash", "space"])
@pytest.mark.parametrize("field", ["shot", "scene", "character"])
def test_check_refuses_the_ids_import_refuses(tmp_path: Path, bad: str, field: str) -> None:
    path = _write(tmp_path, plan(**{field: bad}))
    checked = runner.invoke(app, ["check", str(path)])
    assert checked.exit_code == 2, checked.output
    assert checked.stdout == "" and len(checked.stderr.strip().splitlines()) == 1
    assert f"{field} id" in checked.stderr and VALID_WORDS in checked.stderr
    imported = runner.invoke(app, ["import", str(path)])
    assert imported.exit_code != 0 and VALID_WORDS in imported.stderr
    listed = runner.invoke(app, ["list", "--json"])
    assert json.loads(listed.stdout) == []  # nothing written


def test_good_ids_still_pass_both(tmp_path: Path) -> None:
    path = _write(tmp_path, plan(shot="s1-01", scene="s1", character="mara.b_2"))
    assert runner.invoke(app, ["check", str(path)]).exit_code == 0
    imported = runner.invoke(app, ["import", str(path)])
    assert imported.exit_code == 0, imported.output
