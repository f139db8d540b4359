"""``dailies render``: one file per shot plus a manifest, progress, reruns reuse, unsafe ids refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from generator.ffmpeg_tools import probe
from ui.cli import app

runner = CliRunner()


def plan(**shot_overrides: Any) -> dict[str, Any]:
    first = {"id": "s1-01", "size": "WS", "duration_s": 0.5,
             "characters": [{"id": "mara", "x": 0.3, "facing": "right"}, {"id": "tom", "x": 0.7, "facing": "left"}],
             "camera": {"move": "pan_left"}, "dialogue": [{"character": "mara", "line": "You came back."}]}  # fmt: skip
    first.update(shot_overrides)
    return {
        "format": "dailies.shotlist/1", "title": "The Keeper",
        "characters": [
            {"id": "mara", "name": "Mara", "description": "lighthouse keeper, 60s", "wardrobe": {"default": "grey wool coat"}},
            {"id": "tom", "name": "Tom", "description": "her son"},
        ],
        "scenes": [{"id": "s1", "location": "lamp room", "time_of_day": "night", "shots": [
            first, {"id": "s1-02", "size": "CU", "duration_s": 0.25, "characters": [{"id": "tom", "x": 0.6, "facing": "left"}]},
        ]}],
    }  # fmt: skip


@pytest.fixture
def shots_file(tmp_path: Path) -> Path:
    path = tmp_path / "keeper.shots.json"
    path.write_text(json.dumps(plan()))
    return path


def render(*args: str) -> Any:
    return runner.invoke(app, ["render", *args])


def test_renders_one_file_per_shot_and_prints_the_manifest_last(shots_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = render(str(shots_file), "--out", str(out), "--width", "160", "--height", "90", "--fps", "12")
    assert result.exit_code == 0, result.output
    manifest_path = Path(result.output.strip().splitlines()[-1])
    assert manifest_path == out / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    assert manifest["backend"] == "animatic" and [s["shot"] for s in manifest["shots"]] == ["s1-01", "s1-02"]
    for entry, frames in zip(manifest["shots"], (6, 3), strict=True):
        info = probe(out / f"{entry['shot']}.mp4")
        assert (info.frames, info.width, info.height) == (frames, 160, 90) == (entry["frames"], 160, 90)
    first = manifest["shots"][0]["request"]
    assert "lighthouse keeper, 60s" in first["prompt"] and "grey wool coat" in first["prompt"]
    assert first["caption"] == "MARA: You came back." and first["camera_move"] == "pan_left"

    again = render(
        str(shots_file),
        "--out",
        str(out),
        "--width",
        "160",
        "--height",
        "90",
        "--fps",
        "12",
        "--shot",
        "s1-02",
        "--json",
    )
    assert again.exit_code == 0, again.output
    doc = json.loads(again.output)
    assert [s["shot"] for s in doc["shots"]] == ["s1-02"] and doc["shots"][0]["reused"]


@pytest.mark.parametrize("bad_id", ["../escape", ".hidden", "a/b", "x" * 200])
def test_unsafe_shot_ids_are_refused_before_anything_is_written(tmp_path: Path, bad_id: str) -> None:
    path = tmp_path / "bad.shots.json"
    path.write_text(json.dumps(plan(id=bad_id)))
    out = tmp_path / "out"
    result = render(str(path), "--out", str(out))
    assert result.exit_code == 1
    # The one id validator that `dailies import` and `dailies check` use refuses it, naming where it stands.
    assert f"shots[0].id: shot id {bad_id!r} is not valid" in result.output and not out.exists()
    assert result.output.count("\n") == 1


def test_unknown_shot_backend_or_size_is_an_error_line(shots_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = render(str(shots_file), "--out", str(out), "--shot", "s9-99")
    assert missing.exit_code == 1 and "no shot 's9-99'" in missing.output and "s1-01, s1-02" in missing.output
    backend = render(str(shots_file), "--out", str(out), "--backend", "sora")
    assert backend.exit_code == 1 and "available: animatic" in backend.output
    odd = render(str(shots_file), "--out", str(out), "--width", "161", "--height", "90")
    assert odd.exit_code == 1 and "shot s1-01" in odd.output and "even" in odd.output
    assert not out.exists()


def test_a_malformed_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.shots.json"
    path.write_text("{not json")
    result = render(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "error:" in result.output
