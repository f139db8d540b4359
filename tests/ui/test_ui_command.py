"""``dailies ui``: bad logins are one error line; a good start prints the URL as its last line and serves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from studio_doubles import free_port, users_file
from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()


def test_auth_and_users_together_are_refused() -> None:
    result = runner.invoke(app, ["ui", "--auth", "a:b", "--users", "users.txt"])
    assert result.exit_code == 1 and "error: give --auth or --users, not both" in result.stderr


def test_a_bad_login_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ui", "--auth", "nopassword"])
    assert result.exit_code == 1 and result.stderr.strip() == "error: a login is written user:password (both non-empty)"
    users = tmp_path / "users.txt"
    users_file(users)
    users.write_text(users.read_text() + "carol\n")
    result = runner.invoke(app, ["ui", "--users", str(users)])
    assert result.exit_code == 1 and f"{users}:3: expected user:HASH" in result.stderr
    users.write_text("alice:wonderland\n")
    result = runner.invoke(app, ["ui", "--users", str(users)])
    assert result.exit_code == 1 and "run `dailies user add alice`" in result.stderr


@pytest.mark.slow
def test_ui_prints_its_url_last_and_serves_on_loopback(tmp_path: Path, dailies_home: Path) -> None:
    port = free_port()
    users = tmp_path / "users.txt"
    users_file(users)
    process = subprocess.Popen(
        [sys.executable, "-c", "from ui.cli import main; main()", "ui", "--port", str(port), "--users", str(users)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "DAILIES_HOME": str(dailies_home)},
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.stdout is not None:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if line.startswith("http"):
                break
        assert lines and lines[-1] == f"http://127.0.0.1:{port}/", lines
        page = httpx.get(lines[-1], timeout=30)
        assert page.status_code == 200 and '"auth_required":true' in page.text.replace(" ", "")
    finally:
        process.terminate()
        process.wait(timeout=30)
