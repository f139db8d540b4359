"""``dailies cut``: the film's path is the last line, --json is one document, bad input is one error line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agents.settings import load_settings
from generator.ffmpeg_tools import find_ffmpeg
from memory.store import Store
from ui.cli import app

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A two-shot project in the test's data folder; s1-01 approved, s1-02 only done."""
    monkeypatch.setenv("DAILIES_WIDTH", "160")
    monkeypatch.setenv("DAILIES_HEIGHT", "90")
    store = Store(load_settings().store_url)
    pid = store.create_project("A keeper and a storm", title="The Keeper").id
    store.upsert_scene(pid, "s1")
    for number, (shot, colour) in enumerate((("s1-01", "red"), ("s1-02", "blue"))):
        store.upsert_shot(
            pid, "s1", shot, duration_s=0.5, dialogue=[{"character": "mara", "line": f"Line {number}."}]
        )
        path = tmp_path / f"{shot}.mp4"
        subprocess.run([find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                        f"color=c={colour}:s=160x90:r=24:d=0.5", "-pix_fmt", "yuv420p", str(path)], check=True)  # fmt: skip
        take = store.add_take(pid, shot, request_hash=shot, path=str(path), backend="animatic")
        if shot == "s1-01":
            store.set_take_status(int(take.id or 0), "approved")
    store.close()
    return pid


def test_cut_refuses_unapproved_shots_with_one_error_line(project: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["cut", project, "--out", str(tmp_path / "cuts")])
    assert result.exit_code == 1
    assert "error:" in result.output and "s1-02" in result.output
    assert not (tmp_path / "cuts").exists()


def test_cut_prints_the_film_path_last(project: str, tmp_path: Path) -> None:
    out = tmp_path / "cuts"
    result = runner.invoke(app, ["cut", project, "--out", str(out), "--allow-unapproved", "--burn-in"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last == str(out / f"{project}.mp4") and Path(last).is_file()
    for suffix in (".srt", ".vtt", ".otio"):
        assert (out / f"{project}{suffix}").is_file()
    assert "rough cut" in result.output
    again = runner.invoke(app, ["cut", project, "--out", str(out), "--allow-unapproved", "--burn-in"])
    assert again.exit_code == 0 and "nothing changed since the last cut" in again.output
    assert again.output.strip().splitlines()[-1] == last


def test_cut_json_and_default_folder(project: str) -> None:
    result = runner.invoke(app, ["cut", project, "--allow-unapproved", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert Path(data["video"]) == load_settings().cuts_dir / project / f"{project}.mp4"
    assert [s["shot"] for s in data["shots"]] == ["s1-01", "s1-02"]
    assert data["shots"][1]["approved"] is False
    held = [s["duration_s"] for s in data["shots"]]
    # Each 0.5 s shot holds until its voiced line (plus a breath) has been said: the film speaks.
    assert all(h > 0.5 + 0.5 for h in held), held
    assert data["duration_s"] == pytest.approx(2 + sum(held) + 3, abs=1 / 24)  # title + shots + credits, to the frame


def test_cut_an_unknown_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cut", "no-such-project", "--out", str(tmp_path / "cuts")])
    assert result.exit_code == 1 and "no project 'no-such-project'" in result.output
