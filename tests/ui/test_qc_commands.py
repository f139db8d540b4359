"""``dailies qc``: findings as text or JSON, and the exit codes 0 (pass), 1 (fails), 2 (unreadable)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from generator.ffmpeg_tools import write_mp4
from ui.cli import app

runner = CliRunner()


def moving(frames: int) -> np.ndarray:
    """A 64×48 clip with a diagonal pattern sliding right: clean motion."""
    yy, xx = np.mgrid[0:48, 0:64]
    clip = [((np.sin((xx - 2 * t + yy) / 3.0) + 1) * 100 + 30).astype(np.uint8) for t in range(frames)]
    return np.repeat(np.stack(clip)[..., None], 3, axis=-1)


def encode(frames: np.ndarray, path: Path) -> Path:
    return write_mp4(iter(frames), path, width=64, height=48, fps=24)


def test_a_clean_take_exits_0(tmp_path: Path) -> None:
    take = encode(moving(48), tmp_path / "clean.mp4")
    result = runner.invoke(app, ["qc", str(take), "--duration", "2"])
    assert result.exit_code == 0, result.output
    assert "clean.mp4 passes: 0 findings" in result.output


def test_a_black_frame_fails_the_take_with_json_findings(tmp_path: Path) -> None:
    frames = moving(48)
    frames[10] = 0
    take = encode(frames, tmp_path / "black.mp4")
    result = runner.invoke(app, ["qc", str(take), "--duration", "2", "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert [(f["check"], f["frames"], f["severity"]) for f in doc["findings"]] == [("black_frames", [10, 10], "fail")]
    assert set(doc["findings"][0]) == {"check", "severity", "frames", "value", "threshold", "message"}
    text = runner.invoke(app, ["qc", str(take)])
    assert text.exit_code == 1 and "black_frames" in text.output and "fails" in text.output


def test_wrong_duration_and_colour_jump_against_prev(tmp_path: Path) -> None:
    prev = encode(moving(24), tmp_path / "prev.mp4")
    bright = encode(np.clip(moving(24).astype(int) + 90, 0, 255).astype(np.uint8), tmp_path / "next.mp4")
    result = runner.invoke(app, ["qc", str(bright), "--duration", "2", "--prev", str(prev), "--json"])
    assert result.exit_code == 1
    assert [f["check"] for f in json.loads(result.output)["findings"]] == ["duration", "color_jump"]


def test_an_unreadable_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video")
    result = runner.invoke(app, ["qc", str(junk)])
    assert result.exit_code == 2
    assert "error:" in result.output and "junk.mp4" in result.output
    missing = runner.invoke(app, ["qc", str(tmp_path / "gone.mp4")])
    assert missing.exit_code == 2 and "gone.mp4" in missing.output
